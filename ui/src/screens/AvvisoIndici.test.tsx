import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import { AvvisoIndici } from './AvvisoIndici'

afterEach(cleanup)

const stato = (da_indicizzare: number, indici_da_ricostruire = 0) => ({
  dovuti: 200_000,
  da_indicizzare,
  indici_da_ricostruire,
  in_corso: da_indicizzare > 0,
  errore: null,
})

describe('AvvisoIndici', () => {
  it('shows the upkeep while it is behind, then goes and asks for a reload', async () => {
    // The back end's answer moves on only when the test says so.
    const risposte = [stato(200_000, 2), stato(50_000), stato(0)]
    let passo = 0
    invoke.mockImplementation((cmd: string) =>
      cmd === 'manutenzione_stato' ? Promise.resolve(risposte[passo]) : Promise.reject(new Error(cmd)),
    )
    const fatto = vi.fn()
    render(<AvvisoIndici onFatto={fatto} intervallo={5} />)
    expect((await screen.findByTestId('avviso-indici')).textContent).toContain('indici dei filtri')
    passo = 1
    await waitFor(() => expect(screen.getByTestId('avviso-indici').textContent).toContain('ricerca veloce'))
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('75')
    expect(fatto).not.toHaveBeenCalled()
    passo = 2
    await waitFor(() => expect(screen.queryByTestId('avviso-indici')).toBeNull())
    expect(fatto).toHaveBeenCalledTimes(1)
  })

  it('says nothing, and asks nothing more, when the indexes are in place', async () => {
    invoke.mockReset()
    invoke.mockResolvedValue(stato(0))
    const fatto = vi.fn()
    render(<AvvisoIndici onFatto={fatto} intervallo={5} />)
    await waitFor(() => expect(invoke).toHaveBeenCalledTimes(1))
    await new Promise((r) => setTimeout(r, 30))
    expect(invoke).toHaveBeenCalledTimes(1)
    expect(screen.queryByTestId('avviso-indici')).toBeNull()
    expect(fatto).not.toHaveBeenCalled()
  })
})
