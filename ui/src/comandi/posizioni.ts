// Typed calls to the positions' commands (src-tauri/src/commands/dovuti.rs, mpd-app
// `posizioni`, issue 14): create one from the window's form, change its instalments, print its
// pagoPA notice. Types are generated (../bindings).
import { invoke } from '@tauri-apps/api/core'
import { save } from '@tauri-apps/plugin-dialog'

import type { AvvisoStampato, CambioRate, EsitoRate, NuovaPosizione } from '../bindings'

export type { CambioRate, EsitoRate, NuovaPosizione }

export const posizioni = {
  /** A position with its rata unica and instalments, ready (or drafts with `bozza`). */
  crea: (posizione: NuovaPosizione, bozza: boolean) => invoke<EsitoRate>('posizione_crea', { posizione, bozza }),
  /** Changes, adds and removes instalments of a position, all together. */
  cambiaRate: (codice: string, cambi: CambioRate[]) => invoke<EsitoRate>('posizione_cambia_rate', { codice, cambi }),
  /** Writes the pagoPA notice of a position (its code, or one of its debts' IUD: a debt on its
   * own is a position of one) as PDF. */
  avviso: (codice: string, percorso: string) => invoke<AvvisoStampato>('posizione_avviso', { codice, percorso }),
}

/** Asks where to save the notice of `codice` and writes it there; null when the clerk gave up. */
export async function stampaAvviso(codice: string): Promise<AvvisoStampato | null> {
  const scelto = await save({
    title: `Salva l'avviso pagoPA di ${codice}`,
    defaultPath: `avviso-${codice}.pdf`,
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
  })
  if (!scelto) return null
  const file = scelto.toLowerCase().endsWith('.pdf') ? scelto : `${scelto}.pdf`
  return posizioni.avviso(codice, file)
}
