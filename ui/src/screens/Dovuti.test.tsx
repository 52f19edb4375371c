import { beforeEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
const save = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a) }))

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

const rigaLista = (i: number) => ({
  iud: `MPD1-${String(i).padStart(7, '0')}`,
  stato: 'ready',
  etichetta: 'pronto',
  iuv: '',
  codice_pagatore: 'RSSMRA80A01H501U',
  anagrafica: `Pagatore ${i}`,
  scadenza: '2030-12-31',
  importo_cents: 1000,
  tipo: 'TARI',
  causale: 'TARI 2030',
  rifiuto: null,
  da_correggere: false,
})

/** A back end with `totale` debts, served a page at a time as the real one. */
function backEnd(totale: number) {
  invoke.mockImplementation((cmd: string, a: { richiesta?: { offset: number; limit: number }; filtro?: unknown; attesi?: number; percorso?: string }) => {
    switch (cmd) {
      case 'dovuti_pagina': {
        const { offset, limit } = a.richiesta!
        const n = Math.max(0, Math.min(limit, totale - offset))
        return Promise.resolve({
          totale: offset === 0 ? totale : null,
          offset,
          righe: Array.from({ length: n }, (_, k) => rigaLista(offset + k)),
        })
      }
      case 'dovuti_annulla_filtro':
      case 'dovuti_annulla':
        return Promise.resolve([{ iud: 'MPD1-0000000', ok: true, messaggio: 'annullato' }])
      case 'dovuti_esporta':
        return Promise.resolve(totale)
      default:
        return Promise.reject(new Error(cmd))
    }
  })
}

const TIPI_TARI = [{ codice: 'TARI', descrizione: 'Tassa rifiuti', dati_specifici_riscossione: '', attivo: true, cf_anonimo: false, scadenza_obbligatoria: false, stampa_data_scadenza: false }]

