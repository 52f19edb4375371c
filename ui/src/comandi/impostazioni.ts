// Typed calls to the Impostazioni commands (src-tauri/src/commands/impostazioni.rs) and the
// first start. The password is sent once to be stored in the OS keyring and never comes back.
import { invoke } from '@tauri-apps/api/core'
import type { Salvataggio } from './adesione'
import { connessioneInfo } from './connessione'

export type Ambiente = 'demo' | 'collaudo' | 'produzione' | 'custom'

export const AMBIENTI: { codice: Ambiente; nome: string }[] = [
  { codice: 'demo', nome: 'Dimostrativo (emulatore)' },
  { codice: 'collaudo', nome: 'Collaudo' },
  { codice: 'produzione', nome: 'Produzione' },
  { codice: 'custom', nome: 'Personalizzato' },
]

export interface StatoPassword {
  memorizzata: boolean
  fonte: string | null
  portachiavi_disponibile: boolean
  messaggio: string
}
export interface Impostazioni {
  ambiente: Ambiente
  urls: { ambiente: Ambiente; url: string | null }[]
  codice_ipa: string | null
  password: StatoPassword
  cartella_dati: string | null
  database: string | null
}
export interface InfoBackup {
  livello: number
  livello_attuale: number
  codice_ipa: string | null
  denominazione: string | null
  dovuti: number
  flussi: number
  ultima_operazione: string | null
}
export interface EsitoRipristino {
  info: InfoBackup
  copia_precedente: string | null
}
export interface PrimoAvvioDati {
  denominazione: string
  codice_ipa: string
  codice_fiscale: string
  codice_segregazione: string
  ambiente: Ambiente
  url: string
  password: string
}

export const impostazioni = {
  stato: () => invoke<Impostazioni>('impostazioni_stato'),
  salva: (ambiente: Ambiente, url: string | null) => invoke<Impostazioni>('impostazioni_salva', { ambiente, url }),
  passwordSalva: (password: string) => invoke<StatoPassword>('password_salva', { password }),
  passwordCancella: () => invoke<StatoPassword>('password_cancella'),
  apriCartellaDati: () => invoke<void>('cartella_dati_apri'),
  backupSalva: (percorsoFile: string) => invoke<string>('backup_salva', { percorsoFile }),
  backupEsamina: (percorsoFile: string) => invoke<InfoBackup>('backup_esamina', { percorsoFile }),
  backupRipristina: (percorsoFile: string) => invoke<EsitoRipristino>('backup_ripristina', { percorsoFile }),
  primoConfigura: (dati: PrimoAvvioDati) => invoke<Salvataggio>('primo_configura', { dati }),
  /** Resolves environment, address and password source as the remote commands do (connecting if needed). */
  verificaConnessione: connessioneInfo,
}
