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

/** The platform and the credential it uses, as the clerk chose them in Impostazioni. */
const PIATTAFORMA: Record<InfoConnessione['piattaforma'], { nome: string; credenziale: string }> = {
  mypay: { nome: 'MyPay', credenziale: 'password' },
  aria: { nome: 'MyPay tramite il middleware regionale (ARIA)', credenziale: 'password' },
  pu: { nome: 'Piattaforma Unitaria', credenziale: 'segreto del client' },
}

/** `MyPay: ambiente collaudo (https://…) · password da: portachiavi del sistema`; on PU
 * `Piattaforma Unitaria: ambiente … · segreto del client da: …`. */
export function descriviConnessione(c: InfoConnessione): string {
  const indirizzo = c.demo ? '' : ` (${c.indirizzo})`
  const p = PIATTAFORMA[c.piattaforma] ?? PIATTAFORMA.mypay
  const origine = c.piattaforma === 'pu' && c.origine_password === 'demo'
    ? "segreto dell'ambiente dimostrativo"
    : ORIGINE_PASSWORD[c.origine_password]
  return `${p.nome}: ambiente ${AMBIENTI[c.ambiente] ?? c.ambiente}${indirizzo} · ${p.credenziale} da: ${origine}`
}
