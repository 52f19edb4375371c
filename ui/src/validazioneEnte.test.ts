import { describe, expect, it } from 'vitest'
import {
  CF_CONTROLLO,
  PIVA_CONTROLLO,
  abitanti,
  controllaCf16,
  controllaIban,
  controllaPiva,
  controllaPopolazione,
  etichettaCampo,
  validaCodiciEnte,
  validaModulo,
} from './validazioneEnte'
import type { ModuloEnte } from './comandi/adesione'
import { cercaTassonomia, euroDecimale } from './comandi/adesione'

const vuoto = { nome: '', codice_fiscale: '', email: '', telefono: '', ruolo: '' }
function modulo(): ModuloEnte {
  return {
    denominazione: 'Comune di Esempio',
    codice_ipa: 'c_x123',
    codice_fiscale: '01199250158',
    codice_segregazione: '12',
    pec: 'protocollo@pec.comune.esempio.it',
    indirizzo: '',
    tipo_ente: 'comune-montano',
    codice_istat: '097999',
    popolazione: '4.200',
    popolazione_fonte: 'ISTAT',
    popolazione_data: '31/12/2025',
    modalita: ['base', 'per-flussi'],
    legale_rappresentante: 'Mario Rossi',
    referente_amministrativo: { ...vuoto, nome: 'Anna', email: 'a@comune.it', codice_fiscale: 'RSSMRA80A01H501U' },
    referente_tecnico: { ...vuoto },
    conti: [{ iban: 'IT60 X054 2811 1010 0000 0123 456', tipo: 'tesoreria', intestatario: '', descrizione: '' }],
    tipi: [
      {
        codice: 'TARI', descrizione: 'Tassa rifiuti', tassonomia: '9/0101101IM/', attivo: true, cf_anonimo: false,
        scadenza_obbligatoria: true, stampa_data_scadenza: true, importo_predefinito: '120,50', causale_predefinita: '',
        scadenza_predefinita: '', iban: '', capitolo: '', modalita: '',
        conto_postale: '', intestatario_conto_postale: '', autorizzazione_poste: '',
      },
    ],
    avviso: { settore: 'Ufficio Tributi', info: '', cbill: 'a0edt', canale_fisico: '', logo: '' },
  }
}

describe('IBAN', () => {
  it('accepts a valid one with spaces and lower case, refuses a wrong check digit and length', () => {
    expect(controllaIban('it60 x054 2811 1010 0000 0123 456')).toBeNull()
    expect(controllaIban('IT61X0542811101000000123456')).toMatch(/controllo/)
    expect(controllaIban('IT60X054281110100000012345')).toMatch(/27 caratteri, questo ne ha 26/)
    expect(controllaIban('DE89370400440532013000')).toBeNull()
    expect(controllaIban('ciao')).toMatch(/forma/)
  })
})

describe('fiscal codes', () => {
  it('checks the 11-digit code of a body', () => {
    expect(controllaPiva('01199250158')).toBeNull()
    expect(controllaPiva('01199250159')).toBe(PIVA_CONTROLLO)
    expect(controllaPiva('01199250159')).not.toMatch(/8/)
    expect(controllaPiva('0119925015')).toMatch(/11 cifre, ne ha 10/)
    expect(controllaPiva('0119925015A')).toMatch(/solo cifre/)
    expect(controllaPiva('00000000000')).toMatch(/tutte zero/)
  })
  it("checks a person's code, omocodia included", () => {
    expect(controllaCf16('RSSMRA80A01H501U')).toBeNull()
    expect(controllaCf16('rssmra80a01h501u')).toBeNull()
    expect(controllaCf16('RSSMRA80A01H501X')).toBe(CF_CONTROLLO)
    expect(controllaCf16('RSSMRA80A01H50MU')).toMatch(/controllo/) // omocodia letter, other check char
    expect(controllaCf16('RSSMRA80')).toMatch(/16 caratteri/)
  })
})

describe('population', () => {
  it('needs a past reference date when a population is given', () => {
    const oggi = '2026-11-27'
    expect(controllaPopolazione('4.200', '31/12/2025', oggi)).toEqual({})
    expect(controllaPopolazione('4.200', '2025-12-31', oggi)).toEqual({})
    expect(controllaPopolazione('4.200', '', oggi).popolazione_data).toMatch(/obbligatoria/)
    expect(controllaPopolazione('4.200', '31/02/2025', oggi).popolazione_data).toMatch(/non è una data/)
    expect(controllaPopolazione('4.200', '01/01/2027', oggi).popolazione_data).toMatch(/futuro/)
    expect(controllaPopolazione('molti', '31/12/2025', oggi).popolazione).toMatch(/numero intero/)
    expect(controllaPopolazione('', '', oggi)).toEqual({})
    expect(abitanti('3.001')).toBe(3001)
  })
})

