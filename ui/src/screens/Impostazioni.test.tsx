import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
const { apri } = vi.hoisted(() => ({ apri: vi.fn() }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: apri, save: vi.fn() }))

import Impostazioni from './Impostazioni'
import { problemiCampiInvalidi } from '../campiInvalidi'
import type { Panoramica } from '../api'

const stato = (disponibile: boolean) => ({
  ambiente: 'collaudo',
  urls: [{ ambiente: 'collaudo', url: 'https://mypay.example.it' }, { ambiente: 'produzione', url: null }, { ambiente: 'custom', url: null }],
  codice_ipa: 'c_x123',
  piattaforma: 'mypay',
  client_id: null,
  password: {
    memorizzata: false,
    fonte: null,
    portachiavi_disponibile: disponibile,
    messaggio: disponibile ? 'Nessuna password salvata' : 'Il portachiavi del sistema non è disponibile su questo computer',
  },
  cartella_dati: '/dati',
  database: '/dati/db.sqlite',
})

beforeEach(() => {
  invoke.mockReset()
})
afterEach(cleanup)

/** The retention panel's answer: one year, as by default. */
const CONSERVAZIONE = { giorni: 365, descrizione: '1 anno', giorni_minimi: 30, giorni_massimi: 3650, ultima_pulizia: null }

