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

/** `MyPay: ambiente collaudo (https://…) · password da: portachiavi del sistema`. */
export function descriviConnessione(c: InfoConnessione): string {
  const indirizzo = c.demo ? '' : ` (${c.indirizzo})`
  return `MyPay: ambiente ${AMBIENTI[c.ambiente] ?? c.ambiente}${indirizzo} · password da: ${c.password_da}`
}
