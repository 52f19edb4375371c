// Typed calls to the Importa commands (src-tauri/src/commands/importa.rs, mpd-app `importa`)
// and the logic of the column mapping the clerk adjusts in the preview (tested by Vitest).
// Types are generated (../bindings); the files read and the fields offered come from the back
// end (`importa_formati`, and `campi` in every preview).
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  Anteprima,
  AvanzamentoImportazione,
  CampoFoglio,
  ColonnaAbbinata,
  EsitoAzione,
  FileCaricato,
  Formati,
  Importazione,
  ImportazioneAnnullata,
  GruppoDuplicati,
  Mappatura,
  Resoconto,
  RigaResoconto,
  Scelte,
} from '../bindings'

export type {
  Anteprima,
  AvanzamentoImportazione as Avanzamento,
  CampoFoglio,
  ColonnaAbbinata,
  FileCaricato,
  Formati,
  Importazione,
  ImportazioneAnnullata,
  GruppoDuplicati,
  Resoconto as Report,
  RigaResoconto as RigaReport,
  Scelte,
}

type Avanzamento = AvanzamentoImportazione

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
  /** The files the import reads and the fields its mapping offers. */
  formati: () => invoke<Formati>('importa_formati'),
  anteprima: (scelte: Scelte) => invoke<Anteprima>('importa_anteprima', { scelte }),
  verifica: (scelte: Scelte, su: (a: Avanzamento) => void) =>
    invoke<Resoconto>('importa_verifica', { scelte, avanzamento: canale(su) }),
  esegui: (scelte: Scelte, su: (a: Avanzamento) => void) =>
    invoke<Resoconto>('importa_esegui', { scelte, avanzamento: canale(su) }),
  /** «Importa comunque»: the drafts of a group of probable duplicates become ready. */
  comunque: (bozze: string[]) => invoke<EsitoAzione[]>('importa_comunque', { bozze }),
  annulla: () => invoke<void>('importa_annulla'),
  modello: (percorso: string) => invoke<string>('importa_modello', { percorso }),
  /** The last import not undone, or null. */
  ultima: () => invoke<Importazione | null>('importa_ultima'),
  /** «Annulla questa importazione» (default: the last one). */
  annullaImportazione: (id: number | null) =>
    invoke<ImportazioneAnnullata>('importa_annulla_importazione', { id }),
}

/** The report of the last import, with the import it describes (for «Annulla questa
 * importazione»). */
export interface UltimoResoconto {
  report: Resoconto
  importazione: Importazione | null
}

// The last import's report is kept here, in the window's memory, until the next import: the
// Importa screen is unmounted when the clerk opens another section (or a draft of the report in
// Dovuti) and finds it again on return. It is not stored in the database: what it says lives
// there already (the debts, and each draft's problems in its note, which Dovuti shows and
// «Successiva da correggere» walks through), and the undo of the last import is offered after a
// restart too, from `importa.ultima()`.
let ultimoResoconto: UltimoResoconto | null = null

/** The report kept from the last import, if any. */
export function resocontoConservato(): UltimoResoconto | null {
  return ultimoResoconto
}

/** Keeps (or, with null, forgets) the last import's report. */
export function conservaResoconto(r: UltimoResoconto | null): void {
  ultimoResoconto = r
}

/** The report after «Importa comunque» made the drafts `pronti` ready (issue 13): they leave
 * the drafts, the rows with errors and their groups, so the counts on screen (and the report
 * kept for the return to Importa) say what is true now, and no group offers them again. */
export function segnaPronti(r: Resoconto, pronti: string[]): Resoconto {
  if (!pronti.length) return r
  const fatti = new Set(pronti)
  const tolte = r.errori.filter((e) => e.bozza && fatti.has(e.iud)).length
  return {
    ...r,
    righe_valide: r.righe_valide + tolte,
    bozze: Math.max(0, (r.bozze ?? 0) - pronti.length),
    errori: r.errori.filter((e) => !(e.bozza && fatti.has(e.iud))),
    duplicati: (r.duplicati ?? []).map((g) => ({ ...g, bozze: g.bozze.filter((b) => !fatti.has(b)) })),
  }
}

/** «Riga 11 — ROSSI MARIO, 120,00 €»: what identifies a row of the report for the clerk. */
export function intestazioneRiga(r: Pick<RigaResoconto, 'riga' | 'pagatore' | 'importo'>): string {
  const chi = [r.pagatore, r.importo].filter((t) => t && t.trim()).join(', ')
  return chi ? `Riga ${r.riga} — ${chi}` : `Riga ${r.riga}`
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
export function perColonna(m: Mappatura): Record<number, string> {
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

/** Mandatory fields with no column (nor one of the fields that may take its place, as the
 * payer's name from «cognome» and «nome»), as the window can tell before asking the back end. */
export function obbligatoriMancanti(scelta: Record<number, string>, campi: CampoFoglio[]): string[] {
  const usati = new Set(Object.values(scelta))
  return campi
    .filter((c) => c.obbligatorio && !usati.has(c.chiave))
    .filter((c) => !c.alternative.some((a) => usati.has(a)))
    .map((c) => c.etichetta)
}

/** Where the progress bar is: a percentage while saving, null (indeterminate) while reading. */
export function percentualeImport(a: Avanzamento | null): number | null {
  if (!a || !a.totale) return null
  return Math.max(0, Math.min(100, Math.round((a.righe / a.totale) * 100)))
}

/** Whether the import reads a file so named (`estensioni` from `importa.formati()`). */
export function estensioneAmmessa(nome: string, estensioni: readonly string[]): boolean {
  const m = /\.([^.]+)$/.exec(nome)
  return !!m && estensioni.includes(m[1].toLowerCase())
}
