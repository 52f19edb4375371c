import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const { invoke, open, FakeChannel } = vi.hoisted(() => ({
  invoke: vi.fn(),
  open: vi.fn(),
  FakeChannel: class<T> {
    onmessage: (m: T) => void = () => {}
  },
}))
type FakeChannel<T> = { onmessage: (m: T) => void }
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), Channel: FakeChannel }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...a: unknown[]) => open(...a), save: vi.fn() }))

import Avvisi from './Avvisi'
import { campagnaDa, percentualeAvvisi } from '../comandi/avvisi'
import type { Panoramica } from '../api'
import type { EsitoAvvisi, PianoAvvisi } from '../bindings'

const piano = (avvisi: number): PianoAvvisi => ({
  campagna: { tipo: 'TARI', anno: 2030, codice_fiscale: null },
  avvisi,
  opzioni: avvisi * 4,
  gruppi_esclusi: [
    { motivo: 'gia_pagata', descrizione: 'già pagate', quante: 1 },
    { motivo: 'senza_iuv', descrizione: 'senza IUV', quante: 2 },
  ],
  esclusi: [
    { posizione: 'T-E', codice_fiscale: 'GLLFNC60D04F205H', nominativo: 'Franco Gialli', motivo: 'gia_pagata', messaggio: 'la posizione T-E è già pagata' },
    { posizione: 'T-G', codice_fiscale: 'VLAGRG66H06F205O', nominativo: 'Giorgio Viola', motivo: 'senza_iuv', messaggio: 'la rata unica della posizione T-G non ha ancora l’IUV' },
    { posizione: 'T-H', codice_fiscale: 'RSSMRA80A01H501U', nominativo: 'Mario Rossi', motivo: 'senza_iuv', messaggio: 'la rata 1 della posizione T-H non ha ancora l’IUV' },
  ],
  per_file: 2000,
  file_stampa: ['stampa_TARI_2030_001.pdf'],
  manifesto: ['manifesto_TARI_2030.csv', 'manifesto_TARI_2030.xlsx'],
  prima_posizione: null,
})

const esito: EsitoAvvisi = {
  cartella: '/tmp/avvisi',
  avvisi: 1200,
  opzioni: 4800,
  file_stampa: [{ file: 'stampa_TARI_2030_001.pdf', avvisi: 1200, pagine: 2400, byte: 1 }],
  manifesto_csv: 'manifesto_TARI_2030.csv',
  manifesto_xlsx: 'manifesto_TARI_2030.xlsx',
  byte_avvisi: 1,
  esclusi: [],
  righe: [],
}

const dati = {
  ente: { tipi_dovuto: [{ codice: 'TARI', descrizione: 'Tassa rifiuti' }, { codice: 'MENSA', descrizione: 'Mensa' }] },
} as unknown as Panoramica

beforeEach(() => {
  invoke.mockReset()
  open.mockReset()
})
afterEach(cleanup)

