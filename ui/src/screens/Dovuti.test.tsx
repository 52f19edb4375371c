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

describe('Dovuti: deleting drafts and moving to the next draft to fix', () => {
  const tipi = [{ codice: 'TARI', descrizione: 'Tassa rifiuti', dati_specifici_riscossione: '', attivo: true, cf_anonimo: false, scadenza_obbligatoria: false, stampa_data_scadenza: false }]
  const riga = (iud: string, stato: string) => ({
    iud, stato, etichetta: stato === 'draft' ? 'bozza' : 'pronto', iuv: '', codice_pagatore: 'RSSMRA80A01H501U',
    anagrafica: 'Rossi Mario', scadenza: '2030-12-31', importo_cents: 1000, tipo: 'TARI', causale: 'TARI', rifiuto: null, da_correggere: false,
  })

  it('asks with the number of drafts, in Italian singular and plural', async () => {
    const { domandaEliminaBozze, riassuntoEliminazione } = await import('../comandi/dovuti')
    expect(domandaEliminaBozze(1)).toBe('Eliminare 1 bozza? Non si potrà recuperare.')
    expect(domandaEliminaBozze(3)).toBe('Eliminare 3 bozze? Non si potranno recuperare.')
    expect(riassuntoEliminazione({ eliminate: ['A'], rifiutate: [] })).toBe('1 bozza eliminata')
    expect(riassuntoEliminazione({ eliminate: ['A', 'B'], rifiutate: [{ iud: 'C', motivo: 'ha già un IUV' }] })).toBe(
      '2 bozze eliminate, 1 dovuto non eliminato: C (ha già un IUV)',
    )
  })

  it('«Elimina bozze» deletes the selected drafts only, after a confirmation naming how many', async () => {
    // The virtualized list renders rows only in a box with a height.
    const alto = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
    const largo = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000)
    let eliminate = false
    invoke.mockImplementation((cmd: string, args: Record<string, unknown>) => {
      switch (cmd) {
        case 'dovuti_pagina':
          return Promise.resolve(
            eliminate
              ? { totale: 1, offset: 0, righe: [riga('P1', 'ready')] }
              : { totale: 3, offset: 0, righe: [riga('B1', 'draft'), riga('P1', 'ready'), riga('B2', 'draft')] },
          )
        case 'dovuti_elimina_bozze':
          eliminate = true
          return Promise.resolve({ eliminate: args.iuds, rifiutate: [] })
        case 'manutenzione_stato':
          return Promise.resolve({ dovuti: 3, da_indicizzare: 0, indici_da_ricostruire: 0 })
        default:
          return Promise.reject(new Error(cmd))
      }
    })
    try {
      render(<Dovuti tipi={tipi} />)
      const caselle = await screen.findAllByTestId('dovuto-seleziona')
      expect(caselle).toHaveLength(3)
      const elimina = screen.getByTestId('azione-elimina-bozze') as HTMLButtonElement
      expect(elimina.disabled).toBe(true)
      fireEvent.click(caselle[0])
      fireEvent.click(caselle[1])
      expect(elimina.disabled).toBe(false)
      fireEvent.click(elimina)
      expect(screen.getByTestId('azione-elimina-bozze-domanda').textContent).toContain(
        'Eliminare 1 bozza? Non si potrà recuperare. Gli altri dovuti selezionati non sono bozze',
      )
      fireEvent.click(caselle[2])
      expect(screen.getByTestId('azione-elimina-bozze-domanda').textContent).toContain(
        'Eliminare 2 bozze? Non si potranno recuperare.',
      )
      expect(invoke).not.toHaveBeenCalledWith('dovuti_elimina_bozze', expect.anything())
      fireEvent.click(screen.getByTestId('azione-elimina-bozze-conferma'))
      expect((await screen.findByTestId('dovuti-esito')).textContent).toBe('2 bozze eliminate')
      expect(invoke).toHaveBeenCalledWith('dovuti_elimina_bozze', { iuds: ['B1', 'B2'] })
      await waitFor(() => expect(screen.getAllByTestId('dovuto-seleziona')).toHaveLength(1))
    } finally {
      alto.mockRestore()
      largo.mockRestore()
    }
  })

  it('«Successiva da correggere» saves what was typed, then opens the next draft with problems', async () => {
    invoke.mockImplementation((cmd: string, args: Record<string, unknown>) => {
      switch (cmd) {
        case 'dovuti_pagina':
          return Promise.resolve({ totale: 0, offset: 0, righe: [] })
        case 'dovuto_scheda':
          return Promise.resolve({ ...scheda, iud: args.iud })
        case 'dovuto_salva':
          return Promise.resolve({ salvato: true, problemi: scheda.problemi, scheda })
        case 'dovuti_successiva_da_correggere':
          return Promise.resolve(args.iud === 'MPD1-0000004' ? 'MPD1-0000009' : null)
        default:
          return Promise.reject(new Error(cmd))
      }
    })
    render(<Dovuti tipi={tipi} parametri={{ iud: scheda.iud }} />)
    const form = await screen.findByTestId('dovuto-form')
    fireEvent.change(form.querySelector('[name="causale"]')!, { target: { value: 'TARI 2031' } })
    fireEvent.click(screen.getByTestId('dovuto-successiva'))
    await waitFor(() => expect(screen.getByTestId('dovuto-form').getAttribute('data-iud')).toBe('MPD1-0000009'))
    expect(invoke).toHaveBeenCalledWith('dovuto_salva', { iud: scheda.iud, campi: { causale: 'TARI 2031' }, pronto: true })
    expect(invoke).toHaveBeenCalledWith('dovuti_successiva_da_correggere', { iud: scheda.iud })
    // Nothing changed on the last one: skipped without saving, and told there is no other.
    const salvataggi = invoke.mock.calls.filter((c) => c[0] === 'dovuto_salva').length
    fireEvent.click(screen.getByTestId('dovuto-successiva'))
    expect(await screen.findByText('Non ci sono altre bozze da correggere.')).toBeTruthy()
    expect(invoke.mock.calls.filter((c) => c[0] === 'dovuto_salva').length).toBe(salvataggi)
  })
})
