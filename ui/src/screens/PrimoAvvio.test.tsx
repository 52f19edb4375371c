import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))

import PrimoAvvio, { erroriPasso } from './PrimoAvvio'
import { problemiCampiInvalidi, quantiInvalidi } from '../campiInvalidi'

const dati = {
  denominazione: 'Comune di Esempio', codice_ipa: 'c_x123', codice_fiscale: '01199250158', codice_segregazione: '12',
  ambiente: 'collaudo' as const, url: 'https://mypay.example.it', password: 'pw', piattaforma: '' as const, client_id: '',
}

describe('first start wizard', () => {
  it('checks each step', () => {
    expect(erroriPasso(0, dati)).toEqual({})
    expect(Object.keys(erroriPasso(0, { ...dati, codice_fiscale: '01199250159' }))).toEqual(['codice_fiscale'])
    expect(erroriPasso(1, { ...dati, url: '' }).url).toMatch(/obbligatorio/)
    expect(erroriPasso(1, { ...dati, ambiente: 'demo', url: '' })).toEqual({})
  })

  // Issue 17 item 3: the address's rule is the application's (as Impostazioni and the CLI):
  // the wizard asks it before leaving the address step, and stays there with its message.
  it('asks the application about the address and stays on a refused one', async () => {
    const problema = "Indirizzo di MyPay: l'indirizzo «http://127.0.0.1:8080» non è ammesso per l'ambiente collaudo"
    invoke.mockImplementation((cmd: string) => Promise.resolve(cmd === 'indirizzo_controlla' ? problema : null))
    render(<PrimoAvvio onFatto={() => {}} onAnnulla={() => {}} />)
    const set = (id: string, v: string) => fireEvent.change(document.getElementById(id)!, { target: { value: v } })
    set('primo-denominazione', dati.denominazione)
    set('primo-codice_ipa', dati.codice_ipa)
    set('primo-codice_fiscale', dati.codice_fiscale)
    set('primo-codice_segregazione', '12')
    fireEvent.click(screen.getByText('Avanti'))
    set('primo-url', 'http://127.0.0.1:8080')
    fireEvent.click(screen.getByText('Avanti'))
    expect(await screen.findByText(/non è ammesso per l'ambiente collaudo/)).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('indirizzo_controlla', { ambiente: 'collaudo', url: 'http://127.0.0.1:8080' })
    expect(document.getElementById('primo-password')).toBeNull()
  })

  it('does not move on with a wrong fiscal code, then saves and lands', async () => {
    const onFatto = vi.fn()
    invoke.mockImplementation((cmd: string) =>
      Promise.resolve(cmd === 'indirizzo_controlla' ? null : { salvato: true, errori: [], avvisi: [] }))
    render(<PrimoAvvio onFatto={onFatto} onAnnulla={() => {}} />)
    const set = (id: string, v: string) => fireEvent.change(document.getElementById(id)!, { target: { value: v } })
    set('primo-denominazione', dati.denominazione)
    set('primo-codice_ipa', dati.codice_ipa)
    set('primo-codice_fiscale', '01199250159')
    set('primo-codice_segregazione', '12')
    fireEvent.click(screen.getByText('Avanti'))
    expect(await screen.findByText(/almeno una cifra è sbagliata/)).toBeTruthy()
    set('primo-codice_fiscale', dati.codice_fiscale)
    fireEvent.click(screen.getByText('Avanti'))
    set('primo-url', dati.url)
    fireEvent.click(screen.getByText('Avanti'))
    await waitFor(() => expect(document.getElementById('primo-password')).toBeTruthy())
    set('primo-password', 'Segreta')
    fireEvent.click(screen.getByText('Salva e inizia'))
    await waitFor(() => expect(onFatto).toHaveBeenCalled())
    expect(invoke).toHaveBeenCalledWith('primo_configura', { dati: { ...dati, password: 'Segreta' } })
  })

  // Issue 15: on the Piattaforma Unitaria the last step asks for the client secret, in its words.
  it('names the client secret on the Piattaforma Unitaria', async () => {
    invoke.mockImplementation(() => Promise.resolve(null))
    render(<PrimoAvvio onFatto={() => {}} onAnnulla={() => {}} />)
    const set = (id: string, v: string) => fireEvent.change(document.getElementById(id)!, { target: { value: v } })
    set('primo-denominazione', dati.denominazione)
    set('primo-codice_ipa', dati.codice_ipa)
    set('primo-codice_fiscale', dati.codice_fiscale)
    set('primo-codice_segregazione', '12')
    fireEvent.click(screen.getByText('Avanti'))
    set('primo-url', dati.url)
    set('primo-piattaforma', 'pu')
    set('primo-client_id', 'c_x123SIL_MyPayDesk')
    fireEvent.click(screen.getByText('Avanti'))
    await waitFor(() => expect(document.getElementById('primo-password')).toBeTruthy())
    expect(screen.getByText('3. Segreto del client')).toBeTruthy()
    expect(screen.getByText(/Segreto del client della Piattaforma Unitaria/)).toBeTruthy()
    expect(screen.getByText(/Viene salvato solo nel portachiavi/)).toBeTruthy()
    expect(screen.queryByText(/3\. Password/)).toBeNull()
  })

  // Issue 13, item 16: in the wizard, each invalid field is marked and described by its message.
  it('links every invalid field to its message (aria-invalid, aria-describedby)', async () => {
    invoke.mockImplementation((cmd: string) =>
      Promise.resolve(cmd === 'indirizzo_controlla' ? 'Indirizzo di MyPay: deve iniziare con https://' : null))
    render(<PrimoAvvio onFatto={() => {}} onAnnulla={() => {}} />)
    fireEvent.click(screen.getByText('Avanti'))
    await waitFor(() => expect(quantiInvalidi()).toBeGreaterThanOrEqual(3))
    expect(problemiCampiInvalidi()).toEqual([])
    const cf = document.getElementById('primo-codice_fiscale')!
    expect(cf.getAttribute('aria-describedby')).toBe('primo-codice_fiscale-errore')
    // A valid field is described by its help, and not marked invalid.
    const set = (id: string, v: string) => fireEvent.change(document.getElementById(id)!, { target: { value: v } })
    set('primo-codice_ipa', dati.codice_ipa)
    const ipa = document.getElementById('primo-codice_ipa')!
    expect(ipa.getAttribute('aria-invalid')).toBeNull()
    expect(document.getElementById(ipa.getAttribute('aria-describedby')!)!.textContent).toContain('Indice delle Pubbliche Amministrazioni')
    set('primo-denominazione', dati.denominazione)
    set('primo-codice_fiscale', dati.codice_fiscale)
    set('primo-codice_segregazione', '12')
    fireEvent.click(screen.getByText('Avanti'))
    set('primo-url', 'http://mypay.example.it')
    fireEvent.click(screen.getByText('Avanti'))
    const url = document.getElementById('primo-url')!
    await waitFor(() => expect(url.getAttribute('aria-invalid')).toBe('true'))
    expect(document.getElementById(url.getAttribute('aria-describedby')!)!.textContent).toMatch(/https/)
    expect(problemiCampiInvalidi()).toEqual([])
  })
})
