import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const { invoke, open, save, drop } = vi.hoisted(() => ({
  invoke: vi.fn(),
  open: vi.fn(),
  save: vi.fn(),
  drop: { ascolta: null as null | ((e: { payload: { type: string; paths?: string[] } }) => void) },
}))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...a: unknown[]) => open(...a), save: (...a: unknown[]) => save(...a) }))
// The window's drop: the test plays it through the listener the screen registers.
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (f: (e: { payload: { type: string; paths?: string[] } }) => void) => {
      drop.ascolta = f
      return () => {}
    },
  }),
}))
vi.mock('react-chartjs-2', () => ({ Bar: () => <div /> }))

import Riconciliazione from '../Riconciliazione'
import type { Panoramica } from '../../api'
import { ERRORE_FINESTRA } from '../../api'
import type {
  EsitoImportazioneTesoreria,
  FdrVista,
  MovimentoVista,
  PropostaReversale,
  Totali,
} from '../../comandi/riconciliazione'
import { causaleBreve, righeEsitoTesoreria } from '../../comandi/riconciliazione'
import { giorni } from './GiorniTesoreria'
import { ordinaMovimenti } from './MovimentiTesoreria'
import { elencoDi } from './provaElenco'

const IUF = '2030-01-15ABI03069-S150001'

const FDR: FdrVista = {
  iuf: IUF, psp: 'ABI03069', psp_nome: 'Banca di Prova', data_regolamento: '2030-01-15', iur_regolamento: 'TRN1',
  numero_dichiarato: 2, importo_dichiarato_cents: 3000, numero_pagamenti: 2, somma_cents: 3000, revocati: 0, quadra: true,
  motivo: 'quadra', file: 'fdr.xml', importo_tesoreria_cents: 3000, incassato: true, motivo_tesoreria: 'bolletta 2030/15', 
}

const movimento = (bolletta: string, esito: MovimentoVista['esito'], extra: Partial<MovimentoVista> = {}): MovimentoVista => ({
  formato: 'csv', file: 'giornale.csv', riga: 2, anno: 2030, bolletta, data_contabile: '2030-01-16', data_valuta: '2030-01-16',
  importo_cents: 3000, ordinante: 'BANCA DI PROVA', causale: `/PUR/LGPE-RIVERSAMENTO/URI/${IUF}`, iuf: IUF, iuv: null,
  lettura: 'IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/', sospeso: null, esito, iuf_abbinato: esito === 'abbinato' ? IUF : null,
  iuv_abbinati: [], motivo: esito === 'abbinato' ? `abbinato al flusso «${IUF}»` : 'nessun flusso con questo IUF', suggerimenti: [],
  ...extra,
})

const MOVIMENTI = [
  movimento('15', 'abbinato'),
  movimento('16', 'sconosciuto', {
    causale: '/PUR/LGPE-RIVERSAMENTO/URI/2030-01-15ABI03069-S15000X BONIFICO DI RIVERSAMENTO PAGOPA DEL GIORNO 15 GENNAIO',
    data_contabile: '2030-01-15',
    suggerimenti: [{ iuf: '2030-01-15ABI03069-S150009', motivo: 'stesso importo, regolato 1 giorno prima' }],
  }),
]

const PROPOSTA: PropostaReversale = {
  esercizio: '2030', numero_bolletta: '15', data: '2030-01-16', ordinante: 'BANCA DI PROVA', causale: IUF,
  importo_cents: 3500, coperto_cents: 3000, residuo_cents: 500, pagamenti: 2, motivo: `flusso «${IUF}»: 2 pagamenti`,
  righe: [
    { esercizio: '2030', numero_bolletta: '15', data: '2030-01-16', capitolo: '3010', articolo: '1', accertamento: '2030/15',
      importo_cents: 3000, descrizione: 'TARI', residuo: false },
    { esercizio: '2030', numero_bolletta: '15', data: '2030-01-16', capitolo: '', articolo: '', accertamento: '',
      importo_cents: 500, descrizione: 'residuo non coperto dai pagamenti', residuo: true },
  ],
}

