// Typed calls to the Importa commands (src-tauri/src/commands/importa.rs) and the logic of the
// column mapping the clerk adjusts in the preview (tested by Vitest).
import { Channel, invoke } from '@tauri-apps/api/core'

/** A field the sheet can feed (mpd-sheets `Field`). */
export interface CampoFoglio {
  chiave: string
  etichetta: string
  obbligatorio: boolean
}

export interface ColonnaAbbinata {
  campo: string
  /** 0-based column index. */
  colonna: number
  intestazione: string
  lettera: string
}

export interface Anteprima {
  file: string
  sorgente: {
    formato: string
    fogli: { nome: string; nascosto: boolean }[]
    foglio: string
    codifica: string | null
    separatore: string | null
    note: string[]
  }
  /** Set when the file is a MyPay tracciato CSV (imported as such, no mapping). */
  tracciato: string | null
  riga_intestazione: number | null
  intestazioni: string[]
  mappatura: { colonne: ColonnaAbbinata[] }
  mappatura_salvata: boolean
  /** Mandatory fields with no column (Italian sentences). */
  mancanti: string[]
  righe: { riga: number; celle: string[] }[]
  campi: CampoFoglio[]
}

export interface ProblemaRiga {
  codice: string
  campo: string | null
  valore: string | null
  messaggio: string
  grave: boolean
}

export interface RigaReport {
  /** The clerk's row number in the sheet. */
  riga: number
  iud: string
  problemi: ProblemaRiga[]
  /** Kept as a draft debt under `iud`. */
  bozza?: boolean
}

export interface Report {
  file: string
  versione: string
  righe_lette: number
  righe_valide: number
  importate: number
  bozze?: number
  errori: RigaReport[]
  avvisi: RigaReport[]
  foglio?: { formato: string; foglio: string; riga_intestazione: number; note: string[] }
}

export interface Avanzamento {
  fase: 'verifica' | 'salvataggio'
  righe: number
  totale: number | null
}

export interface FileCaricato {
  percorso: string
  nome: string
  byte: number
}

/** What the clerk chose for the file. */
export interface Scelte {
  percorso: string
  foglio?: string
  tipo?: string
  /** `campo=LETTERA` or `campo=-` pairs (see `abbinamentiDa`). */
  abbinamenti?: string[]
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

const canale = (su: (a: Avanzamento) => void) => {
  const c = new Channel<Avanzamento>()
  c.onmessage = su
  return c
}

export const importa = {
  /** Sends the bytes of a file picked with `<input type="file">`; it is kept on disk. */
  carica: async (file: File): Promise<FileCaricato> => {
    const byte = new Uint8Array(await leggiByte(file))
    return invoke<FileCaricato>('importa_carica', byte, {
      headers: { 'x-nome-file': encodeURIComponent(file.name) },
    })
  },
  anteprima: (s: Scelte) => invoke<Anteprima>('importa_anteprima', { ...s }),
  verifica: (s: Scelte, su: (a: Avanzamento) => void) =>
    invoke<Report>('importa_verifica', { ...s, avanzamento: canale(su) }),
  esegui: (s: Scelte, su: (a: Avanzamento) => void) =>
    invoke<Report>('importa_esegui', { ...s, avanzamento: canale(su) }),
  annulla: () => invoke<void>('importa_annulla'),
  modello: (percorso: string) => invoke<string>('importa_modello', { percorso }),
}

/** `0` → `A`, `27` → `AB` (as the sheet names columns). */
export function lettera(i: number): string {
  let n = i + 1
  let s = ''
  while (n > 0) {
    const r = (n - 1) % 26
    s = String.fromCharCode(65 + r) + s
    n = Math.floor((n - 1) / 26)
  }
  return s
}

/** Column index → field key, from the mapping the back end proposed. */
export function perColonna(m: { colonne: ColonnaAbbinata[] }): Record<number, string> {
  const out: Record<number, string> = {}
  for (const c of m.colonne) out[c.colonna] = c.campo
  return out
}

/** The clerk sets column `col` to field `campo` ('' = none): a field feeds one column only,
 * so another column that had it loses it. */
export function assegna(att: Record<number, string>, col: number, campo: string): Record<number, string> {
  const out: Record<number, string> = {}
  for (const [k, v] of Object.entries(att)) {
    if (Number(k) !== col && v !== campo) out[Number(k)] = v
  }
  if (campo) out[col] = campo
  return out
}

/** The `campo=COLONNA` pairs that turn the proposed mapping into the clerk's: every field of
 * either side, mapped by letter or removed with `-`. Empty when nothing changed. */
export function abbinamentiDa(
  proposta: Record<number, string>,
  scelta: Record<number, string>,
): string[] {
  const campiProposti = new Map(Object.entries(proposta).map(([c, f]) => [f, Number(c)]))
  const campiScelti = new Map(Object.entries(scelta).map(([c, f]) => [f, Number(c)]))
  const out: string[] = []
  const tutti = [...new Set([...campiProposti.keys(), ...campiScelti.keys()])].sort()
  for (const f of tutti) {
    const p = campiProposti.get(f)
    const s = campiScelti.get(f)
    if (p === s) continue
    out.push(s === undefined ? `${f}=-` : `${f}=${lettera(s)}`)
  }
  return out
}

/** Mandatory fields with no column, as the window can tell before asking the back end
 * (payer name may come from «cognome» + «nome»). */
export function obbligatoriMancanti(scelta: Record<number, string>, campi: CampoFoglio[]): string[] {
  const usati = new Set(Object.values(scelta))
  return campi
    .filter((c) => c.obbligatorio && !usati.has(c.chiave))
    .filter((c) => !(c.chiave === 'anagrafica' && (usati.has('cognome') || usati.has('nome'))))
    .map((c) => c.etichetta)
}

/** Where the progress bar is: a percentage while saving, null (indeterminate) while reading. */
export function percentualeImport(a: Avanzamento | null): number | null {
  if (!a || !a.totale) return null
  return Math.max(0, Math.min(100, Math.round((a.righe / a.totale) * 100)))
}

/** Extensions the import reads. */
export const ESTENSIONI = ['xlsx', 'xlsm', 'xls', 'ods', 'csv', 'txt']

export function estensioneAmmessa(nome: string): boolean {
  const m = /\.([^.]+)$/.exec(nome)
  return !!m && ESTENSIONI.includes(m[1].toLowerCase())
}
