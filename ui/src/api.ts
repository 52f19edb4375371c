// Typed calls to the Tauri commands (src-tauri/src/commands/). Errors come back as
// `{codice, messaggio}`.
import { invoke } from '@tauri-apps/api/core'

export interface ErroreUi {
  codice: string
  messaggio: string
}

export function messaggioErrore(e: unknown): string {
  if (e && typeof e === 'object' && 'messaggio' in e) return String((e as ErroreUi).messaggio)
  return String(e)
}

// The Home's types, generated from mpd_app::home.
export type { EnteView, FlussoVista, MeseTotali, Panoramica, StatoVista, TipoDovuto } from './bindings'
import type { Panoramica } from './bindings'

export interface FiltroDovuti {
  stato?: string
  tipo?: string
  testo?: string
  scadenzaDal?: string
  scadenzaAl?: string
  offset: number
  limit: number
}
export interface RigaDovuto {
  iud: string
  stato: string
  etichetta: string
  iuv: string
  codice_pagatore: string
  anagrafica: string
  scadenza: string
  importo_cents: number
  tipo: string
  causale: string
  rifiuto: string | null
  /** A draft with problems to fix (kept by an import, or saved with errors). */
  da_correggere?: boolean
}
export interface PaginaDovuti {
  /** Counted on the first page only (`offset` 0); `null` for later pages. */
  totale: number | null
  offset: number
  righe: RigaDovuto[]
}

export const api = {
  panoramica: () => invoke<Panoramica>('panoramica'),
  avviaDemo: () => invoke<number>('avvia_demo'),
  dovutiPagina: (richiesta: FiltroDovuti) => invoke<PaginaDovuti>('dovuti_pagina', { richiesta }),
}
