import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: async () => () => {} }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
vi.mock('react-chartjs-2', () => ({ Bar: (p: { 'aria-label'?: string }) => <div role="img">{p['aria-label']}</div> }))

import App from './App'

afterEach(cleanup)

const panoramica = (demo: boolean) => ({
  versione: '1.2.3', database: '/home/impiegato/.local/share/mypay-desk/mypay-desk.sqlite',
  ente: { ente: { codice_ipa: 'c_demo', codice_fiscale: '00000000000', denominazione: 'Comune Dimostrativo', codice_segregazione: '12' }, tipi_dovuto: [], extra: {} },
  demo, dovuti_per_stato: [], mensile: [], flussi_recenti: [],
  attenzione: { dovuti_scartati: 0, dovuti_pronti: 0, flussi_in_attesa: 0 }, ultima_sincronizzazione: null,
})

describe('App', () => {
  // Issue 17 item 7: without a keyring the clerk is told so and chooses the archive's
  // passphrase (typed twice); the window then opens the archive.
  it('asks for the archive passphrase when there is no keyring, then opens it', async () => {
    let aperto = false
    const sblocchi: unknown[] = []
    invoke.mockImplementation(async (cmd: string, args?: unknown) => {
      if (cmd === 'panoramica') {
        if (aperto) return panoramica(false)
        throw { codice: 'portachiavi_archivio', messaggio: 'archivio cifrato: il portachiavi del sistema non è disponibile su questo computer' }
      }
      if (cmd === 'archivio_sblocca') {
        sblocchi.push(args)
        aperto = true
        return null
      }
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    expect((await screen.findByTestId('sblocco-messaggio')).textContent).toContain('portachiavi del sistema non è disponibile')
    fireEvent.change(screen.getByTestId('sblocco-frase'), { target: { value: 'una frase lunga abbastanza' } })
    fireEvent.change(screen.getByTestId('sblocco-conferma'), { target: { value: 'una frase lunga abbastanza' } })
    fireEvent.click(screen.getByTestId('sblocco-apri'))
    await screen.findByText(/MyPay Desk 1\.2\.3/)
    expect(sblocchi).toEqual([{ frase: 'una frase lunga abbastanza', conferma: 'una frase lunga abbastanza' }])
    expect(screen.queryByTestId('sblocco-frase')).toBeNull()
  })

  // Another computer's archive (a key that does not open it): one field, no repetition.
  it('asks for the recovery code when the key does not open the archive', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') throw { codice: 'chiave_archivio', messaggio: 'archivio cifrato: chiave non disponibile.' }
      if (cmd === 'archivio_sblocca') throw { codice: 'chiave_archivio', messaggio: 'archivio cifrato: chiave non disponibile (ancora).' }
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    await screen.findByTestId('sblocco-frase')
    expect(screen.queryByTestId('sblocco-conferma')).toBeNull()
    fireEvent.change(screen.getByTestId('sblocco-frase'), { target: { value: 'sbagliata' } })
    fireEvent.click(screen.getByTestId('sblocco-apri'))
    expect((await screen.findByTestId('sblocco-errore')).textContent).toContain('ancora')
  })

  // Issue 13 item 19: the footer shows the version, not the database path (it is in Impostazioni).
  it('keeps the database path out of the footer', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return panoramica(true)
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    const footer = (await screen.findByText(/MyPay Desk 1\.2\.3/)).closest('footer')!
    expect(footer.textContent).toBe('MyPay Desk 1.2.3')
    expect(document.body.textContent).not.toContain('mypay-desk.sqlite')
    expect(screen.getByText('DEMO')).toBeTruthy()
  })

  // The badge follows what the back end decides (the demo environment only).
  it('shows no DEMO badge when the back end says it is not the demo', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return panoramica(false)
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    await screen.findByText(/MyPay Desk 1\.2\.3/)
    expect(screen.queryByText('DEMO')).toBeNull()
  })

  // Issue 13 item 16: "Salta al contenuto" is the first focusable element and moves focus to
  // the main content (past the header and the sections menu).
  it('has a skip link to the main content as first focusable element', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return panoramica(false)
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    await screen.findByText(/MyPay Desk 1\.2\.3/)
    const focalizzabili = document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')
    const primo = focalizzabili[0]
    expect(primo.textContent).toBe('Salta al contenuto')
    expect(primo).toBe(screen.getByTestId('salta-al-contenuto'))
    const main = document.querySelector('main')!
    expect(main.id).toBe('contenuto')
    fireEvent.click(primo)
    expect(document.activeElement).toBe(main)
    // The sections menu comes after the skip link and before the main content.
    expect(main.contains(screen.getByTestId('nav-home'))).toBe(false)
  })

  it('puts the skip link first on the welcome screen too', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'panoramica') return { ...panoramica(false), ente: null }
      throw { codice: 'interno', messaggio: cmd }
    })
    render(<App />)
    await screen.findByText('Benvenuto in MyPay Desk')
    const primo = document.querySelector<HTMLElement>('a[href], button, input, select')!
    expect(primo.textContent).toBe('Salta al contenuto')
    fireEvent.click(primo)
    expect(document.activeElement).toBe(document.getElementById('contenuto'))
    expect(document.activeElement?.tagName).toBe('MAIN')
  })
})
