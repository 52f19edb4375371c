// Typed calls to the Ente e adesione and Contributo commands (src-tauri/src/commands/adesione.rs).
// Amounts from the back end are decimal strings ("9600.00"): format them with `euroDecimale`.
import { invoke } from '@tauri-apps/api/core'

export interface ModuloReferente {
  nome: string
  codice_fiscale: string
  email: string
  telefono: string
  ruolo: string
}
export interface ModuloConto {
  iban: string
  /** `tesoreria` or `postale`. */
  tipo: string
  intestatario: string
  descrizione: string
}
export interface ModuloTipo {
  codice: string
  descrizione: string
  /** `9/0101101IM/`. */
  tassonomia: string
  attivo: boolean
  cf_anonimo: boolean
  scadenza_obbligatoria: boolean
  stampa_data_scadenza: boolean
  importo_predefinito: string
  causale_predefinita: string
  scadenza_predefinita: string
  iban: string
  capitolo: string
  /** `base`, `per-flussi`, `presso-ente` or empty (the Ente's mode). */
  modalita: string
}
export interface ModuloEnte {
  denominazione: string
  codice_ipa: string
  codice_fiscale: string
  codice_segregazione: string
  pec: string
  indirizzo: string
  tipo_ente: string
  codice_istat: string
  popolazione: string
  popolazione_fonte: string
  popolazione_data: string
  modalita: string[]
  legale_rappresentante: string
  referente_amministrativo: ModuloReferente
  referente_tecnico: ModuloReferente
  conti: ModuloConto[]
  tipi: ModuloTipo[]
}
export interface ErroreCampo {
  campo: string
  messaggio: string
}
export interface Salvataggio {
  salvato: boolean
  errori: ErroreCampo[]
  avvisi: string[]
}
export interface Problema {
  campo: string
  gravita: 'errore' | 'avviso'
  messaggio: string
  perche: string
}
export interface Verifica {
  completo: boolean
  problemi: Problema[]
}
export interface EsitoDocumenti {
  cartella: string | null
  file: string[]
  mancanti: Problema[]
  avvisi: Problema[]
}
export interface VoceTassonomia {
  codice: string
  nome: string
  ente: string
  valido: boolean
}
export interface PassoRegistrato {
  passo: string
  nome: string
  data: string | null
  nota: string | null
}

export interface Esito {
  misura: string
  atto: string
  ammissibile: boolean
  percentuale: number
  motivo: string
  regola: number | null
  tipo_ente: string
  popolazione: number | null
  modalita: string[]
  provvisorio: boolean
  spesa: string | null
  spesa_ammessa: string | null
  contributo: string | null
  arrotondamento: string
  avvisi: string[]
  da_verificare: string[]
}
export interface VoceSpesa {
  id: number | null
  descrizione: string
  fornitore: string | null
  riferimento: string | null
  data: string | null
  tipo: 'preventivo' | 'costo-standard'
  importo?: string
  codice?: string
  quantita?: number
}
export interface RigaStima {
  voce: VoceSpesa
  importo: string | null
  nota: string | null
}
export interface Stima {
  righe: RigaStima[]
  totale: string
  incompleta: boolean
}
export interface Movimento {
  id: number | null
  tipo: 'richiesto' | 'concesso' | 'incassato'
  importo: string
  data: string
  riferimento: string | null
}
export interface CostoVista {
  codice: string
  descrizione: string
  importo: string | null
  da_verificare: boolean
}
export interface StatoContributo {
  calcolo: (Esito & { stima: Stima | null }) | null
  calcolo_errore: string | null
  stima: Stima
  importi: Movimento[]
  totali: { richiesto: string; concesso: string; incassato: string }
  misura: {
    nome: string
    atto: string
    versione: string
    da_verificare: string[]
    costi_standard: CostoVista[]
    massimale: string | null
    personalizzata: boolean
  }
}
export interface VoceNuova {
  descrizione: string
  fornitore?: string
  riferimento?: string
  data?: string
  importo?: string
  costo_standard?: string
  quantita?: number
}
export interface Simulazione {
  tipo_ente: string
  popolazione: string
  modalita: string[]
  spesa: string
}

