// Typed calls to the Resoconto commands (src-tauri/src/commands/rapporto.rs): the one-page
// report for the ragioneria or the mayor, on screen and saved as PDF or Excel.
import { invoke } from '@tauri-apps/api/core'

import type { FormatoRapporto, ImportiRapporto, Moroso, Rapporto, RapportoMese, RapportoTipo } from '../bindings'

export type { FormatoRapporto, ImportiRapporto, Moroso, Rapporto, RapportoMese, RapportoTipo }

export const rapporto = {
  /** The report on `oggi` (`YYYY-MM-DD`; none: today). */
  calcola: (oggi?: string) => invoke<Rapporto>('rapporto', { oggi }),
  /** Saves the report on `oggi` as PDF or Excel at `percorso`. */
  esporta: (formato: FormatoRapporto, percorso: string, oggi?: string) =>
    invoke<Rapporto>('rapporto_esporta', { formato, percorso, oggi }),
}

/** The extension of each format, for the save dialog. */
export const ESTENSIONI: Record<FormatoRapporto, { nome: string; estensione: string }> = {
  pdf: { nome: 'PDF', estensione: 'pdf' },
  xlsx: { nome: 'Excel', estensione: 'xlsx' },
}
