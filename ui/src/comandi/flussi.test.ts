import { describe, expect, it } from 'vitest'
import { azioneReinvio, costruisciTimeline, dataOraIt, coloreLivello, type FlussoRiga } from './flussi'

const base: FlussoRiga = {
  id: 1,
  nome: 'c_demo-1_4-FLUSSO-1.zip',
  stato: 'built',
  etichetta: 'preparato',
  versione: '1_4',
  righe: 10,
  caricate: 0,
  scartate: 0,
  creato_at: '2026-11-27T09:00:00+00:00',
  aggiornato_at: '2026-11-27T09:00:00+00:00',
  esito_messaggio: null,
  stato_mypay: null,
  ultimo_errore: null,
  tentativi: 0,
}
const ev = (azione: string, at: string) => ({ azione, at, oggetto: '1', dettaglio: '' })

describe('costruisciTimeline', () => {
  it('marks the next step as current while a flow is on its way', () => {
    const t = costruisciTimeline({ ...base, stato: 'uploaded' }, [
      ev('flusso.autorizzato', '2026-11-27T09:01:00Z'),
      ev('flusso.caricato', '2026-11-27T09:02:00Z'),
    ])
    expect(t.map((x) => x.codice)).toEqual(['preparato', 'autorizzato', 'caricato', 'elaborazione', 'esito'])
    expect(t.map((x) => x.stato)).toEqual(['fatto', 'fatto', 'fatto', 'corrente', 'da_fare'])
    expect(t[1].quando).toBe('2026-11-27T09:01:00Z')
    expect(t[2].quando).toBe('2026-11-27T09:02:00Z')
    expect(t[3].quando).toBeNull()
  })

  it('uses the latest time of a repeated step and ignores steps the state undid', () => {
    // Token expired: authorised twice; a flow sent back to built shows authorisation to do.
    const eventi = [ev('flusso.autorizzato', '2026-11-27T09:01:00Z'), ev('flusso.autorizzato', '2026-11-27T10:30:00Z')]
    expect(costruisciTimeline({ ...base, stato: 'authorised' }, eventi)[1].quando).toBe('2026-11-27T10:30:00Z')
    const reset = costruisciTimeline({ ...base, stato: 'built' }, eventi)
    expect(reset[1].stato).toBe('corrente')
    expect(reset[1].quando).toBeNull()
  })

  it('ends with the outcome: loaded with counts, or rejected with the explanation', () => {
    const done = costruisciTimeline({ ...base, stato: 'done', caricate: 8, scartate: 2 }, [
      ev('flusso.esito', '2026-11-27T09:05:00Z'),
    ])
    const last = done[done.length - 1]
    expect(last).toMatchObject({ etichetta: 'Caricato', stato: 'fatto', quando: '2026-11-27T09:05:00Z' })
    expect(last.nota).toBe('8 righe caricate, 2 scartate')
    const allRejected = costruisciTimeline({ ...base, stato: 'done', caricate: 0, scartate: 10 }, [])
    expect(allRejected[4]).toMatchObject({ etichetta: 'Scartato', stato: 'errore' })
    const aborted = costruisciTimeline(
      { ...base, stato: 'aborted', esito_messaggio: 'File rifiutato: nome non valido' },
      [ev('flusso.autorizzato', '2026-11-27T09:01:00Z'), ev('flusso.rifiutato', '2026-11-27T09:03:00Z')],
    )
    expect(aborted[4]).toMatchObject({ stato: 'errore', quando: '2026-11-27T09:03:00Z', nota: 'File rifiutato: nome non valido' })
    expect(aborted[1].stato).toBe('fatto')
    expect(aborted[3].stato).toBe('da_fare')
  })
})

describe('azioneReinvio', () => {
  it('resumes unfinished flows and re-sends corrections of rejected ones', () => {
    expect(azioneReinvio({ ...base, stato: 'processing' })).toBe('riprendi')
    expect(azioneReinvio({ ...base, stato: 'done', scartate: 1 })).toBe('correzioni')
    expect(azioneReinvio({ ...base, stato: 'aborted' })).toBe('correzioni')
    expect(azioneReinvio({ ...base, stato: 'done', caricate: 10 })).toBeNull()
  })
})

describe('coloreLivello', () => {
  it('maps the summary level computed in Rust to an Alert colour', () => {
    expect(coloreLivello('successo')).toBe('success')
    expect(coloreLivello('avviso')).toBe('warning')
    expect(coloreLivello('errore')).toBe('danger')
  })
})

describe('dataOraIt', () => {
  it('formats local date and time by hand', () => {
    const iso = new Date(2026, 10, 27, 9, 5).toISOString()
    expect(dataOraIt(iso)).toBe('27/11/2026 09:05')
    expect(dataOraIt('boh')).toBe('boh')
    expect(dataOraIt(null)).toBe('')
  })
})
