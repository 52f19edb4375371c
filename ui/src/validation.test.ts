import { describe, expect, it } from 'vitest'
import {
  carattereControllo,
  controllaCodiceFiscale,
  controllaData,
  controllaImporto,
  controlliForm,
  perCampo,
  pulisciCodice,
} from './validation'
import {
  abbinamentiDa,
  assegna,
  estensioneAmmessa,
  lettera,
  obbligatoriMancanti,
  percentualeImport,
  perColonna,
} from './comandi/importa'
import { modificati, riassunto } from './comandi/dovuti'

describe('codice fiscale e partita IVA', () => {
  it('accetta codici validi anche con spazi e caratteri invisibili', () => {
    expect(carattereControllo('RSSMRA80A01H501')).toBe('U')
    expect(controllaCodiceFiscale('RSSMRA80A01H501U')).toBeNull()
    expect(controllaCodiceFiscale(' rssmra80a01h501u\u00a0\u200b')).toBeNull()
    expect(pulisciCodice(' ab c\u200b')).toBe('ABC')
    expect(controllaCodiceFiscale('02342520158')).toBeNull()
    expect(controllaCodiceFiscale('ANONIMO')).toBeNull()
  })
  it('spiega che cosa non va', () => {
    // Never the expected character (issue 13): the code is copied again from the document.
    expect(controllaCodiceFiscale('RSSMRA80A01H501X')).toContain('Va ricopiato dal documento')
    expect(controllaCodiceFiscale('RSSMRA80A01H501X')).not.toMatch(/\bU\b/)
    expect(controllaCodiceFiscale('RSSMRA80A01')).toContain('16 caratteri')
    expect(controllaCodiceFiscale('02342520159')).toContain('Partita IVA errata')
    expect(controllaCodiceFiscale('')).toContain('obbligatorio')
  })
})

describe('importi e date all’italiana', () => {
  it('importi', () => {
    expect(controllaImporto('1.234,56')).toBeNull()
    expect(controllaImporto('12')).toBeNull()
    expect(controllaImporto('€ 12,50')).toBeNull()
    expect(controllaImporto('12,345')).toContain('1.234,56')
    expect(controllaImporto('dodici')).toContain('non valido')
    expect(controllaImporto('0,00')).toContain('maggiore di zero')
    expect(controllaImporto('')).toContain('obbligatorio')
  })
  it('date', () => {
    expect(controllaData('31/12/2026')).toBeNull()
    expect(controllaData('')).toBeNull()
    expect(controllaData('31/02/2026')).toContain('gg/mm/aaaa')
    expect(controllaData('2026-12-31')).toContain('gg/mm/aaaa')
  })
  it('il form raccoglie ogni campo errato', () => {
    const e = controlliForm({
      codice_pagatore: 'RSSMRA80A01H501X',
      anagrafica: ' ',
      importo: 'abc',
      scadenza: '32/01/2026',
      email: 'mario@',
      cap: '301',
      provincia: 'Venezia',
    })
    expect(Object.keys(e).sort()).toEqual(
      ['anagrafica', 'cap', 'codice_pagatore', 'email', 'importo', 'provincia', 'scadenza'].sort(),
    )
    expect(
      controlliForm({ codice_pagatore: 'RSSMRA80A01H501U', anagrafica: 'Rossi Mario', importo: '10,00' }),
    ).toEqual({})
  })
  it('i problemi del server vanno sotto il loro campo', () => {
    const r = perCampo([
      { chiave: 'importo', campo: 'Importo €', messaggio: 'non è un importo', grave: true },
      { chiave: null, campo: null, messaggio: 'già in archivio', grave: true },
      { chiave: 'email', campo: 'Email', messaggio: 'dominio insolito', grave: false },
    ])
    expect(r.campi.importo).toEqual(['non è un importo'])
    expect(r.campi.email).toBeUndefined()
    expect(r.avvisi.email).toEqual(['dominio insolito'])
    expect(r.generali).toEqual(['già in archivio'])
    expect(r.bloccanti).toBe(true)
  })
})

describe('abbinamento delle colonne', () => {
  const campi = [
    { chiave: 'codice', etichetta: 'codice fiscale', obbligatorio: true, alternative: [] },
    { chiave: 'anagrafica', etichetta: 'cognome e nome', obbligatorio: true, alternative: ['cognome', 'nome'] },
    { chiave: 'importo', etichetta: 'importo', obbligatorio: true, alternative: [] },
    { chiave: 'cognome', etichetta: 'cognome', obbligatorio: false, alternative: [] },
    { chiave: 'scadenza', etichetta: 'scadenza', obbligatorio: false, alternative: [] },
  ]
  it('lettere delle colonne come nel foglio', () => {
    expect([0, 25, 26, 27, 701, 702].map(lettera)).toEqual(['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA'])
  })
  it('un campo va su una sola colonna e le modifiche diventano campo=LETTERA', () => {
    const proposta = perColonna({
      colonne: [
        { campo: 'codice', colonna: 0, intestazione: 'CF', lettera: 'A' },
        { campo: 'importo', colonna: 2, intestazione: 'Quota', lettera: 'C' },
      ],
    })
    expect(proposta).toEqual({ 0: 'codice', 2: 'importo' })
    expect(abbinamentiDa(proposta, proposta)).toEqual([])
    let scelta = assegna(proposta, 1, 'anagrafica')
    scelta = assegna(scelta, 3, 'importo')
    expect(scelta).toEqual({ 0: 'codice', 1: 'anagrafica', 3: 'importo' })
    expect(abbinamentiDa(proposta, scelta)).toEqual(['anagrafica=B', 'importo=D'])
    scelta = assegna(scelta, 0, '')
    expect(abbinamentiDa(proposta, scelta)).toEqual(['anagrafica=B', 'codice=-', 'importo=D'])
  })
  it('i campi obbligatori senza colonna si vedono prima di importare', () => {
    expect(obbligatoriMancanti({ 0: 'codice' }, campi)).toEqual(['cognome e nome', 'importo'])
    expect(obbligatoriMancanti({ 0: 'codice', 1: 'cognome', 2: 'importo' }, campi)).toEqual([])
  })
  it('avanzamento e file ammessi', () => {
    expect(percentualeImport(null)).toBeNull()
    expect(percentualeImport({ fase: 'verifica', righe: 4096, totale: null })).toBeNull()
    expect(percentualeImport({ fase: 'salvataggio', righe: 50, totale: 200 })).toBe(25)
    const estensioni = ['xlsx', 'csv']
    expect(estensioneAmmessa('Lista TARI.XLSX', estensioni)).toBe(true)
    expect(estensioneAmmessa('virus.exe', estensioni)).toBe(false)
  })
})

describe('form e azioni in blocco', () => {
  it('si inviano solo i campi cambiati', () => {
    expect(modificati({ importo: '12,00', anagrafica: 'Rossi' }, { importo: '12,50', anagrafica: 'Rossi' })).toEqual({
      importo: '12,50',
    })
  })
  it('riassunto dell’esito', () => {
    expect(
      riassunto(
        [
          { iud: 'A', ok: true, messaggio: '' },
          { iud: 'B', ok: false, messaggio: 'resta bozza' },
        ],
        'pronti',
        'non pronti',
      ),
    ).toBe('1 pronti, 1 non pronti: B (resta bozza)')
  })
})
