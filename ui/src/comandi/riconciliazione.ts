// Typed calls to the Riconciliazione commands (mpd-app `riconciliazione`; types generated in
// ../bindings; `tesoreria` too) and the screen's own logic (totals by state, the list's filter and pages),
// tested by Vitest.
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  AvanzamentoFdr,
  CapitoloTipo,
  DettaglioFdr,
  ElencoPagamenti,
  EsitoEsportazione,
  EsitoImportazioneFdr,
  EsitoImportazioneTesoreria,
  EsitoScaricamentoFdr,
  EventoSync,
  FdrVista,
  FileCaricato,
  FileRiconosciuto,
  MovimentoVista,
  PagamentoVista,
  RegoleRiconciliazione,
  PropostaReversale,
  RegoleTesoreria,
  RiconciliazioneVista,
  RigaFdrVista,
  StatoPagamento,
  TotaleStato as TotaleStatoVista,
  Totali,
} from '../bindings'
import type { Tono } from '../colori'
import { conta } from '../format'

export type {
  CapitoloTipo,
  DettaglioFdr,
  ElencoPagamenti,
  EsitoEsportazione,
  EsitoImportazioneFdr,
  EsitoImportazioneTesoreria,
  EsitoScaricamentoFdr,
  FdrVista,
  FileRiconosciuto,
  MovimentoVista,
  PagamentoVista,
  PropostaReversale,
  RegoleRiconciliazione,
  RegoleTesoreria,
  RiconciliazioneVista,
  RigaFdrVista,
  StatoPagamento,
  Totali,
}

/** The bytes of a picked file (FileReader where `Blob.arrayBuffer` is missing). */
function leggiByte(file: Blob): Promise<ArrayBuffer> {
  if (typeof file.arrayBuffer === 'function') return file.arrayBuffer()
  return new Promise((ok, ko) => {
    const r = new FileReader()
    r.onload = () => ok(r.result as ArrayBuffer)
    r.onerror = () => ko(r.error)
    r.readAsArrayBuffer(file)
  })
}

/** The treasury journal's formats. */
export type FormatoTesoreria = 'csv' | 'xls' | 'opi' | 'poste'

