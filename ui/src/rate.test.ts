import { describe, expect, it } from 'vitest'
import type { VistaPosizione } from './bindings'
import { cambiDa, controllaRate, idCampo, problemiAlForm, statoDaPosizione, type RigaRata, type StatoRate } from './rate'

const riga = (chiave: string, importo: string, scadenza: string, numero: number | null = null): RigaRata => ({
  chiave, numero, importo, scadenza,
})
const tari = (unica = '240,00', ...rate: [string, string][]): StatoRate => ({
  unica: true,
  importoUnica: unica,
  scadenzaUnica: '30/04/2027',
  rate: (rate.length ? rate : ([['80,00', '30/04/2027'], ['80,00', '31/07/2027'], ['80,00', '31/10/2027']] as [string, string][]))
    .map(([i, d], k) => riga(`r${k + 1}`, i, d)),
})

describe('controllaRate', () => {
  it('adds the instalments up live and accepts them when they equal the rata unica', () => {
    const c = controllaRate(tari(), false)
    expect(c.campi).toEqual({})
    expect(c.generali).toEqual([])
    expect(c.somma).toBe(24000)
    expect(c.riepilogo).toBe('3 rate, in tutto 240,00 €: uguale alla rata unica.')
  })

  it('names the rata unica when the sum differs, and allows less only with the discount', () => {
    const piu = controllaRate(tari('250,00'), false)
    expect(piu.campi['unica-importo']).toBe(
      'Rata unica: è 250,00 €, le rate insieme 240,00 €; le rate devono sommare esattamente la rata unica (questo tipo dovuto non prevede sconti)',
    )
    expect(piu.riepilogo).toBe('3 rate, in tutto 240,00 €: 10,00 € meno della rata unica.')
    // A discount: 230 € at once against 240 € in instalments is fine, 250 € is not.
    const sconto = controllaRate(tari('230,00'), true)
    expect(sconto.campi).toEqual({})
    expect(sconto.riepilogo).toContain('la rata unica costa 10,00 € in meno')
    expect(controllaRate(tari('250,00'), true).campi['unica-importo']).toContain('mai di più')
    expect(controllaRate(tari('230,00'), false).campi['unica-importo']).toContain('esattamente')
  })

  it('names the instalment and the field of each problem', () => {
    const s = tari('240,00', ['80,00', '30/04/2027'], ['ottanta', '31/07/2027'], ['0,00', '01/05/2027'], ['80,00', '31/02/2028'])
    const c = controllaRate(s, false)
    expect(c.campi[idCampo(s.rate[1], 'importo')]).toMatch(/^Rata 2: importo non valido/)
    expect(c.campi[idCampo(s.rate[2], 'importo')]).toBe('Rata 3: l’importo deve essere maggiore di zero')
    // Due before instalment 2: the dates go up.
    expect(c.campi[idCampo(s.rate[2], 'scadenza')]).toBe(
      'Rata 3: scade il 01/05/2027, non dopo la rata 2 (31/07/2027); le scadenze delle rate vanno in ordine crescente',
    )
    expect(c.campi[idCampo(s.rate[3], 'scadenza')]).toMatch(/^Rata 4: data non valida/)
    // Sum unknown while an amount is not valid: no verdict on the rata unica.
    expect(c.campi['unica-importo']).toBeUndefined()
    expect(c.riepilogo).toBe('4 rate: la somma si vede quando ogni importo è valido.')
  })

  it('wants one option at least, a due date when the type asks, and at most 12 instalments', () => {
    expect(controllaRate({ unica: false, importoUnica: '', scadenzaUnica: '', rate: [] }, false).generali).toEqual([
      'Indichi almeno una rata unica o una rata',
    ])
    const senzaData = tari('80,00', ['80,00', ''])
    expect(controllaRate(senzaData, false, true).campi[idCampo(senzaData.rate[0], 'scadenza')]).toBe(
      'Rata 1: la scadenza è obbligatoria per questo tipo dovuto',
    )
    expect(controllaRate(senzaData, false, false).campi).toEqual({})
    const tredici = { unica: false, importoUnica: '', scadenzaUnica: '', rate: Array.from({ length: 13 }, (_, i) => riga(`x${i}`, '1,00', '')) }
    expect(controllaRate(tredici, false).generali).toEqual(['Una posizione ha al massimo 12 rate'])
  })
})

