// The connection to MyPay as the window sees it (src-tauri/src/commands/connessione.rs,
// mpd_app::impostazioni::connessione_info).
import { invoke } from '@tauri-apps/api/core'
import type { InfoConnessione } from '../bindings'

export type { InfoConnessione }

/** Connects if needed (in the demo this starts the embedded emulator) and says where to. */
export const connessioneInfo = () => invoke<InfoConnessione>('connessione_info')

const AMBIENTI: Record<string, string> = {
  demo: 'dimostrativo (emulatore integrato)',
  collaudo: 'collaudo',
  produzione: 'produzione',
  custom: 'personalizzato',
}

/** Where the password came from, in the window's words (issue 13: the window never names an
 * environment variable; the CLI does, it is where a script sets it). */
const ORIGINE_PASSWORD: Record<InfoConnessione['origine_password'], string> = {
  keyring: 'portachiavi del sistema',
  environment: "impostazione del computer per l'uso automatico",
  demo: "password dell'ambiente dimostrativo",
}

/** `MyPay: ambiente collaudo (https://…) · password da: portachiavi del sistema`. */
export function descriviConnessione(c: InfoConnessione): string {
  const indirizzo = c.demo ? '' : ` (${c.indirizzo})`
  return `MyPay: ambiente ${AMBIENTI[c.ambiente] ?? c.ambiente}${indirizzo} · password da: ${ORIGINE_PASSWORD[c.origine_password]}`
}
