import { describe, expect, it } from 'vitest'
import { descriviConnessione } from './connessione'

describe('descriviConnessione', () => {
  it('names the environment and the password source, never a password', () => {
    expect(
      descriviConnessione({ ambiente: 'collaudo', indirizzo: 'https://mypay.example.it', password_da: "variabile d'ambiente MYPAY_DESK_PASSWORD", origine_password: 'environment', demo: false, piattaforma: 'mypay' }),
    ).toBe("MyPay: ambiente collaudo (https://mypay.example.it) · password da: impostazione del computer per l'uso automatico")
    expect(
      descriviConnessione({ ambiente: 'collaudo', indirizzo: 'https://mypay.example.it', password_da: 'x', origine_password: 'keyring', demo: false, piattaforma: 'mypay' }),
    ).not.toMatch(/MYPAY_DESK|variabile/)
    expect(
      descriviConnessione({ ambiente: 'demo', indirizzo: 'http://127.0.0.1:4321', password_da: "password dell'ambiente dimostrativo", origine_password: 'demo', demo: true, piattaforma: 'mypay' }),
    ).toBe("MyPay: ambiente dimostrativo (emulatore integrato) · password da: password dell'ambiente dimostrativo")
  })

  it('names the platform and, on PU, the client secret', () => {
    expect(
      descriviConnessione({ ambiente: 'custom', indirizzo: 'https://pu.example.it', password_da: 'x', origine_password: 'environment', demo: false, piattaforma: 'pu' }),
    ).toBe("Piattaforma Unitaria: ambiente personalizzato (https://pu.example.it) · segreto del client da: impostazione del computer per l'uso automatico")
    expect(
      descriviConnessione({ ambiente: 'produzione', indirizzo: 'https://mw.example.it', password_da: 'x', origine_password: 'keyring', demo: false, piattaforma: 'aria' }),
    ).toBe('MyPay tramite il middleware regionale (ARIA): ambiente produzione (https://mw.example.it) · password da: portachiavi del sistema')
  })
})
