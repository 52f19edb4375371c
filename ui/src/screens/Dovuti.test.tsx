import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import Dovuti, { importoRiga } from './Dovuti'

const scheda = {
  iud: 'MPD1-0000004',
  stato: 'draft',
  etichetta: 'bozza',
  modificabile: true,
  valori: {
    codice_pagatore: 'RSSMRA80A01H501U',
    tipo_pagatore: 'F',
    anagrafica: 'Rossi Mario',
    importo: 'centoventi',
    scadenza: '31/12/2030',
    tipo: 'TARI',
    causale: 'TARI 2030',
  },
  problemi: [
    { codice: 'MPD_FOGLIO_IMPORTO', chiave: 'importo', campo: 'Importo €', valore: 'centoventi', messaggio: 'non è un importo', grave: true },
  ],
  origine: 'tari.xlsx, riga 4',
  rifiuto: null,
  pronto_possibile: false,
}

describe('Dovuti: the edit form', () => {
  it('shows the import problem, checks as the clerk types, sends only the changes', async () => {
    invoke.mockImplementation((cmd: string) => {
      switch (cmd) {
        case 'dovuti_pagina':
          return Promise.resolve({ totale: 0, offset: 0, righe: [] })
        case 'dovuto_scheda':
          return Promise.resolve(scheda)
        case 'dovuto_salva':
          return Promise.resolve({ salvato: true, problemi: [], scheda: { ...scheda, stato: 'ready', etichetta: 'pronto', problemi: [] } })
        default:
          return Promise.reject(new Error(cmd))
      }
    })
    render(<Dovuti tipi={[{ codice: 'TARI', descrizione: 'Tassa rifiuti', dati_specifici_riscossione: '', attivo: true, cf_anonimo: false, scadenza_obbligatoria: false, stampa_data_scadenza: false }]} parametri={{ iud: scheda.iud }} />)
    const form = await screen.findByTestId('dovuto-form')
    expect(screen.getByText('Da tari.xlsx, riga 4')).toBeTruthy()
    const importo = form.querySelector('[name="importo"]') as HTMLInputElement
    expect(importo.value).toBe('centoventi')
    const feedback = () => [...form.querySelectorAll('.invalid-feedback')].map((e) => e.textContent)
    expect(feedback()).toEqual(['non è un importo'])

    fireEvent.change(importo, { target: { value: '12,3,4' } })
    expect(feedback()[0]).toMatch(/Importo non valido/)
    fireEvent.change(importo, { target: { value: '95,00' } })
    expect(feedback()).toEqual([])

    fireEvent.click(screen.getByTestId('dovuto-salva'))
    await waitFor(() => expect(screen.queryByTestId('dovuto-form')).toBeNull())
    expect(invoke).toHaveBeenCalledWith('dovuto_salva', { iud: scheda.iud, campi: { importo: '95,00' }, pronto: true })
    expect(await screen.findByText(/salvato: è pronto/)).toBeTruthy()
  })

  it('keeps the form open with the back end’s findings under their fields', async () => {
    invoke.mockImplementation((cmd: string) => {
      switch (cmd) {
        case 'dovuti_pagina':
          return Promise.resolve({ totale: 0, offset: 0, righe: [] })
        case 'dovuto_scheda':
          return Promise.resolve({ ...scheda, stato: 'ready', etichetta: 'pronto', problemi: [] })
        case 'dovuto_salva':
          return Promise.resolve({
            salvato: false,
            problemi: [{ codice: 'X', chiave: 'scadenza', campo: null, valore: null, messaggio: 'scadenza passata', grave: true }],
            scheda: { ...scheda, stato: 'ready', etichetta: 'pronto', problemi: [] },
          })
        default:
          return Promise.reject(new Error(cmd))
      }
    })
    render(<Dovuti tipi={[]} parametri={{ iud: scheda.iud }} />)
    const form = await screen.findByTestId('dovuto-form')
    expect(screen.queryByTestId('dovuto-pronto')).toBeNull()
    fireEvent.change(form.querySelector('[name="scadenza"]')!, { target: { value: '01/01/2020' } })
    fireEvent.click(screen.getByTestId('dovuto-salva'))
    expect(await screen.findByText('scadenza passata')).toBeTruthy()
    expect(screen.getByText(/Non salvato/)).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('dovuto_salva', { iud: scheda.iud, campi: { scadenza: '01/01/2020' }, pronto: false })
  })
})

const TARI = { codice: 'TARI', descrizione: 'Tassa rifiuti', dati_specifici_riscossione: '', attivo: true, cf_anonimo: false, scadenza_obbligatoria: false, stampa_data_scadenza: false }

/** The calls of a form on `s`: saving answers "saved and valid". */
const conScheda = (s: object) =>
  invoke.mockImplementation((cmd: string) => {
    switch (cmd) {
      case 'dovuti_pagina':
        return Promise.resolve({ totale: 0, offset: 0, righe: [] })
      case 'dovuto_scheda':
        return Promise.resolve(s)
      case 'dovuto_salva':
        return Promise.resolve({ salvato: true, problemi: [], scheda: s })
      default:
        return Promise.reject(new Error(cmd))
    }
  })

