import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))

import Impostazioni from './Impostazioni'
import type { Panoramica } from '../api'

const stato = (disponibile: boolean) => ({
  ambiente: 'collaudo',
  urls: [{ ambiente: 'collaudo', url: 'https://mypay.example.it' }, { ambiente: 'produzione', url: null }, { ambiente: 'custom', url: null }],
  codice_ipa: 'c_x123',
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

describe('Impostazioni', () => {
  it('sends the password once, clears the field and never shows it', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
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
      throw new Error(cmd)
    })
    render(<Impostazioni dati={{} as Panoramica} ricarica={() => {}} />)
    expect((await screen.findByTestId('impostazioni-password-stato')).textContent).toContain('non è disponibile')
    expect((screen.getByTestId('impostazioni-password') as HTMLInputElement).disabled).toBe(true)
  })

  it('saves environment and address', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'impostazioni_stato') return stato(true)
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
})
