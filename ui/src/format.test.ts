import { describe, expect, it } from 'vitest'
import { centsDaTesto, conta, senzaEtichetta, dataIso, dataIt, euro, meseIt, numero, parola, statoLabel } from './format'
import { mappaProblemi } from './validation'

describe('numero', () => {
  it('groups thousands always, four digits too', () => {
    // toLocaleString('it-IT') gives «1200»: the window never uses it.
    expect(numero(0)).toBe('0')
    expect(numero(999)).toBe('999')
    expect(numero(1200)).toBe('1.200')
    expect(numero(12345)).toBe('12.345')
    expect(numero(999999999)).toBe('999.999.999')
    expect(numero(-1500)).toBe('-1.500')
    expect(numero(2.5)).toBe('2,5')
    expect(numero(Number.NaN)).toBe('')
  })
})

describe('conta', () => {
  it('takes the singular only for one, with the number in Italian', () => {
    expect(conta(1, 'dovuto', 'dovuti')).toBe('1 dovuto')
    expect(conta(2, 'dovuto', 'dovuti')).toBe('2 dovuti')
    expect(conta(0, 'riga', 'righe')).toBe('0 righe')
    expect(conta(1200, 'ricevuta', 'ricevute')).toBe('1.200 ricevute')
    expect(conta(1, 'flusso', 'flussi')).toBe('1 flusso')
    expect(parola(1, 'è', 'sono')).toBe('è')
    expect(parola(3, 'è', 'sono')).toBe('sono')
  })
})

describe('senzaEtichetta', () => {
  it('drops the field’s name that the label above already shows', () => {
    expect(senzaEtichetta('Denominazione: obbligatoria (es. «Comune di Esempio»)', 'Denominazione')).toBe('Obbligatoria (es. «Comune di Esempio»)')
    expect(senzaEtichetta('Codice IPA «c x»: senza spazi né trattini', 'Codice IPA')).toBe('«c x»: senza spazi né trattini')
    expect(senzaEtichetta("Codice fiscale dell'Ente: obbligatorio, 11 cifre", 'Codice fiscale')).toBe('Obbligatorio, 11 cifre')
    expect(senzaEtichetta('IUD: l’IUD di un dovuto non si può cambiare', 'IUD')).toBe('L’IUD di un dovuto non si può cambiare')
    // A sentence that starts with the name is not a label: it stays whole.
    expect(senzaEtichetta('Importo non valido: scriva ad esempio 1.234,56', 'Importo')).toBe('Importo non valido: scriva ad esempio 1.234,56')
    expect(senzaEtichetta('non è una data valida', 'Scadenza')).toBe('non è una data valida')
  })
})

describe('euro', () => {
  it('formats cents the Italian way', () => {
    expect(euro(0)).toBe('0,00 €')
    expect(euro(5)).toBe('0,05 €')
    expect(euro(123456)).toBe('1.234,56 €')
    expect(euro(100000000)).toBe('1.000.000,00 €')
    expect(euro(-150)).toBe('-1,50 €')
  })
})

describe('dates', () => {
  it('shows ISO dates as dd/mm/yyyy', () => {
    expect(dataIt('2026-01-31')).toBe('31/01/2026')
    expect(dataIt('2026-01-31T10:00:00Z')).toBe('31/01/2026')
    expect(dataIt('')).toBe('')
  })
  it('reads dd/mm/yyyy and refuses impossible dates', () => {
    expect(dataIso('31/1/2026')).toBe('2026-01-31')
    expect(dataIso('29/02/2024')).toBe('2024-02-29')
    expect(dataIso('29/02/2026')).toBeNull()
    expect(dataIso('2026-01-31')).toBeNull()
    // Issue 13 item 19: `-` and `.` separate too, the same separator twice.
    expect(dataIso('31-03-2027')).toBe('2027-03-31')
    expect(dataIso('31.03.2027')).toBe('2027-03-31')
    expect(dataIso(' 1.4.2027 ')).toBe('2027-04-01')
    expect(dataIso('31-03/2027')).toBeNull()
    expect(dataIso('31.02.2027')).toBeNull()
  })
  it('names months in Italian', () => {
    expect(meseIt('2026-05')).toBe('mag 2026')
  })
})

describe('amounts typed by the clerk', () => {
  it('accepts Italian separators', () => {
    expect(centsDaTesto('1.234,56')).toBe(123456)
    expect(centsDaTesto('12,5')).toBe(1250)
    expect(centsDaTesto('12 €')).toBe(1200)
    expect(centsDaTesto('1,234.56')).toBeNull()
    expect(centsDaTesto('abc')).toBeNull()
  })
})

describe('state labels', () => {
  it('are Italian', () => {
    expect(statoLabel('paid')).toBe('Pagato')
    expect(statoLabel('rejected')).toBe('Scartato')
    expect(statoLabel('boh')).toBe('boh')
  })
})

describe('validation findings', () => {
  it('go under their field, warnings are marked and do not block', () => {
    const e = mappaProblemi([
      { codice: 'PAA_X', campo: 'codiceIdentificativoUnivoco', messaggio: 'codice fiscale errato', grave: true },
      { codice: 'MPD_Y', campo: 'causaleVersamento', messaggio: 'causale lunga', grave: false },
      { codice: 'MPD_Z', campo: null, messaggio: 'riga duplicata', grave: true },
    ])
    expect(e.campi.cf).toEqual(['codice fiscale errato'])
    expect(e.campi.causale).toEqual(['Attenzione: causale lunga'])
    expect(e.generali).toEqual(['riga duplicata'])
    expect(e.bloccanti).toBe(true)
    expect(mappaProblemi([{ codice: 'W', campo: 'email', messaggio: 'x', grave: false }]).bloccanti).toBe(false)
  })
})
