import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render, screen, within } from '@testing-library/react'

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import { PosizioneDovuto } from './PosizioneDovuto'

beforeEach(() => invoke.mockReset())
afterEach(cleanup)

const opzione = (rata: number, iud: string, stato: string) => ({
  rata, etichetta: rata === 0 ? 'rata unica' : `rata ${rata}`, iud, iuv: '', stato,
  importo_cents: rata === 0 ? 24000 : 8000, scadenza: rata === 2 ? '2027-07-31' : '2027-04-30',
})

describe('PosizioneDovuto', () => {
  it("shows the debt's position with every option, this one marked", async () => {
    invoke.mockResolvedValue({
      codice: 'TARI-0001', oggetto: 'TARI 2027', stato: 'pagata in parte (1 di 2)', da_rimborsare_cents: null,
      sconto_cents: 0, opzioni: [opzione(0, 'U', 'annullato'), opzione(1, 'R1', 'pagato'), opzione(2, 'R2', 'caricato')],
    })
    render(<PosizioneDovuto iud="R2" />)
    const s = await screen.findByTestId('dovuto-posizione')
    expect(invoke).toHaveBeenCalledWith('dovuto_posizione', { iud: 'R2' })
    expect(within(s).getByTestId('posizione-stato').textContent).toBe('pagata in parte (1 di 2)')
    expect(s.textContent).toContain('Posizione TARI-0001 — TARI 2027')
    const righe = within(s).getAllByRole('row').slice(1)
    expect(righe.map((r) => r.textContent)).toEqual([
      'rata unica240,00 €30/04/2027annullato',
      'rata 180,00 €30/04/2027pagato',
      'rata 2 (questo dovuto)80,00 €31/07/2027caricato',
    ])
    expect(righe[2].getAttribute('aria-current')).toBe('true')
  })

  it('says what to refund when paid both ways, and shows nothing for a debt on its own', async () => {
    invoke.mockResolvedValueOnce({
      codice: 'M', oggetto: '', stato: 'pagamento doppio', da_rimborsare_cents: 10000, sconto_cents: 1000,
      opzioni: [opzione(0, 'U', 'pagato'), opzione(1, 'R1', 'pagato')],
    })
    render(<PosizioneDovuto iud="U" />)
    expect((await screen.findByTestId('dovuto-posizione')).textContent).toContain('da rimborsare 100,00 €')
    expect(screen.getByText('Sconto per il pagamento in unica soluzione: 10,00 €.')).toBeTruthy()
    cleanup()
    invoke.mockResolvedValueOnce(null)
    const { container } = render(<PosizioneDovuto iud="SOLO" />)
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledTimes(2))
    expect(container.textContent).toBe('')
  })
})