const vista = (): VistaPosizione => ({
  codice: 'TARI-1', oggetto: 'TARI 2027', stato: 'da pagare', da_rimborsare_cents: null, sconto_cents: 0,
  opzioni: [
    { rata: 0, etichetta: 'rata unica', iud: 'U', iuv: '', stato: 'caricato', importo_cents: 24000, scadenza: '2027-04-30' },
    { rata: 1, etichetta: 'rata 1', iud: 'R1', iuv: '', stato: 'caricato', importo_cents: 8000, scadenza: '2027-04-30' },
    { rata: 2, etichetta: 'rata 2', iud: 'R2', iuv: '', stato: 'caricato', importo_cents: 8000, scadenza: '2027-07-31' },
    { rata: 3, etichetta: 'rata 3', iud: 'R3', iuv: '', stato: 'caricato', importo_cents: 8000, scadenza: '2027-10-31' },
    { rata: 4, etichetta: 'rata 4', iud: 'R4', iuv: '', stato: 'annullato', importo_cents: 8000, scadenza: '2028-01-31' },
  ],
})

describe('cambiDa', () => {
  it('reads a stored position without its cancelled options and sends only what changed', () => {
    const s = statoDaPosizione(vista())
    expect(s.unica).toBe(true)
    expect(s.importoUnica).toBe('240,00')
    expect(s.rate.map((r) => [r.numero, r.importo, r.scadenza])).toEqual([
      [1, '80,00', '30/04/2027'], [2, '80,00', '31/07/2027'], [3, '80,00', '31/10/2027'],
    ])
    expect(cambiDa(vista(), s)).toEqual([])
    // Instalment 2 removed, 3 a month later, one added, the rata unica raised: in that order.
    const dopo: StatoRate = {
      ...s,
      importoUnica: '320,00',
      rate: [s.rate[0], { ...s.rate[2], scadenza: '30/11/2027' }, riga('n', '160,00', '31/01/2028')],
    }
    expect(cambiDa(vista(), dopo)).toEqual([
      { cambio: 'rimuovi', rata: 2 },
      { cambio: 'modifica', rata: 0, importo: '320,00' },
      { cambio: 'modifica', rata: 3, scadenza: '30/11/2027' },
      { cambio: 'aggiungi', importo: '160,00', scadenza: '31/01/2028' },
    ])
    // The rata unica switched off: removed.
    expect(cambiDa(vista(), { ...s, unica: false })).toEqual([{ cambio: 'rimuovi', rata: 0 }])
  })
})

describe('problemiAlForm', () => {
  it("puts the back end's problems at the editor's row (its numbering) and the payer's once", () => {
    const s = tari()
    const r = problemiAlForm(
      [
        { rata: 3, etichetta: 'rata 3', campo: 'scadenza', messaggio: 'la data è passata' },
        { rata: 0, etichetta: 'rata unica', campo: 'importo', messaggio: 'non torna' },
        { rata: 0, etichetta: 'rata unica', campo: 'codice_pagatore', messaggio: 'codice fiscale errato' },
        { rata: 1, etichetta: 'rata 1', campo: 'codice_pagatore', messaggio: 'codice fiscale errato' },
        { rata: null, etichetta: '', campo: 'rata', messaggio: 'troppe rate' },
      ],
      s,
      ['codice_pagatore'],
    )
    expect(r.campi).toEqual({
      [idCampo(s.rate[2], 'scadenza')]: 'Rata 3: la data è passata',
      'unica-importo': 'Rata unica: non torna',
      codice_pagatore: 'codice fiscale errato',
    })
    expect(r.generali).toEqual(['Posizione: troppe rate'])
  })
})
