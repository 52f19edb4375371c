import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }))
// jsdom has no canvas: the chart is replaced by its accessible label.
vi.mock('react-chartjs-2', () => ({ Bar: (p: { 'aria-label'?: string }) => <div role="img">{p['aria-label']}</div> }))

import Home from './Home'
import type { Panoramica } from '../api'
import { NavigazioneContext } from '../navigazione'

afterEach(cleanup)

const dati = {
  versione: '0', database: '/dati/db.sqlite', ente: null, demo: false, dovuti_per_stato: [], mensile: [],
  flussi_recenti: [], attenzione: { dovuti_scartati: 3, dovuti_pronti: 12000, flussi_in_attesa: 2 }, ultima_sincronizzazione: null,
} as unknown as Panoramica

describe('Home', () => {
  // Issue 13 item 13: each item of "Da controllare" opens the list it counts, filtered.
  it('links each item to control to its filtered list', () => {
    const naviga = vi.fn()
    render(
      <NavigazioneContext.Provider value={naviga}>
        <Home dati={dati} />
      </NavigazioneContext.Provider>,
    )
    expect(screen.getByTestId('home-pronti').textContent).toBe('Dovuti pronti da inviare: 12.000')
    fireEvent.click(screen.getByTestId('home-scartati'))
    expect(naviga).toHaveBeenLastCalledWith('dovuti', { stato: 'rejected' })
    fireEvent.click(screen.getByTestId('home-pronti'))
    expect(naviga).toHaveBeenLastCalledWith('dovuti', { stato: 'ready' })
    fireEvent.click(screen.getByTestId('home-flussi-in-attesa'))
    expect(naviga).toHaveBeenLastCalledWith('flussi', { inAttesa: true })
    expect(screen.getByTestId('home-flussi-in-attesa').tagName).toBe('A')
  })

  // Issue 13 item 16: a recent flow with rejected rows is told in words, not by colour alone.
  it('says which recent flows had rejected rows', () => {
    render(
      <NavigazioneContext.Provider value={vi.fn()}>
        <Home dati={{ ...dati, flussi_recenti: [
          { nome: 'c_demo-2.zip', stato: 'done', etichetta: 'elaborato', righe: 5, righe_scartate: 2 },
          { nome: 'c_demo-1.zip', stato: 'done', etichetta: 'elaborato', righe: 3, righe_scartate: 0 },
        ] } as unknown as Panoramica} />
      </NavigazioneContext.Provider>,
    )
    expect(screen.getAllByTestId('flusso-esito').map((e) => e.textContent)).toEqual(['con 2 righe scartate', 'senza scarti'])
    expect(screen.getAllByTestId('flusso-stato').map((e) => e.textContent)).toEqual(['⚠ elaborato', '✓ elaborato'])
  })
})