describe('Dovuti: selection by the filter', () => {
  beforeEach(() => {
    invoke.mockReset()
    save.mockReset()
  })

  it('selects all the debts of the filter, not the rows loaded, and names the count', async () => {
    backEnd(351)
    render(<Dovuti tipi={TIPI_TARI} />)
    await waitFor(() => expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti'))
    fireEvent.click(screen.getByTestId('seleziona-caricati'))
    expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti · 200 selezionati')
    fireEvent.click(screen.getByTestId('seleziona-filtro'))
    expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti · selezionati tutti (351 dovuti del filtro)')
    expect(screen.queryByTestId('seleziona-filtro')).toBeNull()
    fireEvent.click(screen.getByTestId('azione-annulla'))
    expect(screen.getByTestId('conferma-annulla-testo').textContent).toMatch(/^Annullare 351 dovuti\?/)
    fireEvent.click(screen.getByTestId('azione-annulla-conferma'))
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('dovuti_annulla_filtro', {
        filtro: expect.objectContaining({ offset: 0 }),
        attesi: 351,
      }),
    )
    expect(invoke).not.toHaveBeenCalledWith('dovuti_annulla', expect.anything())
  })

  it('says «1 dovuto» and offers no selection of the filter when every row is loaded', async () => {
    backEnd(1)
    render(<Dovuti tipi={TIPI_TARI} />)
    await waitFor(() => expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('1 dovuto'))
    fireEvent.click(screen.getByTestId('seleziona-caricati'))
    expect(screen.queryByTestId('seleziona-filtro')).toBeNull()
    fireEvent.click(screen.getByTestId('azione-annulla'))
    expect(screen.getByTestId('conferma-annulla-testo').textContent).toMatch(/^Annullare 1 dovuto\?/)
    fireEvent.click(screen.getByTestId('azione-annulla-conferma'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('dovuti_annulla', { iuds: ['MPD1-0000000'] }))
  })

  it('clears the selection when the filter changes, and says so', async () => {
    backEnd(351)
    render(<Dovuti tipi={TIPI_TARI} />)
    await waitFor(() => expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti'))
    fireEvent.click(screen.getByTestId('seleziona-caricati'))
    fireEvent.click(screen.getByTestId('seleziona-filtro'))
    fireEvent.change(screen.getByLabelText('Tipo dovuto'), { target: { value: 'TARI' } })
    expect(
      (await screen.findByTestId('selezione-azzerata')).textContent,
    ).toBe('Filtro cambiato: deselezionati 351 dovuti.')
    expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti')
    expect((screen.getByTestId('azione-annulla') as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByTestId('seleziona-caricati') as HTMLInputElement).checked).toBe(false)
  })

  it('exports every debt of the filter to the file chosen in the save dialog', async () => {
    backEnd(351)
    save.mockResolvedValue('/home/ufficio/dovuti-tari')
    render(<Dovuti tipi={TIPI_TARI} />)
    await waitFor(() => expect(screen.getByTestId('dovuti-conteggio').textContent).toBe('351 dovuti'))
    fireEvent.change(screen.getByLabelText('Tipo dovuto'), { target: { value: 'TARI' } })
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('dovuti_pagina', { richiesta: expect.objectContaining({ tipo: 'TARI', offset: 0 }) }),
    )
    fireEvent.click(screen.getByTestId('dovuti-esporta'))
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('dovuti_esporta', {
        filtro: expect.objectContaining({ tipo: 'TARI', offset: 0 }),
        percorso: '/home/ufficio/dovuti-tari.xlsx',
      }),
    )
    expect((await screen.findByTestId('dovuti-esito')).textContent).toBe(
      'Esportati 351 dovuti in /home/ufficio/dovuti-tari.xlsx.',
    )
    const [arg] = invoke.mock.calls.find(([c]) => c === 'dovuti_esporta')!.slice(1) as [{ filtro: Record<string, unknown> }]
    expect(arg.filtro.limit).toBeUndefined()
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

describe('Dovuti: the keyboard (issue 13, item 16) and the side panel (item 15)', () => {
  beforeEach(() => {
    invoke.mockReset()
  })

  const montaLista = async () => {
    const alto = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
    const largo = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000)
    backEnd(5)
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation((cmd: string, a: Record<string, unknown>) => {
      if (cmd === 'dovuto_scheda') return Promise.resolve({ ...scheda, iud: a.iud, su_mypay: false })
      if (cmd === 'manutenzione_stato') return Promise.resolve({ dovuti: 5, da_indicizzare: 0, indici_da_ricostruire: 0 })
      return base(cmd, a as never)
    })
    render(<Dovuti tipi={TIPI_TARI} />)
    const righe = await screen.findAllByTestId('dovuto-riga')
    return { righe, ripristina: () => { alto.mockRestore(); largo.mockRestore() } }
  }

  it('puts one row in the Tab order, moves with the arrows and opens the debt with Enter or Space', async () => {
    const { righe, ripristina } = await montaLista()
    try {
      expect(righe.map((r) => r.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1', '-1'])
      // Only the current row's checkbox is in the Tab order too: Tab leaves the list at once.
      expect(screen.getAllByTestId('dovuto-seleziona').map((c) => c.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1', '-1'])
      righe[0].focus()
      fireEvent.keyDown(righe[0], { key: 'ArrowDown' })
      await waitFor(() => expect(document.activeElement).toBe(screen.getAllByTestId('dovuto-riga')[1]))
      expect(screen.getAllByTestId('dovuto-riga')[1].getAttribute('tabindex')).toBe('0')
      expect(screen.getAllByTestId('dovuto-riga')[0].getAttribute('tabindex')).toBe('-1')

      fireEvent.keyDown(document.activeElement!, { key: 'Enter' })
      const pannello = await screen.findByRole('dialog')
      expect(pannello.getAttribute('aria-modal')).toBe('true')
      expect((await screen.findByTestId('dovuto-form')).getAttribute('data-iud')).toBe('MPD1-0000001')
      expect(pannello.contains(document.activeElement)).toBe(true)

      // Esc closes it (nothing changed) and the focus goes back to the row.
      fireEvent.keyDown(pannello, { key: 'Escape' })
      expect(screen.queryByRole('dialog')).toBeNull()
      expect(document.activeElement?.getAttribute('data-iud')).toBe('MPD1-0000001')

      const terza = screen.getAllByTestId('dovuto-riga')[2]
      terza.focus()
      fireEvent.keyDown(terza, { key: ' ' })
      expect((await screen.findByTestId('dovuto-form')).getAttribute('data-iud')).toBe('MPD1-0000002')
    } finally {
      ripristina()
    }
  })

  it('groups the options of a position in one row, expanded and collapsed from the keyboard', async () => {
    const alto = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(600)
    const largo = vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(1000)
    try {
      // Row 0 and 5 on their own; rows 1–4 the rata unica and three instalments of TARI-1.
      const etichette = ['rata unica', 'rata 1', 'rata 2', 'rata 3']
      const righe = Array.from({ length: 6 }, (_, i) => ({
        ...rigaLista(i),
        ...(i >= 1 && i <= 4
          ? {
              posizione: {
                codice: 'TARI-1', oggetto: 'TARI 2030', stato: 'pagata in parte (1 di 3)', importo_cents: 24000, opzioni: 4,
                rata: i - 1, etichetta: etichette[i - 1],
              },
            }
          : {}),
      }))
      invoke.mockImplementation((cmd: string) => {
        if (cmd === 'dovuti_pagina') return Promise.resolve({ totale: 6, offset: 0, righe })
        if (cmd === 'manutenzione_stato') return Promise.resolve({ dovuti: 6, da_indicizzare: 0, indici_da_ricostruire: 0 })
        return Promise.reject(new Error(cmd))
      })
      render(<Dovuti tipi={TIPI_TARI} />)
      const posizione = await screen.findByTestId('posizione-riga')
      expect(screen.getAllByTestId('dovuto-riga').map((r) => r.dataset.iud)).toEqual(['MPD1-0000000', 'MPD1-0000005'])
      // The position's row: its state in words, what it costs, how many options.
      expect(posizione.textContent).toContain('pagata in parte (1 di 3)')
      expect(posizione.textContent).toContain('240,00 €')
      expect(posizione.textContent).toContain('Posizione: 4 opzioni')
      expect(screen.getByTestId('posizione-oggetto').getAttribute('aria-expanded')).toBe('false')
      // The arrows go over the hidden options.
      const prima = screen.getAllByTestId('dovuto-riga')[0]
      prima.focus()
      fireEvent.keyDown(prima, { key: 'ArrowDown' })
      await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('posizione-riga')))
      fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' })
      await waitFor(() => expect(document.activeElement?.getAttribute('data-iud')).toBe('MPD1-0000005'))
      fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' })
      await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('posizione-riga')))
      // Enter shows the options, each named; no form opens.
      fireEvent.keyDown(document.activeElement!, { key: 'Enter' })
      await waitFor(() => expect(screen.getAllByTestId('dovuto-riga')).toHaveLength(6))
      expect(screen.queryByTestId('posizione-riga')).toBeNull()
      expect(screen.getAllByTestId('posizione-opzione').map((e) => e.textContent)).toEqual(['Rata unica', 'Rata 1', 'Rata 2', 'Rata 3'])
      expect(screen.queryByRole('dialog')).toBeNull()
      // ← on the first option hides them again.
      const capo = screen.getAllByTestId('dovuto-riga')[1]
      capo.focus()
      fireEvent.keyDown(capo, { key: 'ArrowLeft' })
      await waitFor(() => expect(screen.getAllByTestId('dovuto-riga')).toHaveLength(2))
      // Its checkbox selects every option of the position.
      fireEvent.click(screen.getByTestId('posizione-seleziona'))
      expect(screen.getByTestId('dovuti-conteggio').textContent).toContain('4 selezionati')
    } finally {
      alto.mockRestore()
      largo.mockRestore()
    }
  })

  it('leaves the keys typed in a row\'s checkbox to the checkbox', async () => {
    const { ripristina } = await montaLista()
    try {
      const casella = screen.getAllByTestId('dovuto-seleziona')[0]
      fireEvent.keyDown(casella, { key: 'Enter' })
      fireEvent.keyDown(casella, { key: ' ' })
      expect(screen.queryByRole('dialog')).toBeNull()
      expect(invoke).not.toHaveBeenCalledWith('dovuto_scheda', expect.anything())
    } finally {
      ripristina()
    }
  })

  it('with unsaved changes, Esc in the panel asks first', async () => {
    const { righe, ripristina } = await montaLista()
    try {
      fireEvent.keyDown(righe[0], { key: 'Enter' })
      const form = await screen.findByTestId('dovuto-form')
      fireEvent.change(form.querySelector('[name="causale"]')!, { target: { value: 'Causale nuova' } })
      fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' })
      expect(screen.getByRole('alertdialog').textContent).toContain('Ci sono modifiche non salvate')
      expect(screen.getByTestId('dovuto-form')).toBeTruthy()
    } finally {
      ripristina()
    }
  })

  it('shows the payer first and widest, with the codice fiscale under the name', async () => {
    const { COLONNE } = await import('./Dovuti')
    const colonne = COLONNE.split(/ (?![^(]*\))/)
    expect(colonne).toHaveLength(7)
    const fr = (c: string) => Number(/([\d.]+)fr/.exec(c)?.[1] ?? 0)
    const rem = (c: string) => Number(/([\d.]+)rem/.exec(c)?.[1] ?? 0)
    // The payer takes the largest share of the free width and has the largest minimum.
    expect(fr(colonne[1])).toBe(Math.max(...colonne.map(fr)))
    expect(rem(colonne[1])).toBe(Math.max(...colonne.map(rem)))
    // The minimums fit the list's width in a 1024-pixel window: 1024 − menu 180 − padding 32
    // − scrollbar 16 − row padding 16 − gaps 6 × 6.4, at 16 px a rem.
    const minimo = colonne.reduce((t, c) => t + rem(c), 0) * 16 + 6 * 6.4
    expect(minimo).toBeLessThanOrEqual(1024 - 180 - 32 - 16 - 16 - 2)
    const { righe, ripristina } = await montaLista()
    try {
      const celle = righe[0].querySelectorAll('[role="cell"]')
      expect(celle[1].textContent).toBe('Pagatore 0RSSMRA80A01H501U')
      expect(screen.getAllByRole('columnheader')[1].textContent).toBe('Pagatore e codice fiscale')
    } finally {
      ripristina()
    }
  })
})
