import { describe, expect, it } from 'vitest'
import { centesimi, controllaCampo, domandaAnnulla, domandaDuplicato, erroriPerCampo, numeroAvvisoLeggibile } from './sportello'

describe('erroriPerCampo', () => {
  it('maps the back end text onto the form fields', () => {
    const m = erroriPerCampo(
      'dovuto non valido: importo: manca l’importo; codice: codice fiscale errato; riga: qualcosa',
    )
    expect(m.campi).toEqual({ importo: 'manca l’importo', codice_pagatore: 'codice fiscale errato' })
    expect(m.generali).toEqual(['riga: qualcosa'])
    expect(erroriPerCampo('modifica non valida: causaleVersamento: troppo lunga').campi).toEqual({
      causale: 'troppo lunga',
    })
    expect(erroriPerCampo('MyPay non risponde')).toEqual({ campi: {}, generali: ['MyPay non risponde'] })
  })
})

describe('controllaCampo', () => {
  it('checks as the clerk types', () => {
    expect(controllaCampo('codice_pagatore', '')).toBe('Obbligatorio')
    expect(controllaCampo('codice_pagatore', 'RSSMRA80A01H501U')).toBeNull()
    expect(controllaCampo('codice_pagatore', '01234567890')).toBeNull()
    expect(controllaCampo('codice_pagatore', 'RSSMRA')).not.toBeNull()
    expect(controllaCampo('importo', '1.234,56')).toBeNull()
    expect(controllaCampo('importo', '12.5')).not.toBeNull()
    expect(controllaCampo('scadenza', '31/12/2026')).toBeNull()
    expect(controllaCampo('scadenza', '2026-12-31')).not.toBeNull()
    expect(controllaCampo('email', 'a@b')).not.toBeNull()
  })
})

describe('numeroAvvisoLeggibile', () => {
  it('groups the 18 digits by four', () => {
    expect(numeroAvvisoLeggibile('301234567890123456')).toBe('3012 3456 7890 1234 56')
  })
})

describe('the questions of the counter', () => {
  it('name the identical debt and the payer with Italian amounts and dates', () => {
    const riga = { iud: 'A', stato: 'loaded', etichetta: 'caricato', iuv: '', codice_pagatore: 'X', anagrafica: 'Mario Rossi', scadenza: '', importo_cents: 123456, tipo: 'TARI', causale: '', rifiuto: null, da_correggere: false } as const
    expect(domandaDuplicato([riga])).toBe(
      'Esiste già un dovuto uguale per questo pagatore (IUD A, 1.234,56 €, senza scadenza): crearne un altro?',
    )
    expect(domandaDuplicato([riga, { ...riga, iud: 'B' }, { ...riga, iud: 'C' }])).toContain('1.234,56 €, senza scadenza) e altri 2:')
    expect(domandaAnnulla('Mario Rossi', '1.234,5')).toBe('Annullare su MyPay il dovuto di Mario Rossi di 1.234,50 €?')
    expect(centesimi('12')).toBe(1200)
    expect(centesimi('dodici')).toBeNull()
  })
})
