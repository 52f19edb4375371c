// The window's own hint after an error: the screen or button where the clerk does what the
// message asks. The messages (from mpd-app and below) fit both front ends and name neither a
// command nor a screen; the CLI has its own hints (mpd-cli/src/suggerimenti.rs).
import type { Codice } from './bindings'

/** One entry per code (a new code fails `tsc` until it is listed here); `null`: no hint. */
const SUGGERIMENTI: Record<Codice, string | null> = {
  argomento: null,
  non_valido: null,
  ente_mancante: "Il profilo dell'Ente si carica nella schermata «Ente e adesione».",
  profilo_ente: "Il profilo dell'Ente si controlla e si corregge nella schermata «Ente e adesione».",
  dovuto_inesistente: null,
  dovuto_duplicato: null,
  flusso_inesistente: null,
  non_consentito: null,
  database: null,
  database_occupato: null,
  database_recente: null,
  cartella_dati: null,
  lettura_file: null,
  scrittura_file: null,
  file_non_valido: null,
  file_gia_importato:
    'I dovuti già in archivio si vedono nella schermata «Dovuti»; se una riga è davvero un nuovo dovuto, la cambi nel foglio (ad esempio la causale) e importi di nuovo.',
  ripristino: null,
  adesione: null,
  impostazioni: 'Ambiente, indirizzo e piattaforma si impostano nella schermata «Impostazioni».',
  password_mancante: 'Salvi la password del servizio nella schermata «Impostazioni».',
  password_rifiutata:
    'Controlli il codice IPA nella schermata «Ente e adesione» e reimposti la password nella schermata «Impostazioni».',
  portachiavi: null,
  chiave_archivio: null,
  portachiavi_archivio: null,
  credenziali_pu:
    'Identificativo del client e segreto della Piattaforma Unitaria si impostano nella schermata «Impostazioni».',
  non_supportata: null,
  mypay_non_raggiunto: 'Quando MyPay torna raggiungibile, prema «Invia a MyPay» nella schermata «Flussi».',
  mypay_guasto: null,
  mypay_rifiuto: null,
  esito_incerto: 'Prima di ripetere, cerchi il pagatore in «Posizioni di un cittadino» nella schermata «Sportello».',
  rinviato: 'La modifica parte con «Invia a MyPay» nella schermata «Flussi».',
  annullato: null,
  occupato: null,
  invio_incompleto: null,
  solo_demo: null,
  interno: null,
}

/** The hint for an error's code, or `null` (also for a code this window does not know). */
export function suggerimentoFinestra(codice: Codice): string | null {
  return SUGGERIMENTI[codice] ?? null
}
