// The help panel: opened from the header's button (or F1) on the current screen's help, the full
// glossary with its search, a modal dialog that keeps the focus inside and gives it back.
import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {
    onmessage: ((m: unknown) => void) | null = null
  },
}))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({ onDragDropEvent: () => Promise.resolve(() => {}) }),
}))
// jsdom has no canvas: the Home's chart is replaced by its accessible label.
vi.mock('react-chartjs-2', () => ({ Bar: (p: { 'aria-label'?: string }) => <div role="img">{p['aria-label']}</div> }))

import Aiuto from './Aiuto'
import App from '../App'
import { AIUTO, GLOSSARIO } from '../aiuto'

const apri = () => fireEvent.click(screen.getByRole('button', { name: /aiuto/i }))

describe('Aiuto', () => {
  it('opens on the current screen help, as a labelled modal dialog with the focus on its title', () => {
    render(<Aiuto sezione="dovuti" />)
    const pulsante = screen.getByRole('button', { name: /aiuto/i })
    expect(pulsante.getAttribute('aria-expanded')).toBe('false')
    expect(screen.queryByRole('dialog')).toBeNull()
    apri()
    const dialogo = screen.getByRole('dialog', { name: 'Aiuto: Dovuti' })
    expect(dialogo.getAttribute('aria-modal')).toBe('true')
    expect(pulsante.getAttribute('aria-expanded')).toBe('true')
    expect(document.activeElement).toBe(within(dialogo).getByRole('heading', { level: 2 }))
    for (const t of AIUTO.dovuti.testo) expect(within(dialogo).getByText(t)).toBeTruthy()
    // The screen's terms, with their definitions, under their own heading.
    expect(within(dialogo).getByRole('heading', { level: 3, name: 'Termini di questa schermata' })).toBeTruthy()
    for (const id of AIUTO.dovuti.termini) expect(within(dialogo).getByTestId(`aiuto-voce-${id}`)).toBeTruthy()
    expect(within(dialogo).queryByTestId('aiuto-voce-rendicontazione')).toBeNull()
  })

  it('shows the full glossary, filtered by the search field, and goes back', () => {
    render(<Aiuto sezione="flussi" />)
    apri()
    fireEvent.click(screen.getByRole('button', { name: 'Glossario completo' }))
    const dialogo = screen.getByRole('dialog', { name: 'Glossario' })
    const campo = within(dialogo).getByLabelText('Cerchi un termine')
    expect(document.activeElement).toBe(campo)
    expect(within(dialogo).getAllByRole('term')).toHaveLength(GLOSSARIO.length)
    expect(within(dialogo).getByRole('status').textContent).toBe(`${GLOSSARIO.length} termini`)

    fireEvent.change(campo, { target: { value: 'segregazione' } })
    const termini = within(dialogo).getAllByRole('term').map((t) => t.textContent)
    expect(termini[0]).toBe('Codice di segregazione')
    expect(termini).not.toContain('Bozza')
    expect(within(dialogo).getByRole('status').textContent).toMatch(/^\d+ termin[ei]$/)

    fireEvent.change(campo, { target: { value: 'parola che non c’è' } })
    expect(within(dialogo).queryAllByRole('term')).toHaveLength(0)
    expect(within(dialogo).getByRole('status').textContent).toBe('Nessun termine trovato.')

    fireEvent.click(within(dialogo).getByRole('button', { name: /torna all’aiuto di «flussi»/i }))
    expect(screen.getByRole('dialog', { name: 'Aiuto: Flussi' })).toBeTruthy()
  })

  it('closes with Esc, with Chiudi or outside, and gives the focus back to the button', () => {
    render(<Aiuto sezione="home" />)
    const pulsante = screen.getByRole('button', { name: /aiuto/i })
    apri()
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(pulsante)

    apri()
    fireEvent.click(screen.getByRole('button', { name: 'Chiudi l’aiuto' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(pulsante)

    apri()
    fireEvent.click(document.querySelector('.mpd-aiuto-sfondo')!)
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(pulsante)
  })

  it('keeps Tab inside the panel and opens with F1', () => {
    render(<Aiuto sezione="ricevute" />)
    fireEvent.keyDown(window, { key: 'F1' })
    const dialogo = screen.getByRole('dialog', { name: 'Aiuto: Ricevute' })
    const chiudi = within(dialogo).getByRole('button', { name: 'Chiudi l’aiuto' })
    const glossario = within(dialogo).getByRole('button', { name: 'Glossario completo' })
    glossario.focus()
    fireEvent.keyDown(glossario, { key: 'Tab' })
    expect(document.activeElement).toBe(chiudi)
    fireEvent.keyDown(chiudi, { key: 'Tab', shiftKey: true })
    expect(document.activeElement).toBe(glossario)
  })

  it('is in the window header and follows the screen shown', async () => {
    const panoramica = {
      versione: '0.1.0', database: '/tmp/x.sqlite', demo: false,
      ente: { ente: { codice_ipa: 'c_x', codice_fiscale: '00123456789', denominazione: 'Comune di Prova' }, tipi_dovuto: [] },
      dovuti_per_stato: [], mensile: [], flussi_recenti: [],
      attenzione: { dovuti_scartati: 0, dovuti_pronti: 0, flussi_in_attesa: 0 }, ultima_sincronizzazione: null,
    }
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return panoramica
      throw { codice: 'prova', messaggio: `non previsto: ${cmd}` }
    })
    render(<App />)
    const testata = await screen.findByRole('banner')
    await screen.findByTestId('nav-importa')
    fireEvent.click(within(testata).getByRole('button', { name: /aiuto/i }))
    expect(screen.getByRole('dialog', { name: 'Aiuto: Home' })).toBeTruthy()
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })

    fireEvent.click(screen.getByTestId('nav-importa'))
    await screen.findByRole('heading', { level: 1, name: 'Importa dovuti' })
    fireEvent.click(within(testata).getByRole('button', { name: /aiuto/i }))
    expect(screen.getByRole('dialog', { name: 'Aiuto: Importa dovuti' })).toBeTruthy()
  })

  it('explains the first start when no Ente is configured', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return { versione: '0.1.0', database: '/tmp/x.sqlite', ente: null, demo: false, dovuti_per_stato: [], mensile: [], flussi_recenti: [], attenzione: { dovuti_scartati: 0, dovuti_pronti: 0, flussi_in_attesa: 0 }, ultima_sincronizzazione: null }
      throw new Error(cmd)
    })
    render(<App />)
    await screen.findByTestId('primo-demo')
    apri()
    await waitFor(() => expect(screen.getByRole('dialog', { name: 'Aiuto: Primo avvio' })).toBeTruthy())
  })
})
