// What every section of the Riconciliazione screen shares: the data loaded once for the
// screen, the outcome area and the reload. A new section (the FdR download, the treasury
// journal, the reversal proposals, the exports) takes the same props.
import type { FdrVista } from '../../comandi/riconciliazione'
import type { Livello } from '../../bindings'

/** The screen's data, loaded again after every change (a new object each time, so the
 * sections that load their own data reload it too): the FdR. The payments come a page at a
 * time, apart. */
export interface DatiRiconciliazione {
  fdr: FdrVista[]
}

/** The outcome of an action, shown in the screen's live area (read out by screen readers). */
export interface Esito {
  livello: Livello
  testo: string
  /** One line each (the files of an import). */
  dettagli?: string[]
}

/** What a section receives from the screen. */
export interface SezioneProps {
  /** Null while loading, or when the load failed (the error is shown once, by the screen). */
  dati: DatiRiconciliazione | null
  /** Reloads the data after a change (an import, the rules). */
  ricarica: () => Promise<void>
  /** Shows an action's outcome (or clears it with null). */
  esito: (e: Esito | null) => void
  /** An action is running somewhere on the screen: the others wait. */
  occupato: boolean
  setOccupato: (v: boolean) => void
}
