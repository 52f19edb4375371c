// Typed calls to the Impostazioni commands (src-tauri/src/commands/impostazioni.rs over
// mpd_app::impostazioni) and the first start; the types are generated (../bindings). The
// password is sent once to be stored in the OS keyring and never comes back.
import { invoke } from '@tauri-apps/api/core'
import type {
  Ambiente,
  EsitoRipristino,
  Impostazioni,
  InfoBackup,
  PasswordCancellata,
  PrimoAvvio,
  Salvataggio,
  StatoPassword,
} from '../bindings'
import { connessioneInfo } from './connessione'

export type { Ambiente }

export const AMBIENTI: { codice: Ambiente; nome: string }[] = [
  { codice: 'demo', nome: 'Dimostrativo (emulatore)' },
  { codice: 'collaudo', nome: 'Collaudo' },
  { codice: 'produzione', nome: 'Produzione' },
  { codice: 'custom', nome: 'Personalizzato' },
]

export type { EsitoRipristino, Impostazioni, InfoBackup, PasswordCancellata, StatoPassword }
/** The first-start setup's answers. */
export type PrimoAvvioDati = PrimoAvvio

/** The rule of the MyPay address (as mpd_client::config::check_url): `https://`, or `http://`
 * only towards this computer (a local emulator: localhost, 127.x.x.x, [::1]). */
export function indirizzoValido(url: string): boolean {
  const u = url.trim()
  if (/\s/.test(u)) return false
  const m = /^(https?):\/\/([^/?#]*)/i.exec(u)
  if (!m || m[2].includes('@')) return false
  const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(m[2])
  if (!hp || (hp[2] !== undefined && Number(hp[2]) > 65535)) return false
  if (m[1].toLowerCase() === 'https') return true
  const host = hp[1].toLowerCase()
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

export const impostazioni = {
  stato: () => invoke<Impostazioni>('impostazioni_stato'),
  salva: (ambiente: Ambiente, url: string | null) => invoke<Impostazioni>('impostazioni_salva', { ambiente, url }),
  passwordSalva: (password: string) => invoke<StatoPassword>('password_salva', { password }),
  passwordCancella: () => invoke<PasswordCancellata>('password_cancella'),
  apriCartellaDati: () => invoke<void>('cartella_dati_apri'),
  backupSalva: (percorsoFile: string) => invoke<string>('backup_salva', { percorsoFile }),
  backupEsamina: (percorsoFile: string) => invoke<InfoBackup>('backup_esamina', { percorsoFile }),
  backupRipristina: (percorsoFile: string) => invoke<EsitoRipristino>('backup_ripristina', { percorsoFile }),
  primoConfigura: (dati: PrimoAvvioDati) => invoke<Salvataggio>('primo_configura', { dati }),
  /** Resolves environment, address and password source as the remote commands do (connecting if needed). */
  verificaConnessione: connessioneInfo,
}