export const riconciliazione = {
  /** Imports the FdR files chosen: all of them, or none if one is wrong. */
  importaFdr: (percorsi: string[]) => invoke<EsitoImportazioneFdr>('fdr_importa', { percorsi }),
  /** Sends the bytes of an FdR file picked with `<input type="file">` (or dropped in the page);
   * the back end keeps it until `importaFdr` reads it by its path. */
  caricaFdr: async (file: File): Promise<FileCaricato> => {
    const byte = new Uint8Array(await leggiByte(file))
    return invoke<FileCaricato>('fdr_carica', byte, {
      headers: { 'x-nome-file': encodeURIComponent(file.name) },
    })
  },
  /** Downloads the FdR from MyPay since the last complete day, or those MyPay acquired
   * `dal`..`al` (`GG/MM/AAAA` or `AAAA-MM-GG`, both or neither); `su` hears each engine event
   * (a day completed, the flows stored so far in `righe` of phase `rendicontazione`). */
  scaricaFdr: (su: (e: EventoSync) => void, dal?: string, al?: string) => {
    const avanzamento = new Channel<AvanzamentoFdr>()
    avanzamento.onmessage = (m) => su(m.evento)
    return invoke<EsitoScaricamentoFdr>('fdr_scarica', { dal, al, avanzamento })
  },
  /** Stops the running download at the next flow (what was stored stays). */
  annullaScaricamentoFdr: () => invoke<void>('fdr_annulla'),
  /** Every FdR with its quadratura. */
  elencoFdr: () => invoke<FdrVista[]>('fdr_elenco'),
  /** One FdR with its quadratura and its rows. */
  dettaglioFdr: (iuf: string) => invoke<DettaglioFdr>('fdr_dettaglio', { iuf }),
  /** A page (from 0) of the payments `filtro` takes, with their reasons, and the totals by
   *  state of every payment; no filter: the anomalies when there are some, else every payment.
   *  The back end pages: a year of a large Ente holds a million payments. */
  elenco: (filtro: FiltroPagamenti | null, pagina: number) =>
    invoke<ElencoPagamenti>('riconciliazione_elenco', { filtro: filtro ?? undefined, pagina }),
  regole: () => invoke<RegoleRiconciliazione>('riconciliazione_regole'),
  salvaRegole: (r: Partial<RegoleRiconciliazione>) =>
    invoke<RegoleRiconciliazione>('riconciliazione_regole_salva', {
      indiceMancantePrimo: r.indice_mancante_primo,
      esito9Rendicontato: r.esito9_rendicontato,
    }),
  /** Imports a treasury journal: the format from its content unless given; `mappatura` holds
   *  a CSV's `campo=colonna` changes. */
  importaTesoreria: (percorso: string, formato?: FormatoTesoreria, mappatura?: string[]) =>
    invoke<EsitoImportazioneTesoreria>('tesoreria_importa', { percorso, formato, mappatura }),
  /** Every treasury entry with its match, or why not and its suggestions. */
  /** Sends the bytes of a treasury journal picked with `<input type="file">` (or dropped in
   *  the page); `importaTesoreria` then reads it by its path. */
  caricaTesoreria: async (file: File): Promise<FileCaricato> => {
    const byte = new Uint8Array(await leggiByte(file))
    return invoke<FileCaricato>('tesoreria_carica', byte, {
      headers: { 'x-nome-file': encodeURIComponent(file.name) },
    })
  },
  /** What each file is: an FdR, a treasury journal, or neither (and why); the back end reads
   *  its content (an XML may be either). */
  riconosci: (percorsi: string[]) => invoke<FileRiconosciuto[]>('riconciliazione_riconosci', { percorsi }),
  movimentiTesoreria: () => invoke<MovimentoVista[]>('tesoreria_movimenti'),
  /** Payments (those in `stato` only, when given), treasury entries and the totals by state
   *  with their amounts. */
  completa: (stato?: StatoPagamento) => invoke<RiconciliazioneVista>('riconciliazione_completa', { stato }),
  regoleTesoreria: () => invoke<RegoleTesoreria>('tesoreria_regole'),
  salvaRegoleTesoreria: (r: Partial<RegoleTesoreria>) =>
    invoke<RegoleTesoreria>('tesoreria_regole_salva', {
      giorniRendicontazione: r.giorni_rendicontazione,
      giorniIncasso: r.giorni_incasso,
      giorniSuggerimento: r.giorni_suggerimento,
    }),
}

/** The finance office's outputs (mpd-app `contabilita`). */
export const contabilita = {
  /** Collected amounts by payment type, chapter, accertamento and month. */
  totali: () => invoke<Totali>('riconciliazione_totali'),
  /** The reversal proposals of the treasury's provisional receipts. */
  proposte: () => invoke<PropostaReversale[]>('riconciliazione_proposte'),
  /** Saves the reversal proposals as .xlsx or .csv (by the path's extension). */
  salvaProposte: (percorso: string) =>
    invoke<EsitoEsportazione>('riconciliazione_salva_proposte', { percorso }),
  /** The reconciliation workbook: Riepilogo, Pagamenti, Anomalie, Proposte di reversale. */
  esporta: (percorso: string) => invoke<EsitoEsportazione>('riconciliazione_esporta', { percorso }),
  /** MyPivot's export, tracciato 1.4 (141 columns with the Ente's debts, else 120), as a zip. */
  esportaMyPivot: (percorso: string, conNotifiche: boolean, finestra: boolean) =>
    invoke<EsitoEsportazione>('riconciliazione_esporta_mypivot', { percorso, conNotifiche, finestra }),
  /** Each payment type's default chapter. */
  capitoliTipi: () => invoke<CapitoloTipo[]>('capitoli_tipi'),
  /** Sets (an empty chapter removes) a payment type's default chapter. */
  salvaCapitoloTipo: (capitolo: CapitoloTipo) => invoke<CapitoloTipo[]>('capitolo_tipo_salva', { capitolo }),
}

