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
  Piattaforma,
  Conservazione,
  Pulizia,
} from '../bindings'
import { connessioneInfo } from './connessione'

export type { Ambiente }

export const AMBIENTI: { codice: Ambiente; nome: string }[] = [
  { codice: 'demo', nome: 'Dimostrativo (emulatore)' },
  { codice: 'collaudo', nome: 'Collaudo' },
  { codice: 'produzione', nome: 'Produzione' },
  { codice: 'custom', nome: 'Personalizzato' },
]

export type { Conservazione, EsitoRipristino, Impostazioni, InfoBackup, PasswordCancellata, Pulizia, StatoPassword }
/** The first-start setup's answers. */
export type PrimoAvvioDati = PrimoAvvio

export const impostazioni = {
  stato: () => invoke<Impostazioni>('impostazioni_stato'),
  salva: (ambiente: Ambiente, url: string | null, piattaforma?: Piattaforma, clientId?: string | null) =>
    invoke<Impostazioni>('impostazioni_salva', piattaforma === undefined ? { ambiente, url } : { ambiente, url, piattaforma, clientId: clientId ?? null }),
  passwordSalva: (password: string) => invoke<StatoPassword>('password_salva', { password }),
  passwordCancella: () => invoke<PasswordCancellata>('password_cancella'),
  apriCartellaDati: () => invoke<void>('cartella_dati_apri'),
  backupSalva: (percorsoFile: string) => invoke<string>('backup_salva', { percorsoFile }),
  /** `chiave`: the recovery code or passphrase of a backup made on another computer. */
  backupEsamina: (percorsoFile: string, chiave: string | null = null) =>
    invoke<InfoBackup>('backup_esamina', { percorsoFile, chiave }),
  backupRipristina: (percorsoFile: string, chiave: string | null = null) =>
    invoke<EsitoRipristino>('backup_ripristina', { percorsoFile, chiave }),
  /** How long flows, result files, exports and notices are kept, and the last clean-up. */
  conservazione: () => invoke<Conservazione>('conservazione'),
  /** `giorni: null`: never delete. */
  conservazioneSalva: (giorni: number | null) => invoke<Conservazione>('conservazione_salva', { giorni }),
  conservazioneApplica: () => invoke<Pulizia>('conservazione_applica'),
  primoConfigura: (dati: PrimoAvvioDati) => invoke<Salvataggio>('primo_configura', { dati }),
  /** What is wrong with the MyPay address for this environment (the rule of saving), or null. */
  controllaIndirizzo: (ambiente: Ambiente, url: string) => invoke<string | null>('indirizzo_controlla', { ambiente, url }),
  /** Resolves environment, address and password source as the remote commands do (connecting if needed). */
  verificaConnessione: connessioneInfo,
}
