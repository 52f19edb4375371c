import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const { invoke, save } = vi.hoisted(() => ({ invoke: vi.fn(), save: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: (...a: unknown[]) => save(...a) }))
// jsdom has no canvas: the chart stands in as the labels and values it was given.
vi.mock('react-chartjs-2', () => ({
  Bar: ({ data }: { data: { labels: string[]; datasets: { label: string; data: number[] }[] } }) => (
    <div data-testid="grafico">
      {data.labels.join('|')} {data.datasets.map((d) => `${d.label}=${d.data.join(',')}`).join(' ')}
    </div>
  ),
}))

import Rapporto from './Rapporto'
import type { Panoramica } from '../api'
import type { ImportiRapporto, Rapporto as Dati } from '../bindings'

const importi = (atteso: number, incassato: number, scaduto: number): ImportiRapporto => ({
  dovuti: 3, atteso_cents: atteso, pagati: 1, incassato_cents: incassato,
  da_incassare: 2, residuo_cents: atteso - incassato, scaduti: 1, scaduto_cents: scaduto,
})

const dati = (data: string, morosi = 1): Dati => ({
  ente: 'Comune di Esempio',
  data,
  totale: importi(143_506, 10_000, 123_456),
  per_tipo: [{ tipo_dovuto: 'TARI', descrizione: 'Tassa rifiuti', importi: importi(143_506, 10_000, 123_456) }],
  per_mese: [
    { mese: '2026-10', etichetta: 'ottobre 2026', importi: importi(20_050, 10_000, 0) },
    { mese: '2026-11', etichetta: 'novembre 2026', importi: importi(123_456, 0, 123_456) },
  ],
  senza_scadenza: importi(0, 0, 0),
  bozze: { dovuti: 1, importo_cents: 9_000 },
  annullati: { dovuti: 0, importo_cents: 0 },
  morosi: Array.from({ length: morosi }, (_, i) => ({
    codice_pagatore: `BNCLRA85M41F20${String(i).padStart(2, '0')}`, anagrafica: 'BIANCHI LAURA', dovuti: 2,
    importo_cents: 123_456, scadenza_piu_vecchia: '2026-09-30',
  })),
  note: ['Atteso: tutti i dovuti, esclusi le bozze e i dovuti annullati.'],
})

beforeEach(() => {
  invoke.mockReset()
  save.mockReset()
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const props = { dati: {} as Panoramica, ricarica: () => {} }

describe('Rapporto', () => {
  it('shows the totals, the chart by month, the types and the overdue payers in Italian', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'rapporto') return dati('2026-11-27')
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Rapporto {...props} />)
    const carte = await screen.findAllByTestId('rapporto-carta')
    expect(carte.map((c) => c.textContent)).toEqual([
      'Atteso1.435,06 €3 dovuti',
      'Incassato100,00 €1 dovuto pagato',
      'Da incassare1.335,06 €2 dovuti',
      'Scaduto1.234,56 €1 dovuto',
    ])
    expect(invoke).toHaveBeenCalledWith('rapporto', { oggi: undefined })
    expect(screen.getByText('Comune di Esempio – situazione al 27/11/2026')).toBeTruthy()
    expect(screen.getByTestId('grafico').textContent).toBe('ottobre 2026|novembre 2026 Atteso=200.5,1234.56 Incassato=100,0')
    const tipi = within(screen.getByTestId('rapporto-tipi'))
    expect(tipi.getByText('Tassa rifiuti')).toBeTruthy()
    expect(tipi.getByText('Totale')).toBeTruthy()
    const moroso = screen.getByTestId('rapporto-moroso')
    expect(moroso.textContent).toBe('BNCLRA85M41F2000BIANCHI LAURA21.234,56 €30/09/2026')
    expect(screen.getByTestId('rapporto-note').textContent).toContain('esclusi le bozze')
  })

  it('asks again for another date and saves the PDF and the Excel file where the clerk chose', async () => {
    invoke.mockImplementation(async (cmd: string, args: { oggi?: string }) => {
      if (cmd === 'rapporto') return dati(args.oggi ?? '2026-11-27', 0)
      if (cmd === 'rapporto_esporta') return dati(args.oggi ?? '2026-11-27', 0)
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Rapporto {...props} />)
    await screen.findByTestId('rapporto-nessun-moroso')
    // The date is typed the Italian way (a native date field would follow the system's order).
    const campo = screen.getByTestId('rapporto-data') as HTMLInputElement
    expect(campo.value).toBe('27/11/2026')
    fireEvent.change(campo, { target: { value: '31/13/2026' } })
    fireEvent.blur(campo)
    expect(screen.getByText('Scriva la data come gg/mm/aaaa, ad esempio 31/12/2026.')).toBeTruthy()
    expect(campo.getAttribute('aria-invalid')).toBe('true')
    expect(invoke).not.toHaveBeenCalledWith('rapporto', { oggi: expect.stringMatching(/-13-/) })
    fireEvent.change(campo, { target: { value: '31.12.2026' } })
    fireEvent.keyDown(campo, { key: 'Enter' })
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('rapporto', { oggi: '2026-12-31' }))
    expect(campo.getAttribute('aria-invalid')).toBeNull()
    await waitFor(() => expect(campo.value).toBe('31/12/2026'))

    save.mockResolvedValueOnce('/home/impiegato/resoconto')
    fireEvent.click(screen.getByTestId('rapporto-pdf'))
    await screen.findByText('Resoconto salvato in PDF: /home/impiegato/resoconto.pdf.')
    expect(save.mock.calls[0][0]).toMatchObject({ defaultPath: 'resoconto-2026-12-31.pdf' })
    expect(invoke).toHaveBeenCalledWith('rapporto_esporta', {
      formato: 'pdf', percorso: '/home/impiegato/resoconto.pdf', oggi: '2026-12-31',
    })

    save.mockResolvedValueOnce('/home/impiegato/resoconto.xlsx')
    fireEvent.click(screen.getByTestId('rapporto-xlsx'))
    await screen.findByText('Resoconto salvato in Excel: /home/impiegato/resoconto.xlsx.')

    // The clerk closes the dialog: nothing is written.
    save.mockResolvedValueOnce(null)
    fireEvent.click(screen.getByTestId('rapporto-pdf'))
    await waitFor(() => expect(save).toHaveBeenCalledTimes(3))
    expect(invoke.mock.calls.filter((c) => c[0] === 'rapporto_esporta')).toHaveLength(2)
  })

  it('shows the error the back end gives', async () => {
    invoke.mockRejectedValue({ codice: 'database', messaggio: 'errore del database locale: disco pieno' })
    render(<Rapporto {...props} />)
    expect((await screen.findByTestId('rapporto-errore')).textContent).toBe('errore del database locale: disco pieno')
  })
})