/** How the screen shows each state: the totals' heading (plural), its tone, whether it is an
 * anomaly. One entry per state (a state the back end adds fails `tsc` until it is listed
 * here, in the order of the chain pagato → rendicontato → …, the anomalies after). The
 * anomaly flag repeats mpd-domain's `Stato::anomalia` for the states with no payment yet: a
 * payment's own `anomalia` is what the lists use. */
export const STATI: Record<StatoPagamento, { nome: string; tono: Tono; anomalia: boolean }> = {
  pagato: { nome: 'Pagati, in attesa del flusso', tono: 'info', anomalia: false },
  rendicontato: { nome: 'Rendicontati, in attesa della tesoreria', tono: 'primary', anomalia: false },
  incassato: { nome: 'Incassati in tesoreria', tono: 'success', anomalia: false },
  non_rendicontato: { nome: 'Non ancora rendicontati', tono: 'warning', anomalia: true },
  importo_diverso: { nome: 'Rendicontati con importo diverso', tono: 'danger', anomalia: true },
  non_incassato: { nome: 'Non ancora incassati', tono: 'warning', anomalia: true },
  incasso_diverso: { nome: 'Incassati con importo diverso', tono: 'danger', anomalia: true },
  senza_ricevuta: { nome: 'Rendicontati senza ricevuta', tono: 'danger', anomalia: true },
  doppio: { nome: 'Rendicontati più volte', tono: 'danger', anomalia: true },
}

/** The states in the order the screen lists them. */
export const ORDINE_STATI = Object.keys(STATI) as StatoPagamento[]

/** A payment's amount: the receipt's, else the one the FdR reports. */
export function importoDi(p: Pick<PagamentoVista, 'importo_cents' | 'importo_rendicontato_cents'>): number {
  return p.importo_cents ?? p.importo_rendicontato_cents ?? 0
}

/** One state's count and amount. */
export interface TotaleStato {
  stato: StatoPagamento
  nome: string
  tono: Tono
  anomalia: boolean
  numero: number
  importo_cents: number
}

/** Count and amount of every state (zero included) as the back end counted them, in
 * [`ORDINE_STATI`]'s order, each with this screen's heading and tone. */
export function totaliPerStato(totali: readonly TotaleStatoVista[]): TotaleStato[] {
  const perStato = new Map(totali.map((t) => [t.stato, t]))
  const elencati: TotaleStato[] = ORDINE_STATI.map((s) => ({
    stato: s,
    ...STATI[s],
    numero: perStato.get(s)?.numero ?? 0,
    importo_cents: perStato.get(s)?.importo_cents ?? 0,
  }))
  // A state this window does not list yet: shown with the back end's label.
  const altri = totali
    .filter((t) => !(t.stato in STATI))
    .map((t) => ({
      stato: t.stato,
      nome: t.etichetta,
      tono: (t.anomalia ? 'danger' : 'secondary') as Tono,
      anomalia: t.anomalia,
      numero: t.numero,
      importo_cents: t.importo_cents,
    }))
  return [...elencati, ...altri]
}

/** What the payments' list shows: the anomalies, everything, or one state (the back end's
 * filter codes). */
export type FiltroPagamenti = 'anomalie' | 'tutti' | StatoPagamento

/** Rows per page of a list paged on screen. */
export const PER_PAGINA = 50

/** The page `pagina` (from 0) of `righe`, with the number of pages (at least 1) and the page
 * actually shown (the last, when `pagina` is past it). */
export function paginaDi<T>(righe: readonly T[], pagina: number, perPagina = PER_PAGINA): { righe: T[]; pagine: number; pagina: number } {
  const pagine = Math.max(1, Math.ceil(righe.length / perPagina))
  const p = Math.min(Math.max(0, pagina), pagine - 1)
  return { righe: righe.slice(p * perPagina, (p + 1) * perPagina), pagine, pagina: p }
}

