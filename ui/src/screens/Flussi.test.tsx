import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const { invoke, FakeChannel } = vi.hoisted(() => ({
  invoke: vi.fn(),
  FakeChannel: class<T> {
    onmessage: (m: T) => void = () => {}
  },
}))
type FakeChannel<T> = { onmessage: (m: T) => void }
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), Channel: FakeChannel }))

import Flussi, { NomeFlusso } from './Flussi'
import type { DaInviare, EsitoInvio } from '../bindings'
import { NavigazioneContext } from '../navigazione'
import type { Panoramica } from '../api'
import { CONNESSIONE_DEMO } from './provaConnessione'

const flusso = (id: number, stato: string, extra = {}) => ({
  id, nome: `c_demo-${id}.zip`, stato, etichetta: stato, versione: '1_4', righe: 3, caricate: 0, scartate: 0,
  creato_at: '2026-11-27T09:00:00Z', aggiornato_at: '2026-11-27T09:05:00Z', esito_messaggio: null,
  stato_mypay: null, ultimo_errore: null, tentativi: 0, ...extra,
})

beforeEach(() => {
  invoke.mockReset()
})
afterEach(cleanup)


describe('Flussi', () => {
  it('lists flows with their state code, shows the timeline and jumps from a rejected row to its debt', async () => {
    const elenco = [flusso(2, 'processing'), flusso(1, 'done', { caricate: 2, scartate: 1 })]
    invoke.mockImplementation(async (cmd: string, args?: { id?: number }) => {
      if (cmd === 'flussi_elenco') return elenco
      if (cmd === 'flussi_da_inviare') return { tipi: [], numero: 0, importo_cents: 0 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'flussi_dettaglio' && args?.id === 1)
        return {
          flusso: elenco[1],
          eventi: [{ at: '2026-11-27T09:01:00Z', azione: 'flusso.autorizzato', oggetto: '1', dettaglio: '' }],
          scarti: [{ riga: 2, iud: 'IUD-2', sorgente_riga: 7, codice: 'PAA_X', spiegazione: 'Codice fiscale errato', stato_dovuto: 'rejected' }],
        }
      throw new Error(`inatteso: ${String(cmd)} ${JSON.stringify(args)}`)
    })
    const naviga = vi.fn()
    render(
      <NavigazioneContext.Provider value={naviga}>
        <Flussi dati={{} as Panoramica} ricarica={() => {}} />
      </NavigazioneContext.Provider>,
    )
    const righe = await screen.findAllByTestId('flusso-riga')
    expect(righe.map((r) => [r.dataset.nome, r.dataset.stato])).toEqual([
      ['c_demo-2.zip', 'processing'],
      ['c_demo-1.zip', 'done'],
    ])
    expect(screen.getByTestId('flussi-invia').textContent).toContain('(1)')
    fireEvent.click(righe[1])
    const timeline = await screen.findByTestId('flusso-timeline')
    expect(timeline.querySelectorAll('li')).toHaveLength(5)
    const scarto = await screen.findByTestId('flusso-scarto')
    expect(scarto.textContent).toContain('Riga 7 del file')
    expect(scarto.textContent).toContain('Codice fiscale errato')
    fireEvent.click(scarto)
    expect(naviga).toHaveBeenCalledWith('dovuti', { iud: 'IUD-2' })
  })

  it('sends with progress over the channel and shows the outcome', async () => {
    let elenco = [flusso(1, 'built')]
    invoke.mockImplementation(async (cmd: string, args?: { avanzamento?: FakeChannel<unknown> }) => {
      if (cmd === 'flussi_elenco') return elenco
      if (cmd === 'flussi_da_inviare') return { tipi: [], numero: 0, importo_cents: 0 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'flussi_annulla') return null
      if (cmd === 'flussi_invia') {
        args!.avanzamento!.onmessage({ tipo: 'flusso', indice: 1, totale: 1, nome: 'c_demo-1.zip' })
        args!.avanzamento!.onmessage({ tipo: 'evento', evento: { tipo: 'progress', fase: 'caricamento', byte: 50, totale: 100, righe: 0 } })
        await waitFor(() => expect(screen.getByRole('progressbar').style.width).toBe('50%'))
        // While it runs, «Annulla» is there and asks the back end to stop.
        fireEvent.click(screen.getByTestId('flussi-annulla'))
        await waitFor(() => expect(invoke).toHaveBeenCalledWith('flussi_annulla'))
        elenco = [flusso(1, 'done', { caricate: 3 })]
        const esito: EsitoInvio = {
          flussi_preparati: 0,
          flussi: [{ id: 1, nome: 'c_demo-1.zip', esito: 'elaborato', stato: 'done', stato_it: '', righe: 3, caricate: 3, scartate: 0, esito_messaggio: null, errore: null, avvisi: null, scarti: [] }],
          annullato: false,
          riepilogo: { livello: 'successo', testo: '1 flusso elaborato: 3 righe caricate, 0 scartate.' },
        }
        return esito
      }
      throw new Error(`inatteso: ${String(cmd)} ${JSON.stringify(args)}`)
    })
    render(<Flussi dati={{} as Panoramica} ricarica={() => {}} />)
    await screen.findAllByTestId('flusso-riga')
    fireEvent.click(screen.getByTestId('flussi-invia'))
    expect(await screen.findByText('Flusso 1 di 1: c_demo-1.zip')).toBeTruthy()
    await screen.findByText('1 flusso elaborato: 3 righe caricate, 0 scartate.')
    await waitFor(() => expect(screen.getByTestId('flusso-riga').dataset.stato).toBe('done'))
    expect(screen.queryByTestId('flussi-annulla')).toBeNull()
  })

  it('shows what waits per payment type and prepares the type chosen', async () => {
    const attesa: DaInviare = {
      tipi: [
        { tipo: 'TARI', descrizione: 'Tassa rifiuti', nuovi: 23, modifiche: 0, annullamenti: 0, importo_cents: 512300 },
        { tipo: 'MENSA', descrizione: 'Mensa scolastica', nuovi: 4, modifiche: 1, annullamenti: 0, importo_cents: 20000 },
      ],
      numero: 28,
      importo_cents: 532300,
    }
    invoke.mockImplementation(async (cmd: string, args?: { tipo?: string | null }) => {
      if (cmd === 'flussi_elenco') return []
      if (cmd === 'flussi_da_inviare') return attesa
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'flussi_prepara') {
        expect(args?.tipo).toBe('MENSA')
        return { versione: '1_4', flussi: [{ id: 3, nome: 'x.zip', percorso: '/x.zip', righe: 5, byte_zip: 1, byte_csv: 1 }], righe_i: 4, righe_m: 1, righe_a: 0, esclusi: [], riepilogo: { livello: 'successo', testo: 'Preparati 1 flusso con 5 righe.' } }
      }
      throw new Error(`inatteso: ${String(cmd)}`)
    })
    render(<Flussi dati={{} as Panoramica} ricarica={() => {}} />)
    const tabella = await screen.findByTestId('flussi-da-inviare')
    expect(tabella.textContent).toContain('Tassa rifiuti (TARI)')
    expect(tabella.textContent).toContain('5.123,00')
    expect(tabella.textContent).toContain('5.323,00')
    fireEvent.change(screen.getByTestId('flussi-tipo'), { target: { value: 'MENSA' } })
    fireEvent.click(screen.getByTestId('flussi-prepara'))
    expect(await screen.findByText('Preparati 1 flusso con 5 righe.')).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('flussi_prepara', { tipo: 'MENSA' })
  })

  it('shows a send in which no flow went as an error naming the flows', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'flussi_elenco') return [flusso(1, 'built')]
      if (cmd === 'flussi_da_inviare') return { tipi: [], numero: 0, importo_cents: 0 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'flussi_invia') {
        const esito: EsitoInvio = {
          flussi_preparati: 0,
          flussi: [],
          annullato: false,
          riepilogo: { livello: 'errore', testo: 'Un flusso non è stato inviato a MyPay: c_demo-1.zip. MyPay non risponde.' },
        }
        return esito
      }
      throw new Error(`inatteso: ${String(cmd)}`)
    })
    render(<Flussi dati={{} as Panoramica} ricarica={() => {}} />)
    await screen.findAllByTestId('flusso-riga')
    fireEvent.click(screen.getByTestId('flussi-invia'))
    const avviso = await screen.findByText(/Un flusso non è stato inviato a MyPay: c_demo-1.zip/)
    expect(avviso.closest('.alert')?.className).toContain('alert-danger')
    expect(screen.queryByText('Nessun flusso da inviare.')).toBeNull()
  })

  // Issue 13 item 13: from the Home's "Flussi in attesa di esito", only those are listed.
  it('lists only the waiting flows when opened from the Home, until "Mostra tutti i flussi"', async () => {
    const elenco = [flusso(3, 'uploaded'), flusso(2, 'processing'), flusso(1, 'done')]
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'flussi_elenco') return elenco
      if (cmd === 'flussi_da_inviare') return { tipi: [], numero: 0, importo_cents: 0 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${String(cmd)}`)
    })
    render(<Flussi dati={{} as Panoramica} ricarica={() => {}} parametri={{ inAttesa: true }} />)
    await waitFor(() => expect(screen.getAllByTestId('flusso-riga').map((r) => r.dataset.stato)).toEqual(['uploaded', 'processing']))
    expect(screen.getByTestId('flussi-solo-in-attesa').textContent).toContain('solo i flussi in attesa di esito (2)')
    fireEvent.click(screen.getByText('Mostra tutti i flussi'))
    expect(screen.getAllByTestId('flusso-riga')).toHaveLength(3)
  })

  // Issue 13, item 16: a flow loaded with rejected rows differs from one loaded whole in words
  // (and an icon), not by the badge's colour alone; a row opens with Enter or Space.
  it('tells a flow with rejected rows from one without in words, and opens a row from the keyboard', async () => {
    const elenco = [flusso(2, 'done', { caricate: 1, scartate: 2 }), flusso(1, 'done', { caricate: 3 })]
    invoke.mockImplementation(async (cmd: string, args?: { id?: number }) => {
      if (cmd === 'flussi_elenco') return elenco
      if (cmd === 'flussi_da_inviare') return { tipi: [], numero: 0, importo_cents: 0 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'flussi_dettaglio') return { flusso: elenco.find((f) => f.id === args?.id), eventi: [], scarti: [] }
      throw new Error(`inatteso: ${String(cmd)}`)
    })
    render(
      <NavigazioneContext.Provider value={vi.fn()}>
        <Flussi dati={{} as Panoramica} ricarica={() => {}} />
      </NavigazioneContext.Provider>,
    )
    const righe = await screen.findAllByTestId('flusso-riga')
    const esiti = screen.getAllByTestId('flusso-esito').map((e) => e.textContent)
    expect(esiti).toEqual(['con 2 righe scartate', 'senza scarti'])
    const badge = screen.getAllByTestId('flusso-stato')
    expect(badge[0].textContent).toBe('⚠ done')
    expect(badge[1].textContent).toBe('✓ done')
    // The icon is decoration: the words say it.
    expect(badge[0].querySelector('[aria-hidden="true"]')?.textContent).toBe('⚠ ')
    expect(badge[0].getAttribute('data-tono')).not.toBe(badge[1].getAttribute('data-tono'))

    expect(righe[1].getAttribute('tabindex')).toBe('0')
    fireEvent.keyDown(righe[1], { key: ' ' })
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('flussi_dettaglio', { id: 1 }))
    expect(righe[1].className).toContain('table-active')
    fireEvent.keyDown(righe[0], { key: 'Enter' })
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('flussi_dettaglio', { id: 2 }))
  })
})

describe('NomeFlusso', () => {
  it('keeps the whole name and wraps only after a dash', () => {
    const { container } = render(<NomeFlusso nome="c_demo-MPD20261204225132546-1_4.zip" />)
    expect(container.textContent).toBe('c_demo-MPD20261204225132546-1_4.zip')
    expect(container.querySelectorAll('wbr')).toHaveLength(2)
    const pezzi = [...container.querySelectorAll('.text-nowrap')].map((e) => e.textContent)
    expect(pezzi).toEqual(['c_demo', 'MPD20261204225132546', '1_4.zip'])
  })
})
