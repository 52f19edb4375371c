import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'

const { invoke, save } = vi.hoisted(() => ({ invoke: vi.fn(), save: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a) }))

import { PosizioneDovuto } from './PosizioneDovuto'

beforeEach(() => {
  invoke.mockReset()
  save.mockReset()
})
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

  it("prints the position's notice where the clerk chooses, and says why it cannot", async () => {
    const vista = {
      codice: 'TARI-0001', oggetto: 'TARI 2027', stato: 'da pagare', da_rimborsare_cents: null, sconto_cents: 0,
      opzioni: [opzione(0, 'U', 'caricato'), opzione(1, 'R1', 'caricato')],
    }
    invoke.mockImplementation(async (cmd: string, args: { percorso?: string }) => {
      if (cmd === 'dovuto_posizione') return vista
      if (cmd === 'posizione_avviso' && args.percorso === '/home/impiegato/avviso.pdf')
        return { file: args.percorso, pagine: 1, opzioni: 2 }
      if (cmd === 'posizione_avviso') throw { codice: 'non_consentito', messaggio: "la rata 1 non ha ancora l'IUV" }
      throw new Error(cmd)
    })
    render(<PosizioneDovuto iud="U" />)
    const pulsante = await screen.findByTestId('dovuto-posizione-avviso')
    save.mockResolvedValueOnce('/home/impiegato/avviso')
    fireEvent.click(pulsante)
    expect((await screen.findByTestId('dovuto-posizione-esito')).textContent).toBe(
      'Avviso salvato in /home/impiegato/avviso.pdf (1 pagina).',
    )
    expect(save.mock.calls[0][0]).toMatchObject({ defaultPath: 'avviso-TARI-0001.pdf' })
    expect(invoke).toHaveBeenCalledWith('posizione_avviso', { codice: 'TARI-0001', percorso: '/home/impiegato/avviso.pdf' })
    save.mockResolvedValueOnce('/tmp/altro.pdf')
    fireEvent.click(pulsante)
    await vi.waitFor(() =>
      expect(screen.getByTestId('dovuto-posizione-esito').textContent).toContain("non ha ancora l'IUV"),
    )
    // Dismissing the dialog writes nothing.
    save.mockResolvedValueOnce(null)
    const prima = invoke.mock.calls.length
    fireEvent.click(pulsante)
    await new Promise((r) => setTimeout(r, 20))
    expect(invoke.mock.calls.length).toBe(prima)
  })
})
