import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const { invoke, open } = vi.hoisted(() => ({ invoke: vi.fn(), open: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...a: unknown[]) => open(...a), save: vi.fn() }))
vi.mock('@tauri-apps/api/webview', () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }))
// The chart draws on a canvas jsdom lacks: its figures are checked in the table beside it.
vi.mock('react-chartjs-2', () => ({
  Bar: (p: { 'aria-label'?: string; data: { labels: (string | string[])[]; datasets: { data: number[] }[] } }) => (
    <div role="img" aria-label={p['aria-label']} data-testid="grafico">
      {p.data.labels.map((l, i) => `${[l].flat().join(' ')}=${p.data.datasets[0].data[i]}`).join(';')}
    </div>
  ),
}))

import Riconciliazione from './Riconciliazione'
import { aCapo } from './riconciliazione/TotaliStato'
import type { Panoramica } from '../api'
import { ERRORE_FINESTRA } from '../api'
import type { FdrVista, PagamentoVista, StatoPagamento } from '../comandi/riconciliazione'
import { elencoDi } from './riconciliazione/provaElenco'

const ETICHETTE: Record<StatoPagamento, string> = {
  pagato: 'pagato, non ancora rendicontato',
  rendicontato: 'rendicontato',
  importo_diverso: 'rendicontato con importo diverso',
  senza_ricevuta: 'rendicontato senza ricevuta',
  doppio: 'rendicontato più volte',
  non_rendicontato: 'pagato, non rendicontato in tempo',
  incassato: 'incassato',
  incasso_diverso: 'incassato con importo diverso',
  non_incassato: 'rendicontato, incasso in ritardo',
}

const pagamento = (n: number, stato: StatoPagamento, cents: number, rendicontato: number | null = cents): PagamentoVista => ({
  iuv: `0124000000001${String(n).padStart(4, '0')}`,
  iur: `IUR${n}`,
  importo_cents: stato === 'senza_ricevuta' ? null : cents,
  importo_rendicontato_cents: stato === 'pagato' ? null : rendicontato,
  data_esito: '2026-11-20',
  iuf: stato === 'pagato' ? [] : ['2026-11-21ABI03069-S1'],
  esiti: stato === 'pagato' ? [] : [0],
  dovuto_iud: null,
  pagatore: 'Mario Rossi',
  stato,
  etichetta: ETICHETTE[stato],
  anomalia: ['importo_diverso', 'senza_ricevuta', 'doppio'].includes(stato),
  motivo: `motivo ${n}`,
  bollette: [],
})

const FDR: FdrVista = {
  iuf: '2026-11-21ABI03069-S1', psp: 'ABI03069', psp_nome: 'Banca Esempio', data_regolamento: '2026-11-21',
  iur_regolamento: 'TRN0001', numero_dichiarato: 4, importo_dichiarato_cents: 6000, numero_pagamenti: 4,
  somma_cents: 5000, revocati: 1, quadra: false,
  motivo: 'la somma dei pagamenti (50,00 €) non è il totale dichiarato (60,00 €)', file: 'fdr1.xml',
  importo_tesoreria_cents: null, incassato: false, motivo_tesoreria: 'non ancora in tesoreria',
}

const PAGAMENTI = [
  pagamento(1, 'rendicontato', 1000),
  pagamento(2, 'rendicontato', 2500),
  pagamento(3, 'importo_diverso', 1500, 2000),
  pagamento(4, 'senza_ricevuta', 500),
  pagamento(5, 'pagato', 700),
]

/** The treasury's sections with nothing imported (riconciliazione/Tesoreria.test.tsx tests them). */
const TESORERIA_VUOTA: Record<string, unknown> = {
  tesoreria_movimenti: [],
  riconciliazione_proposte: [],
  riconciliazione_totali: { pagamenti: 0, totale_cents: 0, per_tipo: [], per_capitolo: [], per_accertamento: [], per_mese: [] },
  tesoreria_regole: { giorni_rendicontazione: 10, giorni_incasso: 10, giorni_suggerimento: 3 },
}

/** The back end: `risposte` by command (a function gets the arguments), the treasury's
 * sections empty unless given, anything else fails. */
function backEnd(risposte: Record<string, unknown>) {
  const tutte = { ...TESORERIA_VUOTA, ...risposte }
  invoke.mockImplementation(async (cmd: string, args?: unknown) => {
    if (!(cmd in tutte)) throw new Error(`inatteso: ${cmd}`)
    const r = tutte[cmd]
    return typeof r === 'function' ? r(args) : r
  })
}

const REGOLE = { indice_mancante_primo: true, esito9_rendicontato: true }

const mostra = () => render(<Riconciliazione dati={{} as Panoramica} ricarica={() => {}} />)

