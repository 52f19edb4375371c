import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
// jsdom has no canvas: the chart is replaced by its accessible label.
vi.mock('react-chartjs-2', () => ({ Bar: (p: { 'aria-label'?: string }) => <div role="img">{p['aria-label']}</div> }))

import Contributo from './Contributo'
import { problemiCampiInvalidi } from '../campiInvalidi'
import type { Panoramica } from '../api'

const esito = {
  misura: 'dgr', atto: 'DGR X/6911/2017', ammissibile: true, percentuale: 80,
  motivo: '80%: comune montano con 4.200 abitanti, soglia 5.000', regola: 2, tipo_ente: 'comune-montano',
  popolazione: 4200, modalita: ['base', 'per-flussi'], provvisorio: false, spesa: '12000.00', spesa_ammessa: '12000.00',
  contributo: '9600.00', arrotondamento: 'commerciale', avvisi: [], da_verificare: [],
}
const stima = { righe: [], totale: '12000.00', incompleta: false }
const stato = (calcolo: unknown, calcolo_errore: string | null) => ({
  calcolo, calcolo_errore, stima,
  importi: [{ id: 1, tipo: 'concesso', importo: '9600.00', data: '2027-01-15', riferimento: 'decreto 1' }],
  totali: { richiesto: '0', concesso: '9600.00', incassato: '0' },
  misura: { nome: 'Contributo', atto: 'DGR', versione: '1', da_verificare: ['massimale'], costi_standard: [
    { codice: 'servizio-integrato', descrizione: 'Servizio integrato', importo: null, da_verificare: true }], massimale: null, personalizzata: false },
})
const tabelle = {
  tipi_ente: [{ codice: 'comune', nome: 'Comune' }, { codice: 'comune-montano', nome: 'Comune montano' }],
  modalita: [{ codice: 'base', nome: 'Base' }, { codice: 'per-flussi', nome: 'Per flussi' }],
}
const props = { dati: {} as Panoramica, ricarica: () => {} }

beforeEach(() => {
  invoke.mockReset()
})
afterEach(cleanup)

describe('Contributo', () => {
  it('shows the percentage, its reason, the amounts and the preset values to verify', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'adesione_tabelle') return tabelle
      if (cmd === 'contributo_stato') return stato({ ...esito, stima }, null)
      if (cmd === 'contributo_simula') return { ...esito, percentuale: 50, motivo: '50%: altro' }
      throw new Error(cmd)
    })
    render(<Contributo {...props} />)
    const pct = await screen.findByTestId('contributo-percentuale')
    expect(pct.textContent).toBe('80%')
    // Issue 13 item 19: the percentage is printed once, not again at the start of its reason.
    expect(screen.getByTestId('contributo-motivo').textContent).toBe('Comune montano con 4.200 abitanti, soglia 5.000')
    expect(screen.getAllByText('9.600,00 €').length).toBeGreaterThan(0)
    expect(screen.getAllByText('da verificare').length).toBeGreaterThan(0)
    expect(screen.getByRole('img').textContent).toContain('concesso 9.600,00 €')
    await waitFor(() => expect(screen.getByTestId('simulazione-esito').textContent).toContain('50%'))
    expect(screen.getByTestId('simulazione-esito').textContent?.match(/50%/g)).toHaveLength(1)
  })

  it('says why there is no percentage when the profile lacks the kind of Ente', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'contributo_stato') return stato(null, 'manca il tipo di ente nel profilo')
      return { ...esito }
    })
    render(<Contributo {...props} />)
    expect((await screen.findByTestId('contributo-percentuale')).textContent).toBe('—')
    expect(screen.getByTestId('contributo-motivo').textContent).toContain('manca il tipo di ente')
  })

  it('marks a provisional what-if as the back end says, with the kinds it lists', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'adesione_tabelle') return tabelle
      if (cmd === 'contributo_stato') return stato({ ...esito, stima }, null)
      if (cmd === 'contributo_simula') return { ...esito, provvisorio: true, avvisi: ['la popolazione non ha una data di riferimento'] }
      throw new Error(cmd)
    })
    render(<Contributo {...props} />)
    expect(await screen.findByTestId('simulazione-provvisorio')).toBeTruthy()
    expect(screen.getByTestId('simulazione-esito').textContent).toContain('data di riferimento')
    expect(await screen.findByRole('option', { name: 'Comune montano' })).toBeTruthy()
  })

  // Issue 13, item 16: the fields a refusal is about are marked invalid and described by it.
  it('links the invalid fields of the amounts, the items and the simulation to their messages', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'adesione_tabelle') return tabelle
      if (cmd === 'contributo_stato') return stato({ ...esito, stima }, null)
      if (cmd === 'contributo_simula') throw { codice: 'non_valido', messaggio: 'popolazione non valida' }
      if (cmd === 'contributo_importo_aggiungi') throw { codice: 'non_valido', messaggio: 'importo non valido' }
      throw new Error(cmd)
    })
    render(<Contributo {...props} />)
    await screen.findByTestId('contributo-percentuale')
    const campo = (id: string) => document.getElementById(id) as HTMLInputElement
    const descritto = (id: string) => document.getElementById(campo(id).getAttribute('aria-describedby')!)?.textContent

    fireEvent.change(campo('sim-pop'), { target: { value: 'tremila' } })
    await waitFor(() => expect(campo('sim-pop').getAttribute('aria-invalid')).toBe('true'))
    expect(descritto('sim-pop')).toBe('popolazione non valida')
    expect(campo('sim-spesa').getAttribute('aria-invalid')).toBeNull()

    fireEvent.change(campo('mov-importo'), { target: { value: '12,3,4' } })
    fireEvent.change(campo('mov-data'), { target: { value: '15/01/2027' } })
    fireEvent.click(screen.getByText('Registra importo'))
    await screen.findByText('importo non valido')
    expect(campo('mov-importo').getAttribute('aria-invalid')).toBe('true')
    expect(descritto('mov-importo')).toBe('importo non valido')
    expect(campo('mov-data').getAttribute('aria-invalid')).toBeNull()

    // The item's number of services, checked by the window itself.
    fireEvent.click(document.getElementById('voce-costo')!)
    fireEvent.change(campo('voce-quantita'), { target: { value: 'due' } })
    fireEvent.click(screen.getByText('Aggiungi voce'))
    await waitFor(() => expect(campo('voce-quantita').getAttribute('aria-invalid')).toBe('true'))
    expect(descritto('voce-quantita')).toBe('Numero di servizi: un numero intero da 1 in su')
    expect(problemiCampiInvalidi()).toEqual([])
  })
})
