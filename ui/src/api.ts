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
 *  button where to act): the message itself names no command and no screen. */
export function messaggioErrore(e: unknown): string {
  if (e && typeof e === 'object' && 'messaggio' in e) {
    const { codice, messaggio } = e as ErroreUi
    const testo = String(messaggio)
    const suggerimento = typeof codice === 'string' ? suggerimentoFinestra(codice) : null
    if (!suggerimento) return testo
    return /[.!?]$/.test(testo.trim()) ? `${testo.trim()} ${suggerimento}` : `${testo.trim()}. ${suggerimento}`
  }
  return String(e)
}

export interface StatoVista {
  stato: string
  etichetta: string
  numero: number
  importo_cents: number
}
export interface MeseTotali {
  mese: string
  atteso_cents: number
  incassato_cents: number
}
export interface FlussoVista {
  nome: string
  stato: string
  etichetta: string
  righe: number
  righe_scartate: number
}
export interface TipoDovuto {
  codice: string
  descrizione?: string
}
export interface EnteView {
  ente: { codice_ipa: string; codice_fiscale: string; denominazione: string }
  tipi_dovuto: TipoDovuto[]
}
export interface Panoramica {
  versione: string
  database: string
  ente: EnteView | null
  demo: boolean
  dovuti_per_stato: StatoVista[]
  mensile: MeseTotali[]
  flussi_recenti: FlussoVista[]
  attenzione: { dovuti_scartati: number; dovuti_pronti: number; flussi_in_attesa: number }
  ultima_sincronizzazione: string | null
}

export const api = {
  panoramica: () => invoke<Panoramica>('panoramica'),
  avviaDemo: () => invoke<number>('avvia_demo'),
}
