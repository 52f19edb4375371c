import { describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {
    onmessage: (m: unknown) => void = () => {}
  },
}))

import { messaggioNonXml, paginaDi, riconciliazione, soloXml, tesoreriaDi, totaliPerStato, type FdrVista, type StatoPagamento } from './riconciliazione'

describe('FdR download', () => {
  it("calls fdr_scarica with the dates and a channel whose events reach the caller", async () => {
    invoke.mockResolvedValue({ nuovi: 2, annullato: false })
    const visti: unknown[] = []
    const r = await riconciliazione.scaricaFdr((e) => visti.push(e), '01/05/2026', '31/05/2026')
    expect(r).toEqual({ nuovi: 2, annullato: false })
    const [nome, argomenti] = invoke.mock.calls[0]
    expect(nome).toBe('fdr_scarica')
    expect(argomenti.dal).toBe('01/05/2026')
    expect(argomenti.al).toBe('31/05/2026')
    const evento = { tipo: 'progress', fase: 'rendicontazione', byte: 0, totale: null, righe: 3 }
    argomenti.avanzamento.onmessage({ tipo: 'evento', evento })
    expect(visti).toEqual([evento])
  })

  it('stops it with fdr_annulla', async () => {
    invoke.mockResolvedValue(undefined)
    await riconciliazione.annullaScaricamentoFdr()
    expect(invoke).toHaveBeenLastCalledWith('fdr_annulla')
  })
})


describe('riconciliazione', () => {
  it('lists every state in its order, and one this window does not list yet under the back end’s label', () => {
    const t = totaliPerStato([
      { stato: 'incassato', etichetta: 'incassato', anomalia: false, numero: 3, importo_cents: 900 },
      { stato: 'stato_futuro' as StatoPagamento, etichetta: 'uno stato futuro', anomalia: false, numero: 1, importo_cents: 1234 },
    ])
    expect(t.map((x) => x.stato)).toEqual([
      'pagato', 'rendicontato', 'incassato', 'non_rendicontato', 'importo_diverso', 'non_incassato', 'incasso_diverso', 'senza_ricevuta', 'doppio', 'stato_futuro',
    ])
    expect(t[9]).toMatchObject({ nome: 'uno stato futuro', numero: 1, importo_cents: 1234, tono: 'secondary' })
    expect(t[2]).toMatchObject({ nome: 'Incassati in tesoreria', numero: 3, importo_cents: 900, tono: 'success' })
    expect(t[0]).toMatchObject({ numero: 0, importo_cents: 0 })
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
