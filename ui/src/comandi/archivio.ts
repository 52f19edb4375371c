// The local archive, encrypted at rest (mpd_app::archivio): its state, its recovery code, and
// opening it with the clerk's passphrase or recovery code.
import { invoke } from '@tauri-apps/api/core'
import type { ChiaveRipristino, StatoArchivio } from '../bindings'

export type { ChiaveRipristino, StatoArchivio } from '../bindings'

/** The codes after which the window asks for the archive's passphrase or recovery code. */
export const CODICI_SBLOCCO = ['chiave_archivio', 'portachiavi_archivio'] as const

export const archivio = {
  stato: () => invoke<StatoArchivio>('archivio_stato'),
  chiave: () => invoke<ChiaveRipristino>('archivio_chiave'),
  /** `conferma`: the repetition of a new passphrase (an archive not encrypted yet). */
  sblocca: (frase: string, conferma: string | null) => invoke<void>('archivio_sblocca', { frase, conferma }),
}
