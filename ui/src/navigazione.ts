// Moving between sections from inside a screen (a rejected row in Flussi opens the debt in
// Dovuti, the Home's attention list opens the right screen).
import { createContext, useContext } from 'react'

export type SezioneId =
  | 'home'
  | 'dovuti'
  | 'importa'
  | 'flussi'
  | 'ricevute'
  | 'riconciliazione'
  | 'rapporto'
  | 'sportello'
  | 'avvisi'
  | 'ente'
  | 'contributo'
  | 'impostazioni'

/** What the target screen should open or filter on arrival. */
export interface ParametriNavigazione {
  /** Dovuti: open the edit form of this IUD. */
  iud?: string
  /** Dovuti: start filtered on this state (e.g. `rejected`). */
  stato?: string
  /** Flussi: select this flow. */
  flusso?: string
  /** Flussi: list only the flows still waiting for MyPay's outcome (the Home's "Da controllare"). */
  inAttesa?: boolean
}

export type Naviga = (sezione: SezioneId, parametri?: ParametriNavigazione) => void

export const NavigazioneContext = createContext<Naviga>(() => {})

/** The function that switches section, from any screen. */
export function useNaviga(): Naviga {
  return useContext(NavigazioneContext)
}

/** What every screen receives from the shell. */
export interface SchermataProps {
  /** The Home overview: Ente, payment types, counts (refreshed by `ricarica`). */
  dati: import('./api').Panoramica
  /** Reloads the overview (after work that changes counts, the Ente or the settings). */
  ricarica: () => void
  /** What the screen should open on arrival (see `useNaviga`). */
  parametri?: ParametriNavigazione
}
