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

  it('changes the instalments in place and sends only the changes, all together', async () => {
    const vista = {
      codice: 'TARI-0001', oggetto: 'TARI 2027', stato: 'da pagare', da_rimborsare_cents: null, sconto_cents: 0,
      opzioni: [opzione(0, 'U', 'caricato'), opzione(1, 'R1', 'caricato'), opzione(2, 'R2', 'caricato')],
    }
    // 240 € against 80 € + 80 €: the stored fixture does not add up, the clerk fixes it.
    invoke.mockImplementation(async (cmd: string, args: { cambi?: unknown[] }) => {
      if (cmd === 'dovuto_posizione') return vista
      if (cmd === 'posizione_cambia_rate' && args.cambi?.length === 2)
        return { esito: 'non_valida', problemi: [{ rata: 2, etichetta: 'rata 2', campo: 'scadenza', messaggio: 'la data è passata' }] }
      if (cmd === 'posizione_cambia_rate') return { esito: 'salvata', posizione: { ...vista, stato: 'da pagare' } }
      throw new Error(cmd)
    })
    const cambiata = vi.fn()
    render(<PosizioneDovuto iud="R1" cambiata={cambiata} />)
    fireEvent.click(await screen.findByTestId('dovuto-posizione-modifica-rate'))
    const importi = () => screen.getAllByLabelText(/^Importo rata \d+/) as HTMLInputElement[]
    expect(importi().map((i) => i.value)).toEqual(['80,00', '80,00'])
    // A third instalment of 80 €: the sum is the rata unica's.
    fireEvent.click(screen.getByTestId('rate-aggiungi'))
    fireEvent.change(importi()[2], { target: { value: '80,00' } })
    fireEvent.change(screen.getAllByLabelText(/^Scadenza rata \d+/)[2], { target: { value: '31/10/2027' } })
    expect(screen.getByTestId('rate-somma').textContent).toBe('3 rate, in tutto 240,00 €: uguale alla rata unica.')
    fireEvent.change(screen.getAllByLabelText(/^Scadenza rata \d+/)[1], { target: { value: '30/09/2027' } })
    fireEvent.click(screen.getByTestId('dovuto-posizione-salva-rate'))
    await vi.waitFor(() => expect(screen.getByText('Rata 2: la data è passata')).toBeTruthy())
    expect(invoke).toHaveBeenCalledWith('posizione_cambia_rate', {
      codice: 'TARI-0001',
      cambi: [
        { cambio: 'modifica', rata: 2, scadenza: '30/09/2027' },
        { cambio: 'aggiungi', importo: '80,00', scadenza: '31/10/2027' },
      ],
    })
    expect(cambiata).not.toHaveBeenCalled()
    // The second instalment removed instead (the others move up): saved.
    fireEvent.change(screen.getAllByLabelText(/^Scadenza rata \d+/)[1], { target: { value: '31/07/2027' } })
    fireEvent.click(screen.getByRole('button', { name: 'Elimina la rata 1' }))
    fireEvent.change(screen.getByLabelText('Importo rata unica (€)'), { target: { value: '160,00' } })
    fireEvent.click(screen.getByTestId('dovuto-posizione-salva-rate'))
    await vi.waitFor(() => expect(cambiata).toHaveBeenCalled())
    expect(invoke.mock.calls.at(-1)).toEqual(['posizione_cambia_rate', {
      codice: 'TARI-0001',
      cambi: [
        { cambio: 'rimuovi', rata: 1 },
        { cambio: 'modifica', rata: 0, importo: '160,00' },
        { cambio: 'aggiungi', importo: '80,00', scadenza: '31/10/2027' },
      ],
    }])
    expect(screen.queryByTestId('dovuto-posizione-rate')).toBeNull()
  })

  it('offers no change once an option is paid or on its way to MyPay', async () => {
    for (const stato of ['pagato', 'inviato']) {
      invoke.mockResolvedValueOnce({
        codice: 'T', oggetto: '', stato: 'da pagare', da_rimborsare_cents: null, sconto_cents: 0,
        opzioni: [opzione(0, 'U', 'caricato'), opzione(1, 'R1', stato)],
      })
      render(<PosizioneDovuto iud="U" />)
      await screen.findByTestId('dovuto-posizione')
      expect(screen.queryByTestId('dovuto-posizione-modifica-rate')).toBeNull()
      expect(screen.getByTestId('dovuto-posizione-avviso')).toBeTruthy()
      cleanup()
    }
  })

  it('prints the notice of a debt on its own with an IUV (a position of one), and offers nothing without one', async () => {
    invoke.mockImplementation(async (cmd: string, args: { percorso?: string }) => {
      if (cmd === 'dovuto_posizione') return null
      if (cmd === 'posizione_avviso') return { file: args.percorso, pagine: 1, opzioni: 1 }
      throw new Error(cmd)
    })
    render(<PosizioneDovuto iud="SOLO" stampabile />)
    const pulsante = await screen.findByTestId('dovuto-posizione-avviso')
    expect(screen.queryByTestId('dovuto-posizione')).toBeNull()
    save.mockResolvedValueOnce('/tmp/solo.pdf')
    fireEvent.click(pulsante)
    expect((await screen.findByTestId('dovuto-posizione-esito')).textContent).toBe('Avviso salvato in /tmp/solo.pdf (1 pagina).')
    expect(invoke).toHaveBeenCalledWith('posizione_avviso', { codice: 'SOLO', percorso: '/tmp/solo.pdf' })
    cleanup()
    const { container } = render(<PosizioneDovuto iud="BOZZA" />)
    await vi.waitFor(() => expect(invoke).toHaveBeenCalledWith('dovuto_posizione', { iud: 'BOZZA' }))
    expect(container.textContent).toBe('')
  })
})