export const TIPI_ENTE: { codice: string; nome: string }[] = [
  { codice: 'comune', nome: 'Comune' },
  { codice: 'comune-montano', nome: 'Comune montano' },
  { codice: 'unione-comuni', nome: 'Unione di comuni' },
  { codice: 'comunita-montana', nome: 'Comunità montana' },
  { codice: 'area-protetta', nome: 'Ente gestore di area protetta' },
  { codice: 'natura-2000', nome: 'Ente gestore di sito Rete Natura 2000' },
  { codice: 'altro', nome: 'Altro ente pubblico' },
]

export const MODALITA: { codice: string; nome: string }[] = [
  { codice: 'base', nome: 'Base' },
  { codice: 'per-flussi', nome: 'Per flussi' },
  { codice: 'presso-ente', nome: "Pagamento iniziato presso l'Ente" },
]

export const adesione = {
  enteModulo: () => invoke<ModuloEnte>('ente_modulo'),
  enteSalva: (modulo: ModuloEnte) => invoke<Salvataggio>('ente_salva', { modulo }),
  enteCompletezza: () => invoke<Verifica>('ente_completezza'),
  enteDocumenti: (cartella: string, apri = true) => invoke<EsitoDocumenti>('ente_documenti', { cartella, apri }),
  enteImportaProfilo: (percorsoFile: string) => invoke<string[]>('ente_importa_profilo', { percorsoFile }),
  enteEsportaProfilo: (percorsoFile: string) => invoke<string>('ente_esporta_profilo', { percorsoFile }),
  tassonomia: () => invoke<VoceTassonomia[]>('tassonomia_elenco'),
  passi: () => invoke<PassoRegistrato[]>('adesione_passi'),
  passoRegistra: (passo: string, data: string, nota?: string) =>
    invoke<PassoRegistrato[]>('adesione_passo_registra', { passo, data, nota: nota ?? null }),
  contributoStato: () => invoke<StatoContributo>('contributo_stato'),
  voceAggiungi: (voce: VoceNuova) => invoke<StatoContributo>('contributo_voce_aggiungi', { voce }),
  voceElimina: (id: number) => invoke<StatoContributo>('contributo_voce_elimina', { id }),
  importoAggiungi: (tipo: string, importo: string, data: string, riferimento?: string) =>
    invoke<StatoContributo>('contributo_importo_aggiungi', { tipo, importo, data, riferimento: riferimento ?? null }),
  importoElimina: (id: number) => invoke<StatoContributo>('contributo_importo_elimina', { id }),
  simula: (simulazione: Simulazione) => invoke<Esito>('contributo_simula', { simulazione }),
  riepilogoSalva: (percorsoFile: string) => invoke<string>('contributo_riepilogo_salva', { percorsoFile }),
}

/** A decimal string from the back end (`"9600.00"`, `"-5.5"`) → `9.600,00 €`. */
export function euroDecimale(s: string | null | undefined): string {
  if (s == null || s === '') return '—'
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim())
  if (!m) return s
  const dec = (m[3] ?? '').padEnd(2, '0').slice(0, 2)
  const int = m[2].replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${m[1]}${int},${dec} €`
}

/** A decimal string → a number of euros for the chart only (never for sums). */
export function numeroGrafico(s: string | null | undefined): number {
  const n = Number(s ?? 0)
  return Number.isFinite(n) ? n : 0
}

/**
 * The taxonomy entries matching a search, valid ones only, comuni first, at most `max`.
 * Each word of the query must appear in the code or the name; words of 4 letters or more (not codes) match
 * without their last letter too, so singular and plural find each other (mensa → Mense).
 */
export function cercaTassonomia(elenco: VoceTassonomia[], q: string, max = 40): VoceTassonomia[] {
  const parole = q.toLowerCase().split(/\s+/).filter(Boolean)
  const radici = parole.map((p) => (/^\p{L}{4,}$/u.test(p) ? p.slice(0, -1) : p))
  const trovati = elenco.filter((v) => {
    if (!v.valido) return false
    const testo = `${v.codice} ${v.nome}`.toLowerCase()
    return radici.every((r) => testo.includes(r))
  })
  const comune = (v: VoceTassonomia) => (v.ente.startsWith('COMUNE') ? 0 : 1)
  return [...trovati].sort((a, b) => comune(a) - comune(b)).slice(0, max)
}
