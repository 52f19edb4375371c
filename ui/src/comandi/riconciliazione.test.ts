import { describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {
    onmessage: (m: unknown) => void = () => {}
  },
}))

import { riconciliazione } from './riconciliazione'

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