const TOTALI: Totali = {
  pagamenti: 2, totale_cents: 3000, per_tipo: [], per_accertamento: [], per_mese: [],
  per_capitolo: [{ chiave: '3010/1', etichetta: 'capitolo 3010/1', pagamenti: 2, importo_cents: 3000 }],
}

const ESITO: EsitoImportazioneTesoreria = {
  file: '/tmp/caricati/9/giornale.csv', formato: 'csv', formato_nome: 'giornale di cassa CSV', riconosciuto: true, esito: 'nuovo',
  aggiunti: 2, sostituiti: 0, rimossi: 0, storni_applicati: 0,
  rifiutate: [{ riga: 4, campo: 'numero_bolletta_quietanza', messaggio: 'la bolletta 2030/9 non è presente: impossibile stornarla' }],
  ignorate: [{ riga: 5, campo: '', messaggio: 'importo negativo o zero: non è un’entrata' }],
  note: [], riepilogo: { livello: 'avviso', testo: 'Giornale importato (giornale di cassa CSV): 2 movimenti aggiunti. 1 storno non applicabile.' },
}

const REGOLE = { indice_mancante_primo: true, esito9_rendicontato: true }
const GIORNI = { giorni_rendicontazione: 10, giorni_incasso: 10, giorni_suggerimento: 3 }

function backEnd(risposte: Record<string, unknown>) {
  const tutte: Record<string, unknown> = {
    riconciliazione_elenco: elencoDi([]),
    fdr_elenco: [FDR],
    riconciliazione_regole: REGOLE,
    tesoreria_regole: GIORNI,
    tesoreria_movimenti: MOVIMENTI,
    riconciliazione_proposte: [PROPOSTA],
    riconciliazione_totali: TOTALI,
    ...risposte,
  }
  invoke.mockImplementation(async (cmd: string, args?: unknown) => {
    if (!(cmd in tutte)) throw new Error(`inatteso: ${cmd}`)
    const r = tutte[cmd]
    return typeof r === 'function' ? r(args) : r
  })
}

const mostra = () => render(<Riconciliazione dati={{} as Panoramica} ricarica={() => {}} />)
const comandi = () => invoke.mock.calls.map((c) => c[0])

beforeEach(() => {
  invoke.mockReset()
  open.mockReset()
  save.mockReset()
  drop.ascolta = null
})
afterEach(cleanup)

