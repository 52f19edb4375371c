import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import Sportello from './Sportello'
import type { Panoramica } from '../api'

const dati = {
  demo: true,
  ente: { ente: { codice_ipa: 'c_demo', codice_fiscale: '', denominazione: 'Comune' }, tipi_dovuto: [{ codice: 'TARI', descrizione: 'Tassa rifiuti' }] },
} as unknown as Panoramica

beforeEach(() => {
  invoke.mockReset()
})
afterEach(cleanup)

const scrivi = (name: string, value: string) =>
  fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } })

describe('Sportello', () => {
  it('creates a debt, shows IUV and notice number, opens the notice', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'sportello_crea') {
        expect(args.dovuto).toMatchObject({ codice_pagatore: 'RSSMRA80A01H501U', importo: '12,50', tipo: 'TARI' })
        return { iud: 'SPORT-1', iuv: '01234567890123456', numero_avviso: '301234567890123456', url_avviso: null, pdf: '/d/avvisi/a.pdf' }
      }
      if (cmd === 'sportello_apri_avviso') return null
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '12,50')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect((await screen.findByTestId('sportello-iuv')).textContent).toBe('01234567890123456')
    expect(screen.getByText('3012 3456 7890 1234 56')).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('sportello_apri_avviso', { percorso: '/d/avvisi/a.pdf' })
  })

  it('keeps what was typed and shows the back end errors under their fields', async () => {
    invoke.mockRejectedValue({ codice: 'non_valido', messaggio: 'dovuto non valido: importoDovuto: importo troppo alto' })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '999.999.999,00')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect(await screen.findByText('importo troppo alto')).toBeTruthy()
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).value).toBe('999.999.999,00')
    expect(document.querySelector('[name="importo"]')!.className).toContain('is-invalid')
  })

  it('looks up a citizen: open positions, live payments from MyPay and downloaded ones', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'connessione_info') return { ambiente: 'demo', indirizzo: '', password_da: 'demo', demo: true }
      if (cmd === 'sportello_cerca') {
        expect(args).toEqual({ codice: 'rssmra80a01h501u' })
        return {
          codice: 'RSSMRA80A01H501U',
          aperte: [{ cod_ipa: 'c_demo', ente: 'Comune', url_pagamento: null, iud: 'A1', iuv: '01000000000000001', importo: '25.00', causale: 'TARI', tipo_dovuto: 'TARI', scadenza: null }],
          pagamenti: [{ iuv: '01000000000000003', iud: 'A3', importo_cents: 1000, data_esito: '2026-11-01', psp: 'Poste', esito: 'pagato' }],
          pagamenti_mypay: { pagamenti: [{ iud: 'A2', iuv: '01000000000000002', importo: '12.50', data_esito: '2026-11-27', iur: 'X', codice_esito: '0' }], controllati: 2, non_controllati: 0, errori: [] },
        }
      }
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    fireEvent.change(screen.getByTestId('sportello-cerca-cf'), { target: { value: 'rssmra80a01h501u' } })
    fireEvent.click(screen.getByTestId('sportello-cerca'))
    const pos = await screen.findAllByTestId('sportello-posizione')
    expect(pos.map((p) => p.dataset.iud)).toEqual(['A1'])
    expect(pos[0].textContent).toContain('25,00 €')
    const live = screen.getByTestId('sportello-pagati-mypay')
    expect(live.textContent).toContain('12,50 €')
    expect(live.textContent).toContain('27/11/2026')
    expect(screen.getByText('Pagamenti ricevuti (1)')).toBeTruthy()
  })

  it('does not call MyPay while required fields are missing', async () => {
    invoke.mockResolvedValue({ ambiente: 'demo', indirizzo: 'http://127.0.0.1:1', password_da: 'demo', demo: true })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect(await screen.findAllByText('Obbligatorio')).toHaveLength(3)
    expect(invoke).not.toHaveBeenCalledWith('sportello_crea', expect.anything())
  })
})