describe('Avvisi', () => {
  // Issue 14 item 6: the first notice of the campaign (in print order) shown as an image,
  // drawn by the application as SVG.
  it('previews the first notice of the campaign as an image', async () => {
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === 'avvisi_prepara') return { ...piano(3), prima_posizione: 'TARI-0007' }
      if (cmd === 'avvisi_anteprima' || cmd === 'avviso_anteprima') {
        expect(args).toEqual({ codice: 'TARI-0007' })
        return '<svg xmlns="http://www.w3.org/2000/svg"><text>AVVISO DI PAGAMENTO</text></svg>'
      }
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Avvisi dati={dati} ricarica={() => {}} />)
    fireEvent.change(screen.getByLabelText('Tipo dovuto'), { target: { value: 'TARI' } })
    const img = (await screen.findByTestId('avvisi-anteprima-immagine')) as HTMLImageElement
    expect(img.getAttribute('alt')).toBe("Prima pagina dell'avviso di pagamento della posizione TARI-0007")
    expect(decodeURIComponent(img.src)).toContain('AVVISO DI PAGAMENTO')
  })

  it('has no preview when the campaign has no notice to print', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'avvisi_prepara') return piano(0)
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Avvisi dati={dati} ricarica={() => {}} />)
    fireEvent.change(screen.getByLabelText('Tipo dovuto'), { target: { value: 'TARI' } })
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('avvisi_prepara', expect.anything()))
    expect(screen.queryByTestId('avvisi-anteprima')).toBeNull()
  })

  it('shows the plan of the campaign with the skipped positions grouped, generates with progress and opens the folder', async () => {
    let genera: ((e: EsitoAvvisi) => void) | null = null
    let canale: FakeChannel<unknown> | null = null
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === 'avvisi_prepara') return piano((args!.campagna as { anno: number | null }).anno === 2030 ? 1200 : 5)
      if (cmd === 'avvisi_genera') {
        canale = args!.avanzamento as FakeChannel<unknown>
        return new Promise((ok) => (genera = ok))
      }
      if (cmd === 'avvisi_apri_cartella') return undefined
      throw new Error(`inatteso: ${cmd}`)
    })
    open.mockResolvedValue('/tmp/avvisi')
    render(<Avvisi dati={dati} ricarica={() => {}} />)
    fireEvent.change(screen.getByLabelText('Tipo dovuto'), { target: { value: 'TARI' } })
    fireEvent.change(screen.getByLabelText('Anno della prima scadenza'), { target: { value: '2030' } })
    await waitFor(() => expect(screen.getByTestId('avvisi-conteggio').textContent).toBe('1.200 avvisi da stampare, con 4.800 codici di pagamento.'))
    expect(invoke).toHaveBeenLastCalledWith('avvisi_prepara', { campagna: { tipo: 'TARI', anno: 2030, codice_fiscale: null }, perFile: 2000 })
    const esclusi = screen.getByTestId('avvisi-esclusi')
    expect(within(esclusi).getByText('1 posizione già pagata')).toBeTruthy()
    expect(within(esclusi).getByText('2 posizioni in attesa dello IUV da MyPay')).toBeTruthy()
    expect(esclusi.textContent).toContain('Giorgio Viola (T-G)')
    expect(esclusi.textContent).toContain('Invii i dovuti da Flussi')

    // No folder yet: nothing to generate into.
    const bottone = screen.getByTestId('avvisi-genera') as HTMLButtonElement
    expect(bottone.disabled).toBe(true)
    fireEvent.click(screen.getByTestId('avvisi-scegli-cartella'))
    await waitFor(() => expect((screen.getByTestId('avvisi-cartella') as HTMLInputElement).value).toBe('/tmp/avvisi'))
    expect(open).toHaveBeenCalledWith(expect.objectContaining({ directory: true }))
    expect(bottone.disabled).toBe(false)
    fireEvent.click(bottone)
    await waitFor(() => expect(canale).not.toBeNull())
    expect(invoke).toHaveBeenCalledWith('avvisi_genera', expect.objectContaining({
      campagna: { tipo: 'TARI', anno: 2030, codice_fiscale: null },
      opzioni: { cartella: '/tmp/avvisi', modello_nome: null, per_file: 2000 },
    }))
    canale!.onmessage({ fatti: 300, totale: 1200 })
    await waitFor(() => expect(screen.getByTestId('avvisi-progresso').textContent).toContain('300 di 1.200 avvisi'))
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('25')
    fireEvent.click(screen.getByTestId('avvisi-annulla'))
    expect(invoke).toHaveBeenCalledWith('avvisi_annulla')
    genera!(esito)
    await waitFor(() => expect(screen.getByTestId('avvisi-esito').textContent).toContain('1.200 avvisi salvati in /tmp/avvisi'))
    expect(screen.getByTestId('avvisi-esito').textContent).toContain('2.400 pagine')
    fireEvent.click(screen.getByTestId('avvisi-apri-cartella'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('avvisi_apri_cartella', { percorso: '/tmp/avvisi' }))
  })

  it('says a cancelled run as news: nothing was written', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'avvisi_prepara') return piano(3)
      if (cmd === 'avvisi_genera') throw { codice: 'annullato', messaggio: 'generazione degli avvisi annullata: non è stato scritto nessun file' }
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Avvisi dati={dati} ricarica={() => {}} />)
    await waitFor(() => expect(screen.getByTestId('avvisi-conteggio').textContent).toContain('3 avvisi'))
    fireEvent.change(screen.getByTestId('avvisi-cartella'), { target: { value: '/tmp/avvisi' } })
    fireEvent.click(screen.getByTestId('avvisi-genera'))
    await waitFor(() => expect(screen.getByTestId('avvisi-annullato').textContent).toContain('non è stato scritto nessun file'))
    expect(document.querySelector('.alert-danger')).toBeNull()
    expect(screen.queryByTestId('avvisi-progresso')).toBeNull()
  })

  it('says what is wrong with the year and shows the back end’s error in Italian', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'avvisi_prepara') throw { codice: 'profilo_ente', messaggio: 'gli avvisi non si possono stampare: Ente, codice fiscale: non valido' }
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Avvisi dati={dati} ricarica={() => {}} />)
    await waitFor(() => expect(screen.getByText(/gli avvisi non si possono stampare/)).toBeTruthy())
    fireEvent.change(screen.getByLabelText('Anno della prima scadenza'), { target: { value: '30' } })
    expect(screen.getByText('Scriva l’anno con quattro cifre, ad esempio 2027.')).toBeTruthy()
  })

  it('reads a campaign and a progress from the fields and the events', () => {
    expect(campagnaDa(' TARI ', '')).toEqual({ tipo: 'TARI', anno: null, codice_fiscale: null })
    expect(campagnaDa('', '2027')).toEqual({ tipo: null, anno: 2027, codice_fiscale: null })
    expect(typeof campagnaDa('', '27')).toBe('string')
    expect(percentualeAvvisi(null)).toBeNull()
    expect(percentualeAvvisi({ fatti: 1, totale: 3 })).toBe(33)
  })
})
