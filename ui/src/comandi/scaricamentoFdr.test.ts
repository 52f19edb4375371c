import { describe, expect, it } from 'vitest'

import type { EsitoScaricamentoFdr, Impostazioni } from '../bindings'
import {
  aggiornaScarico,
  connessioneMancante,
  controllaGiorni,
  esitoScarico,
  giorniTra,
  inizia,
  percentualeScarico,
  testoScarico,
} from './scaricamentoFdr'

const giorno = (d: string) => ({ tipo: 'step' as const, oggetto: `Flussi di rendicontazione del ${d}`, passo: 'giorno completo' })
const flussi = (n: number) => ({ tipo: 'progress' as const, fase: 'rendicontazione', byte: 0, totale: null, righe: n })

describe('the progress of an FdR download', () => {
  it('counts the days completed and the flows stored', () => {
    let s = inizia()
    expect(testoScarico(s)).toBe('0 giorni completati · 0 flussi salvati')
    s = aggiornaScarico(s, flussi(1))
    expect(s.ultimo).toBe('1 flusso salvato finora')
    s = aggiornaScarico(s, flussi(2))
    s = aggiornaScarico(s, giorno('14/05/2026'))
    expect(s.ultimo).toBe('Flussi di rendicontazione del 14/05/2026: giorno completo')
    expect(testoScarico(s)).toBe('1 giorno completato · 2 flussi salvati')
    // Since the last day, the total is not known: the bar runs without a share.
    expect(percentualeScarico(s)).toBeNull()
    // A retry is said, and counts nothing.
    s = aggiornaScarico(s, { tipo: 'retry', operazione: 'elenco dei flussi di rendicontazione', tentativo: 1, errore: 'MyPay non risponde', attesa_ms: 2000 })
    expect(s.ultimo).toContain('tentativo 1 non riuscito')
    expect(testoScarico(s)).toBe('1 giorno completato · 2 flussi salvati')
    // Another phase's progress is not a flow.
    expect(aggiornaScarico(s, { tipo: 'progress', fase: 'ricevute', byte: 10, totale: null, righe: 40 }).flussi).toBe(2)
  })

  it('knows the share when the days were chosen', () => {
    let s = inizia(giorniTra('2026-05-01', '2026-05-04'))
    expect(s.totaleGiorni).toBe(4)
    s = aggiornaScarico(s, giorno('01/05/2026'))
    expect(percentualeScarico(s)).toBe(25)
    expect(testoScarico(s)).toBe('1 giorno completato su 4 · 0 flussi salvati')
  })
})

describe('«Scegli i giorni»', () => {
  const OGGI = '2026-06-10'
  it('takes two real days, not in the future, in order', () => {
    expect(controllaGiorni('01/05/2026', '31.05.2026', OGGI)).toEqual({ errori: {}, dal: '2026-05-01', al: '2026-05-31' })
    expect(controllaGiorni('10/06/2026', '10/06/2026', OGGI).al).toBe('2026-06-10')
  })

  it('says what is wrong in each field', () => {
    expect(controllaGiorni('', '31/05/2026', OGGI).errori).toEqual({ dal: 'manca la data: la scriva come gg/mm/aaaa.' })
    expect(controllaGiorni('31/02/2026', '2026-05-31', OGGI).errori).toEqual({
      dal: 'data non valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026.',
      al: 'data non valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026.',
    })
    expect(controllaGiorni('01/05/2026', '11/06/2026', OGGI).errori.al).toBe(
      'è una data futura: MyPay elenca i flussi acquisiti fino a oggi (10/06/2026).',
    )
    const rovesciate = controllaGiorni('20/05/2026', '10/05/2026', OGGI)
    expect(rovesciate).toEqual({ errori: { al: 'è precedente alla data iniziale (20/05/2026).' } })
    expect(controllaGiorni('01/01/2024', '31/05/2026', OGGI).errori.al).toBe('al più 366 giorni alla volta: scelga un periodo più breve.')
  })
})