/** The files an FdR import takes (`.xml`), and the others, refused by name. */
export function soloXml(nomi: readonly string[]): { xml: string[]; altri: string[] } {
  const xml: string[] = []
  const altri: string[] = []
  for (const n of nomi) (/\.xml$/i.test(n) ? xml : altri).push(n)
  return { xml, altri }
}

/** The message for files an FdR import does not take. */
export function messaggioNonXml(altri: readonly string[]): string {
  const nomi = altri.map((a) => `«${a.split(/[\\/]/).pop()}»`).join(', ')
  return `${nomi}: si importano i flussi di rendicontazione in file .xml.`
}

/** The amount the treasury received for this FdR; null until an entry with its IUF is
 * imported. */
export function tesoreriaDi(f: FdrVista): number | null {
  return f.importo_tesoreria_cents ?? null
}

/** The treasury formats the clerk may pick; an empty code: recognised from the content. */
export const FORMATI_TESORERIA: { codice: FormatoTesoreria | ''; nome: string }[] = [
  { codice: '', nome: 'Riconosciuto dal contenuto' },
  { codice: 'csv', nome: 'CSV (giornale di cassa)' },
  { codice: 'xls', nome: 'Excel della banca (.xls, .xlsx)' },
  { codice: 'opi', nome: 'OPI (giornale di cassa XML)' },
  { codice: 'poste', nome: 'Poste (estratto conto)' },
]

/** The most refused or left-out rows listed one by one in an import's outcome. */
export const MAX_RIGHE_ESITO = 20

/** What an import of the treasury journal did, one line each: how the file was read, the rows
 * refused (row and field), those left out. The counts are in the back end's summary. */
export function righeEsitoTesoreria(e: EsitoImportazioneTesoreria): string[] {
  const nome = e.file.split(/[\\/]/).pop() ?? e.file
  const righe = [`${nome}: ${e.formato_nome}${e.riconosciuto ? ', formato riconosciuto dal contenuto' : ''}.`]
  const elenca = (titolo: string, r: EsitoImportazioneTesoreria['rifiutate']) => {
    for (const x of r.slice(0, MAX_RIGHE_ESITO))
      righe.push(`${titolo} ${x.riga}${x.campo ? `, «${x.campo}»` : ''}: ${x.messaggio}`)
    if (r.length > MAX_RIGHE_ESITO) righe.push(`… e ${conta(r.length - MAX_RIGHE_ESITO, 'altra riga', 'altre righe')}.`)
  }
  elenca('Rifiutata la riga', e.rifiutate)
  elenca('Lasciata fuori la riga', e.ignorate)
  return righe
}

/** A causale cut to `max` characters (the whole one is shown on request). */
export function causaleBreve(causale: string, max = 60): string {
  const c = causale.replace(/\s+/g, ' ').trim()
  return c.length <= max ? c : `${c.slice(0, max - 1).trimEnd()}…`
}

/** How the screen shows a treasury entry's outcome. */
export const ESITI_MOVIMENTO: Record<MovimentoVista['esito'], { nome: string; tono: Tono }> = {
  abbinato: { nome: 'abbinato', tono: 'success' },
  importo_diverso: { nome: 'importo diverso', tono: 'danger' },
  sconosciuto: { nome: 'non abbinato', tono: 'warning' },
  senza_riferimento: { nome: 'senza riferimento pagoPA', tono: 'secondary' },
}

/** An FdR row's outcome code in words. */
export function esitoRiga(esito: number): string {
  switch (esito) {
    case 0:
      return 'pagato'
    case 3:
      return 'revocato'
    case 4:
      return 'Stand-In'
    case 8:
      return 'Stand-In senza RPT'
    case 9:
      return 'senza RPT'
    default:
      return String(esito)
  }
}

