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

describe('Dovuti: the list', () => {
  it('shows a dash, not 0,00 €, for a draft whose amount could not be read', () => {
    expect(importoRiga({ importo_cents: 0, da_correggere: true })).toBe('—')
    expect(importoRiga({ importo_cents: 0, da_correggere: false })).toMatch(/^0,00/)
    expect(importoRiga({ importo_cents: 123456, da_correggere: true })).toMatch(/^1\.234,56/)
  })
})
