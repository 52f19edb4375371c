import { describe, expect, it } from 'vitest'
import { messaggioNonXml, paginaDi, soloXml, tesoreriaDi, totaliPerStato, type FdrVista, type PagamentoVista } from './riconciliazione'

describe('riconciliazione', () => {
  it('counts a state this window does not list yet under the back end’s label', () => {
    const nuovo = { stato: 'incassato', etichetta: 'incassato in tesoreria', anomalia: false, importo_cents: 1234, importo_rendicontato_cents: 1234 }
    const t = totaliPerStato([nuovo as unknown as PagamentoVista])
    expect(t.map((x) => x.stato)).toEqual(['pagato', 'rendicontato', 'importo_diverso', 'senza_ricevuta', 'doppio', 'incassato'])
    expect(t[5]).toMatchObject({ nome: 'incassato in tesoreria', numero: 1, importo_cents: 1234, tono: 'secondary' })
  })

  it('pages, keeping the page shown inside the list', () => {
    const righe = Array.from({ length: 101 }, (_, i) => i)
    expect(paginaDi(righe, 0)).toMatchObject({ pagine: 3, pagina: 0 })
    expect(paginaDi(righe, 9)).toMatchObject({ righe: [100], pagine: 3, pagina: 2 })
    expect(paginaDi([], 4)).toEqual({ righe: [], pagine: 1, pagina: 0 })
  })

  it('takes XML files only, and names the others', () => {
    expect(soloXml(['/a/f1.XML', 'C:\\b\\g.csv', 'f2.xml'])).toEqual({ xml: ['/a/f1.XML', 'f2.xml'], altri: ['C:\\b\\g.csv'] })
    expect(messaggioNonXml(['C:\\b\\g.csv', '/a/x.xlsx'])).toBe('«g.csv», «x.xlsx»: si importano i flussi di rendicontazione in file .xml.')
  })

  it('has no treasury amount until the FdR carries one', () => {
    const f = {} as FdrVista
    expect(tesoreriaDi(f)).toBeNull()
    expect(tesoreriaDi({ ...f, importo_tesoreria_cents: 500 } as FdrVista)).toBe(500)
  })
})