beforeEach(() => {
  invoke.mockReset()
  open.mockReset()
})
afterEach(() => {
  cleanup()
})

describe('Riconciliazione', () => {
  it('shows the totals by state as a chart and a table, the anomalies first', async () => {
    backEnd({ riconciliazione_elenco: elencoDi(PAGAMENTI), fdr_elenco: [FDR], riconciliazione_regole: REGOLE })
    mostra()
    const tabella = await screen.findByTestId('riconciliazione-totali')
    const celle = (tr: Element) => [...tr.children].map((c) => c.textContent).join(' | ')
    const riga = (stato: string) => celle(tabella.querySelector(`tr[data-stato="${stato}"]`)!)
    expect(riga('rendicontato')).toBe('Rendicontati, in attesa della tesoreria | 2 | 35,00 €')
    expect(riga('importo_diverso')).toBe('Rendicontati con importo diversoanomalia | 1 | 15,00 €')
    expect(riga('senza_ricevuta')).toBe('Rendicontati senza ricevutaanomalia | 1 | 5,00 €')
    expect(riga('doppio')).toBe('Rendicontati più volte | 0 | 0,00 €')
    expect(riga('pagato')).toBe('Pagati, in attesa del flusso | 1 | 7,00 €')
    expect(celle(tabella.querySelector('tfoot tr')!)).toBe('Totale | 5 | 62,00 €')
    expect(screen.getByTestId('grafico').textContent).toBe(
      'Pagati, in attesa del flusso=1;Rendicontati, in attesa della tesoreria=2;Incassati in tesoreria=0;Non ancora rendicontati=0;Rendicontati con importo diverso=1;Non ancora incassati=0;Incassati con importo diverso=0;Rendicontati senza ricevuta=1;Rendicontati più volte=0',
    )
    expect(screen.getByRole('img').getAttribute('aria-label')).toContain('i valori sono nella tabella')
    expect(screen.getByTestId('riconciliazione-anomalie-sintesi').textContent).toBe(
      '2 anomalie da verificare, per 20,00 €: sono elencate qui sotto con il motivo.',
    )
    // The list starts from the anomalies, with the amount the flow reports when it differs.
    const righe = screen.getAllByTestId('riconciliazione-pagamento')
    expect(righe.map((r) => r.dataset.stato)).toEqual(['importo_diverso', 'senza_ricevuta'])
    expect(righe[0].textContent).toContain('15,00 €nel flusso 20,00 €')
    expect(righe[0].textContent).toContain('20/11/2026')
    expect(screen.getByRole('heading', { name: 'Anomalie' })).toBeTruthy()
  })

  it('wraps the chart’s labels', () => {
    expect(aCapo('Rendicontati con importo diverso')).toEqual(['Rendicontati con', 'importo diverso'])
    expect(aCapo('Rendicontati')).toEqual(['Rendicontati'])
  })

  it('filters the payments by state, from the select and from the totals', async () => {
    backEnd({ riconciliazione_elenco: elencoDi(PAGAMENTI), fdr_elenco: [FDR], riconciliazione_regole: REGOLE })
    mostra()
    const filtro = (await screen.findByTestId('riconciliazione-filtro')) as HTMLSelectElement
    expect(filtro.value).toBe('anomalie')
    expect([...filtro.options].map((o) => o.text)).toContain('Rendicontati, in attesa della tesoreria (2)')
    fireEvent.change(filtro, { target: { value: 'rendicontato' } })
    // The back end is asked for that state's first page.
    expect(invoke).toHaveBeenLastCalledWith('riconciliazione_elenco', { filtro: 'rendicontato', pagina: 0 })
    await waitFor(() =>
      expect(screen.getAllByTestId('riconciliazione-pagamento').map((r) => r.dataset.iuv)).toEqual([
        '01240000000010001',
        '01240000000010002',
      ]),
    )
    expect(filtro.value).toBe('rendicontato')
    fireEvent.change(filtro, { target: { value: 'doppio' } })
    expect(
      (await screen.findByTestId('riconciliazione-pagamenti-vuoto')).textContent,
    ).toBe('Nessun pagamento tra rendicontati più volte.')
    fireEvent.change(filtro, { target: { value: 'tutti' } })
    await waitFor(() => expect(screen.getAllByTestId('riconciliazione-pagamento')).toHaveLength(5))
    // A state's name in the totals filters the list.
    fireEvent.click(within(screen.getByTestId('riconciliazione-totali')).getByRole('button', { name: 'Pagati, in attesa del flusso' }))
    await waitFor(() => expect(filtro.value).toBe('pagato'))
    expect(screen.getAllByTestId('riconciliazione-pagamento').map((r) => r.dataset.stato)).toEqual(['pagato'])
  })

  it('pages a long list', async () => {
    const molti = Array.from({ length: 120 }, (_, i) => pagamento(i + 1, 'rendicontato', 100))
    backEnd({ riconciliazione_elenco: elencoDi(molti), fdr_elenco: [], riconciliazione_regole: REGOLE })
    mostra()
    await screen.findByTestId('riconciliazione-pagamenti')
    expect(screen.getByTestId('riconciliazione-anomalie-sintesi').textContent).toBe('Nessuna anomalia da verificare.')
    expect(screen.getAllByTestId('riconciliazione-pagamento')).toHaveLength(50)
    expect(screen.getByTestId('riconciliazione-pagina').textContent).toBe('Pagina 1 di 3')
    fireEvent.click(screen.getByTestId('riconciliazione-pagina-dopo'))
    await waitFor(() => expect(screen.getByTestId('riconciliazione-pagina').textContent).toBe('Pagina 2 di 3'))
    fireEvent.click(screen.getByTestId('riconciliazione-pagina-dopo'))
    await waitFor(() => expect(screen.getAllByTestId('riconciliazione-pagamento')).toHaveLength(20))
    expect(screen.getByTestId('riconciliazione-pagina').textContent).toBe('Pagina 3 di 3')
    // Each page is asked of the back end: the window never holds the whole list.
    expect(invoke).toHaveBeenLastCalledWith('riconciliazione_elenco', { filtro: 'tutti', pagina: 2 })
    expect((screen.getByTestId('riconciliazione-pagina-dopo') as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByTestId('riconciliazione-pagamenti').querySelector('caption')!.textContent).toBe(
      'Pagamenti, tutti i pagamenti: 120 pagamenti, pagina 3 di 3',
    )
  })

  it('explains the empty screen', async () => {
    backEnd({ riconciliazione_elenco: elencoDi([]), fdr_elenco: [], riconciliazione_regole: REGOLE })
    mostra()
    expect((await screen.findByTestId('riconciliazione-vuoto')).textContent).toContain(
      'Nessun pagamento da riconciliare: le ricevute si scaricano nella schermata «Ricevute»',
    )
    expect(screen.getByTestId('riconciliazione-fdr-vuoto').textContent).toContain(
      'Nessun flusso di rendicontazione: importi i file XML ricevuti dai PSP con «Importa flussi…»',
    )
    expect(screen.queryByTestId('riconciliazione-totali')).toBeNull()
  })

  it('imports the files picked, then shows the outcome and the new data', async () => {
    let importati = false
    backEnd({
      riconciliazione_elenco: elencoDi(() => (importati ? PAGAMENTI : [])),
      fdr_elenco: () => (importati ? [FDR] : []),
      riconciliazione_regole: REGOLE,
      fdr_carica: () => ({ percorso: '/tmp/caricati/1/fdr1.xml', nome: 'fdr1.xml', byte: 4 }),
      fdr_importa: (a: { percorsi: string[] }) => {
        expect(a.percorsi).toEqual(['/tmp/caricati/1/fdr1.xml'])
        importati = true
        return {
          flussi: [{ file: 'fdr1.xml', iuf: FDR.iuf, psp: 'ABI03069', pagamenti: 4, esito: 'nuovo' }],
          riepilogo: { livello: 'successo', testo: '1 flusso di rendicontazione importato con 4 pagamenti.' },
        }
      },
    })
    mostra()
    await screen.findByTestId('riconciliazione-fdr-vuoto')
    fireEvent.change(screen.getByLabelText('Scegli i file XML…'), { target: { files: [new File(['<x/>'], 'fdr1.xml')] } })
    const esito = await screen.findByText('1 flusso di rendicontazione importato con 4 pagamenti.')
    expect(esito.closest('[aria-live]')).toBeTruthy()
    expect(screen.getByText(`fdr1.xml: flusso ${FDR.iuf}, importato`)).toBeTruthy()
    await screen.findByTestId('riconciliazione-totali')
    expect(screen.getAllByTestId('riconciliazione-fdr-riga')).toHaveLength(1)
  })

  it('shows an import refused in Italian, and a file that is not XML is not sent', async () => {
    backEnd({
      riconciliazione_elenco: elencoDi([]),
      fdr_elenco: [],
      riconciliazione_regole: REGOLE,
      fdr_importa: () => {
        throw {
          codice: 'non_valido',
          messaggio:
            'rotto.xml: pagamento n. 1 (riga 12 del file): «codiceEsitoSingoloPagamento» «7» non è un esito previsto (0, 3, 4, 8 o 9). Nessun flusso è stato importato',
        }
      },
    })
    open.mockResolvedValue(['/home/impiegato/rotto.xml'])
    mostra()
    await screen.findByTestId('riconciliazione-fdr-vuoto')
    fireEvent.click(screen.getByTestId('riconciliazione-importa'))
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('non è un esito previsto (0, 3, 4, 8 o 9). Nessun flusso è stato importato'))
    expect(esito.querySelector('.alert-danger')).toBeTruthy()

    // A file of another kind: refused by name, nothing sent.
    invoke.mockClear()
    open.mockResolvedValue(['/home/impiegato/giornale.csv'])
    fireEvent.click(screen.getByTestId('riconciliazione-importa'))
    await waitFor(() => expect(esito.textContent).toBe('«giornale.csv»: si importano i flussi di rendicontazione in file .xml.'))
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('fdr_importa')
  })

  it('never shows an error without a code in English', async () => {
    backEnd({
      riconciliazione_elenco: () => {
        throw new Error('IPC custom protocol failed: connection refused')
      },
      fdr_elenco: [],
      riconciliazione_regole: REGOLE,
    })
    vi.spyOn(console, 'error').mockImplementation(() => {})
    mostra()
    const errore = await screen.findByTestId('riconciliazione-errore')
    expect(errore.textContent).toBe(ERRORE_FINESTRA)
    expect(document.body.textContent).not.toContain('connection refused')
  })

  it('opens an FdR: its rows with each state, the revoked one apart; the treasury column says what is missing', async () => {
    backEnd({
      riconciliazione_elenco: elencoDi(PAGAMENTI),
      fdr_elenco: [FDR],
      riconciliazione_regole: REGOLE,
      fdr_dettaglio: (a: { iuf: string }) => ({
        fdr: { ...FDR, iuf: a.iuf },
        righe: [
          { numero: 1, iuv: '01240000000010003', iur: 'IUR3', indice: 1, importo_cents: 2000, esito: 0, data_esito: '2026-11-20',
            stato: 'importo_diverso', etichetta: 'rendicontato con importo diverso', anomalia: true, motivo: 'il flusso riporta 20,00 €' },
          { numero: 2, iuv: '01240000000010009', iur: 'IUR9', indice: 1, importo_cents: 900, esito: 3, data_esito: '2026-11-20',
            stato: null, etichetta: 'revocato', anomalia: false, motivo: 'il PSP lo riporta come revocato (esito 3)' },
        ],
      }),
    })
    mostra()
    const riga = (await screen.findAllByTestId('riconciliazione-fdr-riga'))[0]
    expect(within(riga).getByTestId('fdr-tesoreria').textContent).toBe('—nessun movimentonon ancora in tesoreria')
    expect(within(riga).getByTestId('fdr-quadra').textContent).toBe('non quadra')
    expect(riga.textContent).toContain('non è il totale dichiarato (60,00 €)')
    expect(riga.textContent).toContain('1 pagamento revocato (esito 3), escluso dai totali')
    fireEvent.click(within(riga).getByTestId('riconciliazione-fdr-apri'))
    const righe = await screen.findAllByTestId('riconciliazione-fdr-riga-dettaglio')
    expect(invoke).toHaveBeenCalledWith('fdr_dettaglio', { iuf: FDR.iuf })
    expect(righe.map((r) => r.dataset.stato)).toEqual(['importo_diverso', 'revocato'])
    expect(righe[1].textContent).toContain('3 (revocato)')
    expect(screen.getByTestId('riconciliazione-fdr-dettaglio').textContent).toContain('riferimento del bonifico TRN0001')
    fireEvent.click(screen.getByRole('button', { name: 'Chiudi' }))
    expect(screen.queryByTestId('riconciliazione-fdr-dettaglio')).toBeNull()
  })

  it('saves the matching rules and reloads the states', async () => {
    let chiamate = 0
    backEnd({
      riconciliazione_elenco: (a: Parameters<ReturnType<typeof elencoDi>>[0]) => {
        chiamate += 1
        return elencoDi(PAGAMENTI)(a)
      },
      fdr_elenco: [FDR],
      riconciliazione_regole: REGOLE,
      riconciliazione_regole_salva: (a: unknown) => {
        expect(a).toEqual({ indiceMancantePrimo: true, esito9Rendicontato: false })
        return { indice_mancante_primo: true, esito9_rendicontato: false }
      },
    })
    mostra()
    const salva = (await screen.findByTestId('riconciliazione-regole-salva')) as HTMLButtonElement
    expect(salva.disabled).toBe(true)
    fireEvent.click(screen.getByLabelText(/esito 9 \(senza RPT\)/))
    expect(salva.disabled).toBe(false)
    fireEvent.click(salva)
    await screen.findByText('Regole salvate: gli stati dei pagamenti sono stati ricalcolati.')
    expect(chiamate).toBe(2)
  })
})