describe('the treasury journal', () => {
  it('imports a picked journal, its format recognised: the outcome with the rows refused and left out, read out', async () => {
    backEnd({
      tesoreria_carica: () => ({ percorso: '/tmp/caricati/9/giornale.csv', nome: 'giornale.csv', byte: 10 }),
      riconciliazione_riconosci: (a: { percorsi: string[] }) =>
        a.percorsi.map((percorso) => ({ percorso, nome: 'giornale.csv', tipo: 'tesoreria', motivo: 'giornale di cassa CSV' })),
      tesoreria_importa: (a: unknown) => {
        expect(a).toEqual({ percorso: '/tmp/caricati/9/giornale.csv', formato: undefined, mappatura: undefined })
        return ESITO
      },
    })
    mostra()
    await screen.findAllByTestId('riconciliazione-movimento')
    fireEvent.change(screen.getByLabelText('Scegli il giornale di cassa…'), { target: { files: [new File(['a;b'], 'giornale.csv')] } })
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('2 movimenti aggiunti. 1 storno non applicabile.'))
    expect(esito.getAttribute('aria-live')).toBe('polite')
    expect(esito.querySelector('.alert-warning')).toBeTruthy()
    expect(esito.textContent).toContain('giornale.csv: giornale di cassa CSV, formato riconosciuto dal contenuto.')
    expect(esito.textContent).toContain(
      'Rifiutata la riga 4, «numero_bolletta_quietanza»: la bolletta 2030/9 non è presente: impossibile stornarla',
    )
    expect(esito.textContent).toContain('Lasciata fuori la riga 5: importo negativo o zero')
    // The data is read again after the import.
    await waitFor(() => expect(comandi().filter((c) => c === 'tesoreria_movimenti')).toHaveLength(2))
  })

  it('reads the journal in the format chosen, without asking what it is', async () => {
    backEnd({ tesoreria_importa: () => ESITO })
    open.mockResolvedValue('/home/impiegato/estratto.csv')
    mostra()
    await screen.findAllByTestId('riconciliazione-movimento')
    fireEvent.change(screen.getByLabelText('Formato'), { target: { value: 'poste' } })
    fireEvent.click(screen.getByTestId('riconciliazione-importa-tesoreria'))
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('tesoreria_importa', { percorso: '/home/impiegato/estratto.csv', formato: 'poste', mappatura: undefined }),
    )
    expect(comandi()).not.toContain('riconciliazione_riconosci')
    expect(open.mock.calls[0][0].filters[0].extensions).toContain('xlsx')
  })

  it('routes files dropped on the window by their content; a file of neither kind stops them all', async () => {
    const tipi: Record<string, string> = {
      '/d/fdr.xml': 'fdr',
      '/d/GDC.xml': 'tesoreria',
      '/d/giornale.csv': 'tesoreria',
      '/d/nota.pdf': 'altro',
    }
    backEnd({
      riconciliazione_riconosci: (a: { percorsi: string[] }) =>
        a.percorsi.map((percorso) => ({
          percorso,
          nome: percorso.slice(3),
          tipo: tipi[percorso],
          motivo: tipi[percorso] === 'altro' ? `«${percorso.slice(3)}»: si importano i flussi di rendicontazione (.xml) e i giornali di tesoreria` : '',
        })),
      fdr_importa: { flussi: [], riepilogo: { livello: 'successo', testo: '1 flusso importato.' } },
      tesoreria_importa: ESITO,
    })
    mostra()
    await screen.findAllByTestId('riconciliazione-movimento')
    await waitFor(() => expect(drop.ascolta).toBeTruthy())
    drop.ascolta!({ payload: { type: 'drop', paths: ['/d/fdr.xml', '/d/GDC.xml', '/d/giornale.csv'] } })
    await waitFor(() => expect(comandi().filter((c) => c === 'tesoreria_importa')).toHaveLength(2))
    expect(invoke).toHaveBeenCalledWith('fdr_importa', { percorsi: ['/d/fdr.xml'] })
    expect(invoke).toHaveBeenCalledWith('tesoreria_importa', { percorso: '/d/GDC.xml', formato: undefined, mappatura: undefined })
    expect(invoke).toHaveBeenCalledWith('tesoreria_importa', { percorso: '/d/giornale.csv', formato: undefined, mappatura: undefined })

    invoke.mockClear()
    drop.ascolta!({ payload: { type: 'drop', paths: ['/d/giornale.csv', '/d/nota.pdf'] } })
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('Nessun file importato.'))
    expect(esito.textContent).toContain('«nota.pdf»: si importano i flussi di rendicontazione (.xml)')
    expect(comandi()).not.toContain('tesoreria_importa')
  })

  it('lists the entries to check first, with the suggestions shown and never applied', async () => {
    backEnd({})
    mostra()
    const righe = await screen.findAllByTestId('riconciliazione-movimento')
    expect(righe.map((r) => r.dataset.bolletta)).toEqual(['2030/16', '2030/15'])
    expect(within(righe[0]).getByText('non abbinato')).toBeTruthy()
    const suggerimenti = within(righe[0]).getByTestId('riconciliazione-suggerimenti')
    expect(suggerimenti.textContent).toContain('Forse (da verificare, non applicato):')
    expect(suggerimenti.textContent).toContain('stesso importo, regolato 1 giorno prima')
    // The long causale is cut, the whole one a click away.
    expect(righe[0].querySelector('summary')?.textContent).toMatch(/…$/)
    expect(within(righe[1]).queryByTestId('riconciliazione-suggerimenti')).toBeNull()
    expect(righe[1].textContent).toContain('IUF letto dopo /PUR/LGPE-RIVERSAMENTO/URI/')
    expect(screen.getByTestId('riconciliazione-tesoreria-sintesi').textContent).toContain('2 movimenti, 1 da verificare')
    // Only reads: nothing was applied.
    expect(comandi().every((c) => !/salva|importa|applica/.test(c))).toBe(true)
    // The FdR's treasury column: the amount and «incassato».
    const t = screen.getByTestId('fdr-tesoreria')
    expect(t.textContent).toBe('30,00 €incassato')
  })

  it('says what to do with no entry and no proposal', async () => {
    backEnd({ tesoreria_movimenti: [], riconciliazione_proposte: [] })
    mostra()
    expect((await screen.findByTestId('riconciliazione-tesoreria-vuoto')).textContent).toContain('Importa il giornale di cassa…')
    expect((await screen.findByTestId('riconciliazione-proposte-vuoto')).textContent).toContain('Importi il giornale di cassa')
  })
})