describe('Dovuti: IUV and payment type of a debt MyPay holds', () => {
  it('shows them as text, not fields, and never sends them', async () => {
    invoke.mockReset()
    const iuv = '12010000000000717'
    conScheda({
      ...scheda, stato: 'loaded', etichetta: 'caricato', su_mypay: true, problemi: [],
      valori: { ...scheda.valori, importo: '120,00', iuv },
    })
    render(<Dovuti tipi={[TARI]} parametri={{ iud: scheda.iud }} />)
    const form = await screen.findByTestId('dovuto-form')
    expect(form.querySelector('[name="iuv"]')).toBeNull()
    expect(form.querySelector('[name="tipo"]')).toBeNull()
    expect(screen.getByTestId('dovuto-fisso-iuv').textContent).toBe(iuv)
    expect(screen.getByTestId('dovuto-fisso-tipo').textContent).toBe('Tassa rifiuti (TARI)')
    expect(form.textContent).toContain('Il dovuto è già su MyPay: lo IUV non si può cambiare.')
    expect(screen.queryByTestId('dovuto-iuv-aiuto')).toBeNull()
    fireEvent.change(form.querySelector('[name="causale"]')!, { target: { value: 'TARI 2030 rata unica' } })
    fireEvent.click(screen.getByTestId('dovuto-salva'))
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('dovuto_salva', { iud: scheda.iud, campi: { causale: 'TARI 2030 rata unica' }, pronto: false }),
    )
  })

  it('on a draft, the IUV field says to leave it empty unless the Ente assigns IUVs itself', async () => {
    invoke.mockReset()
    conScheda({ ...scheda, su_mypay: false })
    render(<Dovuti tipi={[TARI]} parametri={{ iud: scheda.iud }} />)
    const form = await screen.findByTestId('dovuto-form')
    const campo = form.querySelector('[name="iuv"]') as HTMLInputElement
    const aiuto = screen.getByTestId('dovuto-iuv-aiuto')
    expect(aiuto.textContent).toBe('Lo lasci vuoto: lo IUV lo assegna MyPay. Lo scriva solo se l’Ente assegna gli IUV da sé.')
    expect(campo.getAttribute('aria-describedby')).toContain(aiuto.id)
    // Never how to compute a check digit.
    expect(form.textContent).not.toMatch(/cifr[ae] di controllo|dovrebbe essere/i)
  })
})

describe('Dovuti: unsaved changes', () => {
  const apriEModifica = async () => {
    invoke.mockReset()
    conScheda({ ...scheda, su_mypay: false })
    const menu = vi.fn()
    render(
      <>
        <nav aria-label="Sezioni"><a href="#home" onClick={(e) => { e.preventDefault(); menu() }}>Home</a></nav>
        <Dovuti tipi={[TARI]} parametri={{ iud: scheda.iud }} />
      </>,
    )
    const form = await screen.findByTestId('dovuto-form')
    fireEvent.change(form.querySelector('[name="causale"]')!, { target: { value: 'Causale nuova' } })
    return { form, menu }
  }

  it('"Chiudi" asks first; Esc means stay and keeps what was typed', async () => {
    const { form } = await apriEModifica()
    fireEvent.click(screen.getByText('Chiudi'))
    const domanda = screen.getByRole('alertdialog')
    expect(domanda.getAttribute('aria-modal')).toBe('true')
    expect(domanda.textContent).toContain('Ci sono modifiche non salvate: uscire senza salvare?')
    expect(document.activeElement?.textContent).toBe('Resta')
    // Tab stays inside the dialog.
    fireEvent.keyDown(domanda, { key: 'Tab' })
    expect(document.activeElement?.textContent).toBe('Esci senza salvare')
    fireEvent.keyDown(domanda, { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect((form.querySelector('[name="causale"]') as HTMLInputElement).value).toBe('Causale nuova')
    fireEvent.click(screen.getByText('Chiudi'))
    fireEvent.click(screen.getByText('Esci senza salvare'))
    expect(screen.queryByTestId('dovuto-form')).toBeNull()
    expect(invoke).not.toHaveBeenCalledWith('dovuto_salva', expect.anything())
  })

  it('leaving the section asks first, and goes only on "Esci senza salvare"', async () => {
    const { menu } = await apriEModifica()
    fireEvent.click(screen.getByText('Home'))
    expect(menu).not.toHaveBeenCalled()
    fireEvent.click(screen.getByText('Resta'))
    expect(menu).not.toHaveBeenCalled()
    expect(screen.getByTestId('dovuto-form')).toBeTruthy()
    fireEvent.click(screen.getByText('Home'))
    fireEvent.click(screen.getByText('Esci senza salvare'))
    expect(menu).toHaveBeenCalledTimes(1)
  })

  it('without changes "Chiudi" closes at once', async () => {
    invoke.mockReset()
    conScheda({ ...scheda, su_mypay: false })
    render(<Dovuti tipi={[TARI]} parametri={{ iud: scheda.iud }} />)
    await screen.findByTestId('dovuto-form')
    fireEvent.click(screen.getByText('Chiudi'))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(screen.queryByTestId('dovuto-form')).toBeNull()
  })
})

describe('Dovuti: the list', () => {
  it('shows a dash, not 0,00 €, for a draft whose amount could not be read', () => {
    expect(importoRiga({ importo_cents: 0, da_correggere: true })).toBe('—')
    expect(importoRiga({ importo_cents: 0, da_correggere: false })).toMatch(/^0,00/)
    expect(importoRiga({ importo_cents: 123456, da_correggere: true })).toMatch(/^1\.234,56/)
  })
})
