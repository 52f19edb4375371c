// The background upkeep of the debts' indexes (src-tauri/src/commands/manutenzione.rs,
// mpd_app::home::stato_indici): after a
// very large import the search index is built in the background; meanwhile the search is
// complete but slower, and the Dovuti screen says so.
import { invoke } from '@tauri-apps/api/core'
import type { StatoIndici } from '../bindings'
import { conta } from '../format'

export type { StatoIndici }

export function statoIndici(): Promise<StatoIndici> {
  return invoke<StatoIndici>('manutenzione_stato')
}

/** What the clerk reads while the upkeep is behind, or `null` when everything is in place. */
export interface AvvisoIndici {
  testo: string
  /** Share of the debts already in the search index, 0–100. */
  percento: number
}

export function avvisoIndici(s: StatoIndici): AvvisoIndici | null {
  if (s.da_indicizzare <= 0 && s.indici_da_ricostruire <= 0) return null
  const fatti = Math.max(0, s.dovuti - s.da_indicizzare)
  const percento = s.dovuti > 0 ? Math.min(100, Math.floor((fatti * 100) / s.dovuti)) : 0
  const resto = `${conta(s.da_indicizzare, 'dovuto', 'dovuti')} da indicizzare`
  if (s.errore && !s.in_corso) {
    return {
      testo: `Aggiornamento degli indici interrotto (${s.errore}); riprenderà al prossimo avvio. La ricerca resta completa ma è più lenta (${resto}).`,
      percento,
    }
  }
  const cosa =
    s.indici_da_ricostruire > 0
      ? 'Sto ricostruendo gli indici dei filtri dopo un\'importazione molto grande'
      : 'Sto preparando la ricerca veloce dopo un\'importazione molto grande'
  return {
    testo: `${cosa}: i risultati sono già completi, ma possono arrivare più lentamente (${resto}).`,
    percento,
  }
}