describe('the reversal proposals and the exports', () => {
  it('shows each bolletta split by chapter with its residue, and the collected amounts by chapter', async () => {
    backEnd({})
    mostra()
    const p = await screen.findByTestId('riconciliazione-proposta')
    expect(p.textContent).toContain('Bolletta 2030/15 del 16/01/2030: 35,00 €')
    expect(p.textContent).toContain('coperti 30,00 €, residuo 5,00 €')
    const righe = within(p).getAllByTestId('riconciliazione-proposta-riga')
    expect(righe.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['3010/1', '2030/15', '30,00 €', 'TARI'],
      ['Residuo', '—', '5,00 €', 'residuo non coperto dai pagamenti'],
    ])
    const capitoli = screen.getByTestId('riconciliazione-capitoli')
    expect(capitoli.textContent).toContain('capitolo 3010/1')
    expect(capitoli.querySelector('tfoot')?.textContent).toBe('Totale230,00 €')
  })

  it('saves the proposals in CSV at the path chosen, the extension added', async () => {
    backEnd({
      riconciliazione_salva_proposte: (a: { percorso: string }) => ({
        percorso: a.percorso, righe: 2, testo: `1 proposta di reversale (2 righe) salvate in ${a.percorso}.`,
      }),
    })
    save.mockResolvedValueOnce('/home/impiegato/reversali')
    mostra()
    fireEvent.click(await screen.findByTestId('riconciliazione-proposte-csv'))
    await screen.findByText('1 proposta di reversale (2 righe) salvate in /home/impiegato/reversali.csv.')
    expect(invoke).toHaveBeenCalledWith('riconciliazione_salva_proposte', { percorso: '/home/impiegato/reversali.csv' })
    expect(save.mock.calls[0][0]).toMatchObject({ filters: [{ extensions: ['csv'] }] })
    expect(save.mock.calls[0][0].defaultPath).toMatch(/^proposte-reversale-\d{4}-\d{2}-\d{2}\.csv$/)

    // Cancelled: nothing written.
    invoke.mockClear()
    save.mockResolvedValueOnce(null)
    fireEvent.click(screen.getByTestId('riconciliazione-proposte-xlsx'))
    await waitFor(() => expect(save).toHaveBeenCalledTimes(2))
    expect(comandi()).not.toContain('riconciliazione_salva_proposte')
  })

  it('shows a save refused in Italian, and never an error without a code in English', async () => {
    backEnd({
      riconciliazione_salva_proposte: () => {
        throw { codice: 'scrittura_file', messaggio: 'impossibile scrivere /sola-lettura/r.xlsx: la cartella non è scrivibile' }
      },
      riconciliazione_esporta: () => {
        throw new Error('IPC custom protocol failed: connection refused')
      },
    })
    save.mockResolvedValueOnce('/sola-lettura/r.xlsx')
    mostra()
    fireEvent.click(await screen.findByTestId('riconciliazione-proposte-xlsx'))
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('impossibile scrivere /sola-lettura/r.xlsx: la cartella non è scrivibile'))
    expect(esito.querySelector('.alert-danger')).toBeTruthy()

    vi.spyOn(console, 'error').mockImplementation(() => {})
    save.mockResolvedValueOnce('/home/impiegato/riconciliazione.xlsx')
    fireEvent.click(screen.getByTestId('riconciliazione-esporta'))
    await waitFor(() => expect(esito.textContent).toBe(ERRORE_FINESTRA))
    expect(document.body.textContent).not.toContain('connection refused')
  })

  it('exports for MyPivot with the options chosen', async () => {
    backEnd({
      riconciliazione_esporta_mypivot: (a: { percorso: string }) => ({
        percorso: a.percorso, righe: 7, testo: `Estrazione per MyPivot (tracciato 1.4, 120 colonne) salvata in ${a.percorso}: 7 righe.`,
      }),
    })
    save.mockResolvedValueOnce('/home/impiegato/mypivot.zip')
    mostra()
    fireEvent.click(await screen.findByLabelText('Con i dovuti dell’Ente'))
    fireEvent.click(screen.getByLabelText('Solo dall’inizio dell’anno scorso'))
    fireEvent.click(screen.getByTestId('riconciliazione-esporta-mypivot'))
    await screen.findByText(/120 colonne\) salvata in \/home\/impiegato\/mypivot.zip/)
    expect(invoke).toHaveBeenCalledWith('riconciliazione_esporta_mypivot', {
      percorso: '/home/impiegato/mypivot.zip', conNotifiche: false, finestra: true,
    })
  })
})

