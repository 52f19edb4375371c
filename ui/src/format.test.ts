import { describe, expect, it } from 'vitest'
import { centsDaTesto, dataIso, dataIt, euro, meseIt, statoLabel } from './format'
import { mappaProblemi } from './validation'

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
