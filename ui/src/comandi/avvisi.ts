// Typed calls to the Avvisi commands (src-tauri/src/commands/avvisi.rs, mpd-app
// `avvisi::lotto`): the plan of a campaign's notices, the run with progress and cancel, the
// folder opened at the end. Types are generated (../bindings).
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  AvanzamentoAvvisi,
  Campagna,
  EsitoAvvisi,
  GruppoEsclusi,
  MotivoEsclusione,
  OpzioniLotto,
  PianoAvvisi,
  PosizioneEsclusa,
} from '../bindings'

export type { AvanzamentoAvvisi, Campagna, EsitoAvvisi, GruppoEsclusi, MotivoEsclusione, OpzioniLotto, PianoAvvisi, PosizioneEsclusa }

export const avvisi = {
  /** How many notices, what is skipped and why, which files: nothing is written. */
  prepara: (campagna: Campagna, perFile: number | null) =>
    invoke<PianoAvvisi>('avvisi_prepara', { campagna, perFile }),
  /** Writes the notices, the print files and the manifest; progress notice by notice. */
  genera: (campagna: Campagna, opzioni: OpzioniLotto, su: (a: AvanzamentoAvvisi) => void) => {
    const avanzamento = new Channel<AvanzamentoAvvisi>()
    avanzamento.onmessage = su
    return invoke<EsitoAvvisi>('avvisi_genera', { campagna, opzioni, avanzamento })
  },
  /** Stops the run: no file is left in the folder. */
  annulla: () => invoke<void>('avvisi_annulla'),
  /** Opens the folder with the file manager. */
  apriCartella: (percorso: string) => invoke<void>('avvisi_apri_cartella', { percorso }),
}

/** The share of notices drawn, 0–100. */
export function percentualeAvvisi(a: AvanzamentoAvvisi | null): number | null {
  if (!a || a.totale <= 0) return null
  return Math.max(0, Math.min(100, Math.round((a.fatti / a.totale) * 100)))
}

/** A campaign from the screen's fields: an empty type or year does not filter; a year must be
 * four digits. */
export function campagnaDa(tipo: string, anno: string): Campagna | string {
  const a = anno.trim()
  if (a && !/^\d{4}$/.test(a)) return 'Scriva l’anno con quattro cifre, ad esempio 2027.'
  return { tipo: tipo.trim() || null, anno: a ? Number(a) : null, codice_fiscale: null }
}