describe('the treasury days', () => {
  it('checks the days typed and saves them, then reloads the states', async () => {
    let letture = 0
    backEnd({
      riconciliazione_elenco: () => {
        letture += 1
        return elencoDi([])(undefined)
      },
      tesoreria_regole_salva: (a: unknown) => {
        expect(a).toEqual({ giorniRendicontazione: 10, giorniIncasso: 15, giorniSuggerimento: 3 })
        return { ...GIORNI, giorni_incasso: 15 }
      },
    })
    mostra()
    const salva = (await screen.findByTestId('riconciliazione-giorni-salva')) as HTMLButtonElement
    expect(salva.disabled).toBe(true)
    const incasso = screen.getByLabelText('Giorni per l’incasso in tesoreria')
    fireEvent.change(incasso, { target: { value: 'dieci' } })
    expect(incasso.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByText('Scriva un numero di giorni da 0 a 366.')).toBeTruthy()
    expect(salva.disabled).toBe(true)
    fireEvent.change(incasso, { target: { value: '15' } })
    expect(salva.disabled).toBe(false)
    fireEvent.click(salva)
    await screen.findByText('Giorni salvati: gli stati dei pagamenti sono stati ricalcolati.')
    expect(letture).toBe(2)
  })
})

describe('the helpers', () => {
  it('reads days, cuts a causale, orders the entries, lists at most 20 refused rows', () => {
    expect([giorni('0'), giorni(' 366 '), giorni('367'), giorni('-1'), giorni('1,5'), giorni('')]).toEqual([0, 366, null, null, null, null])
    expect(causaleBreve('a  b\nc')).toBe('a b c')
    expect(causaleBreve('x'.repeat(70), 10)).toBe(`${'x'.repeat(9)}…`)
    expect(ordinaMovimenti(MOVIMENTI).map((m) => m.bolletta)).toEqual(['16', '15'])
    const molte = { ...ESITO, rifiutate: Array.from({ length: 23 }, (_, i) => ({ riga: i + 2, campo: 'importo', messaggio: 'non è un importo' })), ignorate: [] }
    const righe = righeEsitoTesoreria(molte)
    expect(righe).toHaveLength(22)
    expect(righe[1]).toBe('Rifiutata la riga 2, «importo»: non è un importo')
    expect(righe[21]).toBe('… e 3 altre righe.')
  })
})
