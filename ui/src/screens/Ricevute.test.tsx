import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const { invoke, FakeChannel } = vi.hoisted(() => ({
  invoke: vi.fn(),
  FakeChannel: class<T> {
    onmessage: (m: T) => void = () => {}
  },
}))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), Channel: FakeChannel }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))

import Ricevute from './Ricevute'
import type { Panoramica } from '../api'
import { CONNESSIONE_DEMO } from './provaConnessione'

const riga = (id: number, esito: string) => ({
  id, iuv: `0100000000000000${id}`, iur: `IUR${id}`, iud: `IUD${id}`, importo_cents: 1250 * id, data_esito: '2026-11-20',
  psp: 'Poste Italiane S.p.A.', codice_pagatore: 'RSSMRA80A01H501U', pagatore: 'Mario Rossi', esito, etichetta: esito,
  dovuto_iud: esito === 'sconosciuto' ? null : `IUD${id}`,
})

beforeEach(() => {
  invoke.mockReset()
  // jsdom has no layout: give the virtualized list's scroll box a size.
  vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(600)
  vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(900)
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

describe('Ricevute', () => {
  it('downloads with progress, lists receipts by match and shows the RT', async () => {
    let elenco = [riga(1, 'pagato')]
    invoke.mockImplementation(async (cmd: string, args?: { avanzamento?: { onmessage: (m: unknown) => void } }) => {
      if (cmd === 'ricevute_elenco') return elenco
      if (cmd === 'ricevute_scarica') {
        args!.avanzamento!.onmessage({ tipo: 'evento', evento: { tipo: 'progress', fase: 'ricevute', byte: 0, totale: null, righe: 2 } })
        elenco = [riga(2, 'sconosciuto'), riga(1, 'pagato')]
        return {
          annullato: false,
          esito: { esportazioni: [1], file: [], cursore: null, in_attesa: false,
            riepilogo: { lette: 1, nuove: 1, gia_presenti: 0, pagato: 0, importo_diverso: 0, sconosciuto: 1, doppio: 0, annullate_per_posizione: 0 } },
        }
      }
      if (cmd === 'ricevute_dettaglio')
        return { causale: 'TARI', tipo_dovuto: 'TARI', esito: '0', psp_id: 'BPPIITRRXXX', codice_versante: '', ricevuto_at: '', rt_base64: btoa('<RT><x>1</x></RT>') }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Ricevute dati={{ demo: false } as Panoramica} ricarica={() => {}} />)
    await screen.findAllByTestId('ricevuta-riga')
    expect(screen.queryByTestId('demo-simula-pagamenti')).toBeNull()
    fireEvent.click(screen.getByTestId('ricevute-scarica'))
    await screen.findByText('Scaricate: 1 ricevuta nuova. Da controllare: 1 sconosciuta in locale.')
    expect(screen.getByTestId('ricevute-progresso').textContent).toContain('Ricevute: 2 righe')
    await waitFor(() => expect(screen.getAllByTestId('ricevuta-riga')).toHaveLength(2))
    const righe = screen.getAllByTestId('ricevuta-riga')
    expect(righe.map((r) => r.dataset.esito)).toEqual(['sconosciuto', 'pagato'])
    expect(righe[1].dataset.iuv).toBe('01000000000000001')
    fireEvent.click(righe[1])
    const rt = await screen.findByTestId('ricevuta-rt')
    expect(rt.textContent).toBe('<RT>\n  <x>1</x>\n</RT>')
    // A scrolling region the keyboard can reach (axe: scrollable-region-focusable).
    expect(rt.getAttribute('tabindex')).toBe('0')
    expect(rt.getAttribute('aria-label')).toMatch(/Ricevuta telematica/)
  })

  it('offers simulated payments only in the demo', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'ricevute_elenco') return []
      if (cmd === 'demo_simula_pagamenti') return { aperti: 10, pagati: 7 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Ricevute dati={{ demo: true } as Panoramica} ricarica={() => {}} />)
    fireEvent.click(await screen.findByTestId('demo-simula-pagamenti'))
    await screen.findByText(/L'emulatore ha pagato 7 dovuti su 10 aperti/)
  })

  // Issue 13: a receipt opens from the keyboard (items 16) into a side panel that shows the whole
  // IUV and the payer's name and codice fiscale (item 15: nothing cut), and gives the focus back.
  it('opens a receipt with Enter or Space in a side panel, and Esc gives the focus back to the row', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'ricevute_elenco') return [riga(1, 'pagato'), riga(2, 'importo_diverso')]
      if (cmd === 'ricevute_dettaglio')
        return { causale: 'TARI 2026 rata unica', tipo_dovuto: 'TARI', esito: '0', psp_id: '', codice_versante: '', ricevuto_at: '', rt_base64: null }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Ricevute dati={{ demo: false } as Panoramica} ricarica={() => {}} />)
    const righe = await screen.findAllByTestId('ricevuta-riga')
    expect(righe.every((r) => r.getAttribute('tabindex') === '0')).toBe(true)
    righe[1].focus()
    fireEvent.keyDown(righe[1], { key: 'Enter' })
    const pannello = await screen.findByRole('dialog')
    expect(pannello.getAttribute('aria-label')).toBe('Ricevuta 01000000000000002')
    expect(pannello.contains(document.activeElement)).toBe(true)
    const dettaglio = screen.getByTestId('ricevuta-dettaglio')
    expect(dettaglio.textContent).toContain('01000000000000002')
    expect(dettaglio.textContent).toContain('Mario Rossi · RSSMRA80A01H501U')
    expect(await screen.findByText('TARI 2026 rata unica')).toBeTruthy()
    fireEvent.keyDown(pannello, { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(screen.getAllByTestId('ricevuta-riga')[1])

    fireEvent.keyDown(screen.getAllByTestId('ricevuta-riga')[0], { key: ' ' })
    expect((await screen.findByRole('dialog')).getAttribute('aria-label')).toBe('Ricevuta 01000000000000001')
  })
})
