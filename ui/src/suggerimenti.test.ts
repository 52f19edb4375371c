import { describe, expect, it } from 'vitest'
import { ERRORE_FINESTRA, messaggioErrore } from './api'
import type { Codice } from './bindings'
import { suggerimentoFinestra } from './suggerimenti'

describe('suggerimentoFinestra', () => {
  it('names a screen or a button, never a command or a flag, and speaks with «Lei»', () => {
    const codici: Codice[] = ['ente_mancante', 'profilo_ente', 'impostazioni', 'password_mancante',
      'password_rifiutata', 'mypay_non_raggiunto', 'esito_incerto', 'rinviato']
    for (const c of codici) {
      const s = suggerimentoFinestra(c)
      expect(s, c).toMatch(/schermata «[^»]+»/)
      expect(s, c).not.toMatch(/mypay-desk|--[a-z]/)
      // «Lei», never «tu»: Salvi, prema, cerchi (not salva, premi, cerca).
      expect(s, c).not.toMatch(/\b(salva|reimposta|cerca|premi|usa)\b/i)
    }
    expect(suggerimentoFinestra('non_valido')).toBeNull()
  })
  it('returns null for a code it does not know', () => {
    expect(suggerimentoFinestra('sconosciuto' as Codice)).toBeNull()
  })
})

describe('messaggioErrore', () => {
  it('adds the hint of the code after the message', () => {
    expect(messaggioErrore({ codice: 'ente_mancante', messaggio: "nessun profilo dell'Ente: va caricato prima di continuare" }))
      .toBe("nessun profilo dell'Ente: va caricato prima di continuare. Il profilo dell'Ente si carica nella schermata «Ente e adesione».")
    expect(messaggioErrore({ codice: 'rinviato', messaggio: 'La modifica è salvata.' }))
      .toBe('La modifica è salvata. La modifica parte con «Invia a MyPay» nella schermata «Flussi».')
  })
  it('leaves a message without hint, and a thrown string, as they are', () => {
    expect(messaggioErrore({ codice: 'non_valido', messaggio: 'importo: obbligatorio' })).toBe('importo: obbligatorio')
    // An error without a code (a plugin's English words, an invalid argument) never reaches
    // the clerk as it is.
    expect(messaggioErrore('invalid args `percorso` for command `importa_carica`')).toBe(ERRORE_FINESTRA)
    expect(messaggioErrore(new Error('Launcher gio failed: ExitStatus(2)'))).toBe(ERRORE_FINESTRA)
  })
})
