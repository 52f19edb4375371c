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
