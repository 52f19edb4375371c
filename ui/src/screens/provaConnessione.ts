// Vitest only: the demo's connection, as the screens that name where MyPay is
// (`ConnessioneMyPay`) ask the back end for it (`connessione_info`).
import type { InfoConnessione } from '../bindings'

export const CONNESSIONE_DEMO: InfoConnessione = {
  ambiente: 'demo',
  indirizzo: '',
  piattaforma: 'mypay',
  password_da: 'demo',
  origine_password: 'demo',
  demo: true,
}