describe('Impostazioni', () => {
  it('on PU names the client secret, the address of PU, and asks to save a platform before its credential', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    const scelta = await screen.findByTestId('impostazioni-piattaforma')
    expect(screen.getByText('Password del servizio MyPay')).toBeTruthy()
    fireEvent.change(scelta, { target: { value: 'pu' } })
    expect(screen.getByLabelText('Indirizzo della Piattaforma Unitaria')).toBeTruthy()
    // Not saved yet: a secret typed now would go to the MyPay password's place.
    expect((screen.getByTestId('impostazioni-password') as HTMLInputElement).disabled).toBe(true)
    expect(screen.getByTestId('impostazioni-password-prima-salva').textContent)
      .toBe('Salvare prima la piattaforma per inserire il segreto del client.')
    cleanup()
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return { ...stato(true), piattaforma: 'pu', client_id: 'c_x123SIL_MyPayDesk' }
      if (cmd === 'conservazione') return CONSERVAZIONE
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    expect(await screen.findByText('Segreto del client della Piattaforma Unitaria')).toBeTruthy()
    expect(screen.getByLabelText('Segreto del client')).toBeTruthy()
    expect((screen.getByTestId('impostazioni-password') as HTMLInputElement).disabled).toBe(false)
    expect(screen.queryByText(/Password del servizio/)).toBeNull()
  })

  it('sends the password once, clears the field and never shows it', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'password_salva') return { ...stato(true).password, memorizzata: true, messaggio: 'Password salvata nel portachiavi' }
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    const pw = (await screen.findByTestId('impostazioni-password')) as HTMLInputElement
    expect(pw.type).toBe('password')
    expect((screen.getByTestId('impostazioni-url') as HTMLInputElement).value).toBe('https://mypay.example.it')
    fireEvent.change(pw, { target: { value: 'Segreta!1' } })
    fireEvent.click(screen.getByText('Salva nel portachiavi'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('password_salva', { password: 'Segreta!1' }))
    await waitFor(() => expect(pw.value).toBe(''))
    expect(document.body.textContent).not.toContain('Segreta')
  })

  it('says plainly when there is no keyring and locks the password field', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(false)
      if (cmd === 'conservazione') return CONSERVAZIONE
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    expect((await screen.findByTestId('impostazioni-password-stato')).textContent).toContain('non è disponibile')
    expect((screen.getByTestId('impostazioni-password') as HTMLInputElement).disabled).toBe(true)
  })

  it('is red about the keyring only when no credential can be had', async () => {
    const senza = stato(false)
    const ambiente = { ...senza, password: { ...senza.password, origine: 'environment', fonte: "variabile d'ambiente MYPAY_DESK_PASSWORD" } }
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return ambiente
      if (cmd === 'conservazione') return CONSERVAZIONE
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    expect((await screen.findByTestId('impostazioni-password-stato')).className).not.toContain('text-danger')
    cleanup()
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(false)
      if (cmd === 'conservazione') return CONSERVAZIONE
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    expect((await screen.findByTestId('impostazioni-password-stato')).className).toContain('text-danger')
  })

  it('saves environment and address', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'impostazioni_salva') return { ...stato(true), ambiente: 'produzione', urls: [{ ambiente: 'produzione', url: 'https://p.example.it' }] }
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    fireEvent.change(await screen.findByTestId('impostazioni-ambiente'), { target: { value: 'produzione' } })
    fireEvent.change(screen.getByTestId('impostazioni-url'), { target: { value: 'https://p.example.it' } })
    fireEvent.click(screen.getByTestId('impostazioni-salva'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('impostazioni_salva', { ambiente: 'produzione', url: 'https://p.example.it' }))
    expect(await screen.findByText(/Ambiente salvato/)).toBeTruthy()
  })

  // Issue 13 item 19: a check that waits for MyPay shows that it is working, button disabled.
  it('shows "Verifica in corso…" with a spinner while the connection is checked', async () => {
    let rispondi: (v: unknown) => void = () => {}
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'connessione_info') return new Promise((r) => { rispondi = r })
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    const bottone = (await screen.findByTestId('impostazioni-verifica')) as HTMLButtonElement
    expect(bottone.textContent).toBe('Verifica connessione')
    fireEvent.click(bottone)
    const inCorso = await screen.findByTestId('impostazioni-verifica-in-corso')
    expect(inCorso.getAttribute('role')).toBe('status')
    expect(inCorso.querySelector('.progress-spinner-active')).toBeTruthy()
    expect(bottone.textContent).toBe('Verifica in corso…')
    expect(bottone.disabled).toBe(true)
    rispondi({ ambiente: 'collaudo', indirizzo: 'https://mypay.example.it', password_da: 'portachiavi', origine_password: 'keyring', demo: false })
    expect(await screen.findByText(/Connessione pronta/)).toBeTruthy()
    expect(screen.queryByTestId('impostazioni-verifica-in-corso')).toBeNull()
    expect(bottone.textContent).toBe('Verifica connessione')
    expect(bottone.disabled).toBe(false)
  })

  // Issue 13 item 19: the restore warning gives the copy's date and time, and says what
  // happens to the flows sent after it.
  it('warns that flows sent after the copy are unknown locally and shows the copy time', async () => {
    apri.mockResolvedValue('/copie/mypay-desk.sqlite')
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'backup_esamina')
        return { livello: 5, livello_attuale: 5, codice_ipa: 'c_x123', denominazione: 'Comune di Esempio', dovuti: 12, flussi: 2,
          ultima_operazione: '2026-11-27T10:05:00' }
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    fireEvent.click(await screen.findByTestId('impostazioni-ripristina'))
    expect((await screen.findByTestId('impostazioni-ripristina-flussi')).textContent).toContain(
      'I flussi inviati a MyPay dopo questa copia non saranno noti in locale',
    )
    expect(document.body.textContent).toContain('ultima operazione: 27/11/2026 10:05.')
  })

  // Issue 13, item 16: an address MyPay's settings refuse marks the address field invalid,
  // described by the message; a refusal about something else marks no field.
  it('links the refused address to its message (aria-invalid, aria-describedby)', async () => {
    let errore = { codice: 'impostazioni', messaggio: 'indirizzo di MyPay non valido: usi https://' }
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'impostazioni_salva') throw errore
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    const url = (await screen.findByTestId('impostazioni-url')) as HTMLInputElement
    expect(url.getAttribute('aria-invalid')).toBeNull()
    fireEvent.change(url, { target: { value: 'http://mypay.example.it' } })
    fireEvent.click(screen.getByTestId('impostazioni-salva'))
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'))
    const descrizione = url.getAttribute('aria-describedby')!.split(' ').map((id) => document.getElementById(id)!.textContent).join(' ')
    expect(descrizione).toContain('usi https://')
    expect(problemiCampiInvalidi()).toEqual([])
    errore = { codice: 'database', messaggio: 'Il database è occupato.' }
    fireEvent.click(screen.getByTestId('impostazioni-salva'))
    await screen.findByText(/database è occupato/)
    expect(url.getAttribute('aria-invalid')).toBeNull()
  })
  it('shows and changes how long the files are kept, and reports the clean-up', async () => {
    invoke.mockImplementation(async (cmd: string, args?: { giorni: number | null }) => {
      if (cmd === 'impostazioni_stato') return stato(true)
      if (cmd === 'conservazione') return CONSERVAZIONE
      if (cmd === 'conservazione_salva') return { giorni: args?.giorni ?? null, descrizione: 'sempre (i file non vengono mai eliminati)', giorni_minimi: 30, giorni_massimi: 3650, ultima_pulizia: null }
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    const sel = (await screen.findByLabelText('Conservare i file per')) as HTMLSelectElement
    expect(sel.value).toBe('365')
    expect(screen.getByTestId('impostazioni-ultima-pulizia').textContent).toContain('non ancora eseguita')
    fireEvent.change(sel, { target: { value: 'mai' } })
    fireEvent.click(screen.getByTestId('impostazioni-conservazione-salva'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('conservazione_salva', { giorni: null }))
    expect(await screen.findByText(/Conservazione salvata: sempre/)).toBeTruthy()
  })
})