const IMPOSTAZIONI: Impostazioni = {
  ambiente: 'collaudo',
  urls: [{ ambiente: 'collaudo', url: 'https://mypay.example.it' }],
  codice_ipa: 'c_x123',
  password: {
    account: 'c_x123@collaudo',
    memorizzata: true,
    origine: 'keyring',
    fonte: 'portachiavi del sistema',
    portachiavi_disponibile: true,
    messaggio: '',
  },
  piattaforma: 'mypay',
  piattaforma_it: 'MyPay',
  client_id: null,
  cartella_dati: null,
  database: null,
}

describe('a connection not set up', () => {
  it('is explained with the screen where to set it', () => {
    expect(connessioneMancante(IMPOSTAZIONI)).toBeNull()
    const senzaPassword = { ...IMPOSTAZIONI, password: { ...IMPOSTAZIONI.password, memorizzata: false, origine: null } }
    expect(connessioneMancante(senzaPassword)).toEqual({
      testo:
        'Per scaricare i flussi da MyPay serve la password del servizio dell’Ente, che non è ancora salvata su questo computer: la salvi nella schermata «Impostazioni».',
      sezione: 'impostazioni',
    })
    expect(connessioneMancante({ ...IMPOSTAZIONI, urls: [] })?.testo).toContain("l'indirizzo di MyPay dell'ambiente collaudo")
    expect(connessioneMancante({ ...IMPOSTAZIONI, codice_ipa: null })?.sezione).toBe('ente')
    expect(connessioneMancante({ ...IMPOSTAZIONI, piattaforma: 'pu' })?.testo).toContain("l'identificativo del client")
    // The demo needs no password nor address.
    expect(connessioneMancante({ ...senzaPassword, ambiente: 'demo', urls: [] })).toBeNull()
  })
})

describe('the outcome', () => {
  const esito = (e: Partial<EsitoScaricamentoFdr>): EsitoScaricamentoFdr => ({
    dal: '2026-05-10', al: '2026-05-14', giorni: 5, elencati: 3, nuovi: 2, sostituiti: 1, gia_presenti: 0, pagamenti: 9,
    quadrature: 0, scartati: [], fino_a: '2026-05-14', annullato: false,
    riepilogo: { livello: 'successo', testo: '3 flussi di rendicontazione scaricati da MyPay (9 pagamenti, 5 giorni controllati).' },
    ...e,
  })
  it('adds the last complete day, the days chosen and the quadrature kept', () => {
    expect(esitoScarico(esito({}), false)).toEqual({
      livello: 'successo',
      testo: '3 flussi di rendicontazione scaricati da MyPay (9 pagamenti, 5 giorni controllati).',
      dettagli: ['Flussi completi fino al giorno di acquisizione 14/05/2026.'],
    })
    expect(esitoScarico(esito({ quadrature: 1, fino_a: null }), true).dettagli).toEqual([
      'Giorni di acquisizione controllati: dal 10/05/2026 al 14/05/2026.',
      '1 flusso di quadratura conservato nella cartella dei dati, non letto.',
    ])
  })
  it('names each flow set aside, its day, its reason and where its file is', () => {
    const scartato = {
      iuf: '2026-05-11BCITITMM-1', giorno: '2026-05-11', file: '/dati/rendicontazione/x.xml',
      motivo: "x.xml: il flusso è per l'ente con codice fiscale 80012000826, non per questo Ente (00123456782)",
    }
    expect(esitoScarico(esito({ scartati: [scartato] }), false).dettagli).toEqual([
      'Flussi completi fino al giorno di acquisizione 14/05/2026.',
      "Messo da parte il flusso 2026-05-11BCITITMM-1 (giorno di acquisizione 11/05/2026): x.xml: il flusso è per l'ente con codice fiscale 80012000826, non per questo Ente (00123456782). Il file è conservato in /dati/rendicontazione/x.xml.",
    ])
  })
})
