import { describe, expect, it } from 'vitest'
import { avvisoIndici, type StatoIndici } from './manutenzione'

const base: StatoIndici = {
  dovuti: 1_000_000,
  da_indicizzare: 0,
  indici_da_ricostruire: 0,
  in_corso: false,
  errore: null,
}

describe('avvisoIndici', () => {
  it('says nothing when the indexes are in place', () => {
    expect(avvisoIndici(base)).toBeNull()
    expect(avvisoIndici({ ...base, dovuti: 0 })).toBeNull()
  })

  it('names the filters first, then the search, with the share done', () => {
    const filtri = avvisoIndici({ ...base, da_indicizzare: 1_000_000, indici_da_ricostruire: 2, in_corso: true })
    expect(filtri?.testo).toContain('indici dei filtri')
    expect(filtri?.testo).toContain('1.000.000 dovuti da indicizzare')
    expect(filtri?.percento).toBe(0)
    const ricerca = avvisoIndici({ ...base, da_indicizzare: 250_000, in_corso: true })
    expect(ricerca?.testo).toContain('ricerca veloce')
    expect(ricerca?.percento).toBe(75)
  })

  it('reports a stopped upkeep and says the search is still complete', () => {
    const a = avvisoIndici({ ...base, da_indicizzare: 10, errore: 'disco pieno' })
    expect(a?.testo).toContain('interrotto (disco pieno)')
    expect(a?.testo).toContain('resta completa')
  })
})
