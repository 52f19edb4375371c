// Typed calls to the Tauri commands (src-tauri/src/commands/). Errors come back as
// `{codice, messaggio}`.
import { invoke } from '@tauri-apps/api/core'
import type { Codice } from './bindings'
import { suggerimentoFinestra } from './suggerimenti'

export interface ErroreUi {
  codice: Codice
  messaggio: string
}

/** The error's message for the clerk, followed by the window's hint for its code (the screen or
 *  button where to act): the message itself names no command and no screen. `suggerimenti`
 *  replaces the general hint of a code where the action differs (`null`: none). */
export function messaggioErrore(e: unknown, suggerimenti?: Partial<Record<Codice, string | null>>): string {
  if (e && typeof e === 'object' && 'messaggio' in e) {
    const { codice, messaggio } = e as ErroreUi
    const testo = String(messaggio)
    const suggerimento =
      typeof codice !== 'string'
        ? null
        : suggerimenti && codice in suggerimenti
          ? (suggerimenti[codice] ?? null)
          : suggerimentoFinestra(codice)
    if (!suggerimento) return testo
    return /[.!?]$/.test(testo.trim()) ? `${testo.trim()} ${suggerimento}` : `${testo.trim()}. ${suggerimento}`
  }
  // Not one of the back end's coded errors: a plugin's or the WebView's own words (English, a
  // command's name). The clerk reads what to do; the detail goes to the console (issue 13
  // item 17, ui/WRITING.md).
  console.error('errore senza codice', e)
  return ERRORE_FINESTRA
}

/** What the clerk reads for a failure without a code. */
export const ERRORE_FINESTRA =
  'Operazione non riuscita per un problema della finestra. Riprovi; se si ripete, chiuda e riapra MyPay Desk e, se non basta, chieda assistenza.'


// The Home's types, generated from mpd_app::home.
export type { EnteView, FlussoVista, MeseTotali, Panoramica, StatoVista, TipoDovuto } from './bindings'
import type { Panoramica } from './bindings'

export const api = {
  panoramica: () => invoke<Panoramica>('panoramica'),
  avviaDemo: () => invoke<number>('avvia_demo'),
}