describe("the notice's fields", () => {
  it('checks the CBILL code, the lengths and the postal account with the back end keys and words', () => {
    const m = modulo()
    m.avviso.cbill = 'A0ED'
    m.avviso.settore = 'Ufficio '.repeat(8)
    m.avviso.info = 'x'.repeat(101)
    m.tipi[0].conto_postale = '1234567890123'
    const e = validaModulo(m, '2026-11-27')
    expect(Object.keys(e).sort()).toEqual([
      'avviso.cbill', 'avviso.info', 'avviso.settore',
      'tipi.0.autorizzazione_poste', 'tipi.0.conto_postale', 'tipi.0.intestatario_conto_postale',
    ])
    expect(e['avviso.cbill']).toBe('Codice CBILL «A0ED»: sono 5 lettere o cifre (es. «A0EDT»), come assegnato dalla banca tesoriera')
    expect(e['avviso.settore']).toMatch(/^Settore o ufficio: è lungo 63 caratteri, l'avviso pagoPA ne stampa al massimo 50$/)
    expect(e['tipi.0.conto_postale']).toMatch(/^Tipo dovuto «TARI», Conto corrente postale «1234567890123»: sono 12 cifre/)
    // A complete account with fewer digits is fine (the leading zeros are added on save).
    const ok = modulo()
    Object.assign(ok.tipi[0], { conto_postale: '1234 567', intestatario_conto_postale: 'Comune di Esempio', autorizzazione_poste: 'AUT. 1' })
    expect(validaModulo(ok, '2026-11-27')).toEqual({})
  })
})

describe('the whole form', () => {
  it('is valid when complete and names each bad field with the back end keys', () => {
    expect(validaModulo(modulo(), '2026-11-27')).toEqual({})
    const m = modulo()
    m.codice_fiscale = '01199250159'
    m.conti[0].iban = 'IT61X0542811101000000123456'
    m.tipi[0].tassonomia = '0101101IM'
    m.tipi.push({ ...m.tipi[0], tassonomia: '9/0101101IM/', importo_predefinito: '0' })
    m.referente_amministrativo.codice_fiscale = 'RSSMRA80A01H501X'
    m.pec = 'protocollo'
    const e = validaModulo(m, '2026-11-27')
    expect(Object.keys(e).sort()).toEqual(
      [
        'codice_fiscale',
        'conti.0.iban',
        'pec',
        'referente_amministrativo.codice_fiscale',
        'tipi.0.tassonomia',
        'tipi.1.codice',
        'tipi.1.importo_predefinito',
      ].sort(),
    )
    expect(e['conti.0.iban']).toMatch(/^Conto n\. 1, IBAN/)
  })
  it('lets the stored code through when only its check digit is wrong', () => {
    const m = { ...modulo(), codice_fiscale: '00123456789' }
    expect(Object.keys(validaModulo(m, '2026-11-27'))).toEqual(['codice_fiscale'])
    expect(validaModulo(m, '2026-11-27', '00123456789')).toEqual({})
    expect(Object.keys(validaModulo({ ...m, codice_fiscale: '0012345678' }, '2026-11-27', '00123456789'))).toEqual(['codice_fiscale'])
  })
  it('checks the first-start codes', () => {
    const e = validaCodiciEnte({ denominazione: '', codice_ipa: 'c-x', codice_fiscale: '123', codice_segregazione: '1' })
    expect(Object.keys(e).sort()).toEqual(['codice_fiscale', 'codice_ipa', 'codice_segregazione', 'denominazione'])
  })
})

describe('amounts from the back end', () => {
  it('formats decimal strings the Italian way', () => {
    expect(euroDecimale('9600.00')).toBe('9.600,00 €')
    expect(euroDecimale('1234567.5')).toBe('1.234.567,50 €')
    expect(euroDecimale('0')).toBe('0,00 €')
    expect(euroDecimale(null)).toBe('—')
  })
})

describe('completeness labels', () => {
  it('turn profile-file keys into field names', () => {
    expect(etichettaCampo('ente.pec')).toBe('PEC')
    expect(etichettaCampo('conti[2].iban')).toBe('Conto n. 2, IBAN')
    expect(etichettaCampo('tipi_dovuto «TARI».dati_specifici_riscossione')).toBe('Tipo dovuto «TARI», codice tassonomico')
    expect(etichettaCampo('referenti.tecnico.email')).toBe('Referente tecnico, email')
    expect(etichettaCampo('sconosciuto')).toBe('sconosciuto')
  })
})

describe('taxonomy search', () => {
  const elenco = [
    { codice: '9/0501106TS/', nome: 'Mensa', ente: 'SERVIZIO SANITARIO NAZIONALE', valido: true },
    { codice: '9/0107101TS/', nome: 'Mense scolastiche', ente: 'COMUNE/UNIONE DI COMUNI', valido: true },
    { codice: '9/0101101IM/', nome: 'Tasse sui rifiuti (TARI)', ente: 'COMUNE/UNIONE DI COMUNI', valido: true },
    { codice: '9/0101199IM/', nome: 'Rifiuti, vecchio codice', ente: 'COMUNE/UNIONE DI COMUNI', valido: false },
  ]
  it('finds singular and plural, comuni first, valid codes only', () => {
    expect(cercaTassonomia(elenco, 'mensa').map((v) => v.codice)).toEqual(['9/0107101TS/', '9/0501106TS/'])
    expect(cercaTassonomia(elenco, 'rifiuto').map((v) => v.codice)).toEqual(['9/0101101IM/'])
    expect(cercaTassonomia(elenco, '0107').map((v) => v.nome)).toEqual(['Mense scolastiche'])
    expect(cercaTassonomia(elenco, '').length).toBe(3)
  })
})
