// «Scarica i flussi da MyPay» on the Riconciliazione screen: progress from the channel's events,
// «Annulla», the outcome in the live area and the lists reloaded, errors in Italian, a
// connection not set up explained, «Scegli i giorni» checked.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {
    onmessage: (m: unknown) => void = () => {}
  },
}))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
vi.mock('@tauri-apps/api/webview', () => ({ getCurrentWebview: () => ({ onDragDropEvent: async () => () => {} }) }))
vi.mock('react-chartjs-2', () => ({ Bar: () => <div role="img" aria-label="grafico" /> }))

import Riconciliazione from '../Riconciliazione'
import type { Panoramica } from '../../api'
import type { EsitoScaricamentoFdr, EventoSync, Impostazioni, PagamentoVista } from '../../bindings'
import { NavigazioneContext } from '../../navigazione'
import { elencoDi } from './provaElenco'

const IMPOSTAZIONI: Impostazioni = {
  ambiente: 'collaudo',
  urls: [{ ambiente: 'collaudo', url: 'https://mypay.example.it' }],
  codice_ipa: 'c_x123',
  password: {
    account: 'c_x123@collaudo', memorizzata: true, origine: 'keyring', fonte: 'portachiavi del sistema',
    portachiavi_disponibile: true, messaggio: '',
  },
  piattaforma: 'mypay', piattaforma_it: 'MyPay', client_id: null, cartella_dati: null, database: null,
}

const pagamento = (n: number, stato: 'pagato' | 'rendicontato'): PagamentoVista => ({
  iuv: `0124000000001${String(n).padStart(4, '0')}`, iur: `IUR${n}`, importo_cents: 1000,
  importo_rendicontato_cents: stato === 'pagato' ? null : 1000, data_esito: '2026-05-08',
  iuf: stato === 'pagato' ? [] : ['2026-05-11ABI03069-1'], esiti: stato === 'pagato' ? [] : [0], dovuto_iud: null, bollette: [],
  pagatore: 'Mario Rossi', stato, etichetta: stato, anomalia: false, motivo: '',
})

const ESITO: EsitoScaricamentoFdr = {
  dal: '2026-05-10', al: '2026-05-14', giorni: 5, elencati: 2, nuovi: 2, sostituiti: 0, gia_presenti: 0, pagamenti: 2,
  quadrature: 0, scartati: [], fino_a: '2026-05-14', annullato: false,
  riepilogo: { livello: 'successo', testo: '2 flussi di rendicontazione scaricati da MyPay (2 pagamenti, 5 giorni controllati).' },
}

/** The download in the test's hands: its arguments, its events, its end. */
interface Scarico {
  argomenti: { dal?: string; al?: string; avanzamento: { onmessage: (m: unknown) => void } }
  fine: (r: EsitoScaricamentoFdr) => void
  errore: (e: unknown) => void
}

let scarico: Scarico | null
let scaricati: boolean

function backEnd(extra: Record<string, unknown> = {}) {
  const risposte: Record<string, unknown> = {
    riconciliazione_elenco: elencoDi(() =>
      scaricati ? [pagamento(1, 'rendicontato'), pagamento(2, 'rendicontato')] : [pagamento(1, 'pagato'), pagamento(2, 'pagato')],
    ),
    fdr_elenco: [],
    riconciliazione_regole: { indice_mancante_primo: true, esito9_rendicontato: true },
    // The screen's other panels (the treasury's), empty here.
    tesoreria_regole: { giorni_rendicontazione: 10, giorni_incasso: 10, giorni_suggerimento: 3 },
    tesoreria_movimenti: [],
    riconciliazione_proposte: [],
    riconciliazione_totali: { pagamenti: 0, totale_cents: 0, per_tipo: [], per_accertamento: [], per_mese: [], per_capitolo: [] },
    impostazioni_stato: IMPOSTAZIONI,
    fdr_annulla: undefined,
    fdr_scarica: (a: Scarico['argomenti']) =>
      new Promise((ok, ko) => {
        scarico = { argomenti: a, fine: ok, errore: ko }
      }),
    ...extra,
  }
  invoke.mockImplementation(async (cmd: string, args?: unknown) => {
    if (!(cmd in risposte)) throw new Error(`inatteso: ${cmd}`)
    const r = risposte[cmd]
    return typeof r === 'function' ? r(args) : r
  })
}

const naviga = vi.fn()
const mostra = () =>
  render(
    <NavigazioneContext.Provider value={naviga}>
      <Riconciliazione dati={{} as Panoramica} ricarica={() => {}} />
    </NavigazioneContext.Provider>,
  )

const evento = (e: EventoSync) => act(() => scarico!.argomenti.avanzamento.onmessage({ tipo: 'evento', evento: e }))
const giorno = (d: string): EventoSync => ({ tipo: 'step', oggetto: `Flussi di rendicontazione del ${d}`, passo: 'giorno completo' })
const flussi = (n: number): EventoSync => ({ tipo: 'progress', fase: 'rendicontazione', byte: 0, totale: null, righe: n })
const chiamate = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd)

/** Opens «Scegli i giorni» (jsdom may not toggle a details on its summary's click). */
function apriGiorni() {
  const d = screen.getByTestId('riconciliazione-giorni') as HTMLDetailsElement
  fireEvent.click(within(d).getByText('Scegli i giorni'))
  if (!d.open) d.open = true
  fireEvent(d, new Event('toggle'))
}

/** Presses the header's button and waits for the download to be asked. */
async function scarica() {
  fireEvent.click(await screen.findByTestId('riconciliazione-scarica-pulsante'))
  await waitFor(() => expect(scarico).not.toBeNull())
}

beforeEach(() => {
  invoke.mockReset()
  naviga.mockReset()
  scarico = null
  scaricati = false
})
afterEach(cleanup)

describe('Scarica i flussi da MyPay', () => {
  it('shows days and flows while it runs, then the outcome, and reloads the lists', async () => {
    backEnd()
    mostra()
    await screen.findByTestId('riconciliazione-totali')
    const pulsante = screen.getByTestId('riconciliazione-scarica-pulsante') as HTMLButtonElement
    expect(pulsante.textContent).toBe('Scarica i flussi da MyPay')
    expect(pulsante.className).toContain('btn-primary')
    pulsante.focus()
    await scarica()
    // Since the last complete day: no dates sent.
    expect(scarico!.argomenti.dal).toBeUndefined()
    expect(pulsante.disabled).toBe(true)
    expect(pulsante.textContent).toBe('Scaricamento…')
    expect((screen.getByTestId('riconciliazione-importa') as HTMLButtonElement).disabled).toBe(true)
    const progresso = screen.getByTestId('riconciliazione-scarica-progresso')
    expect(progresso.dataset.attivo).toBe('si')
    // The focus goes to «Annulla».
    expect(document.activeElement).toBe(screen.getByTestId('riconciliazione-scarica-annulla'))
    await evento(flussi(1))
    await evento(flussi(2))
    await evento(giorno('14/05/2026'))
    expect(screen.getByTestId('riconciliazione-scarica-conteggi').textContent).toBe('1 giorno completato · 2 flussi salvati')
    expect(screen.getByTestId('riconciliazione-scarica-conteggi').getAttribute('aria-live')).toBe('polite')
    expect(screen.getByTestId('riconciliazione-scarica-ultimo').textContent).toBe('Flussi di rendicontazione del 14/05/2026: giorno completo')
    // The total of days is not known: the bar runs without a value.
    expect(within(progresso).getByRole('progressbar').getAttribute('aria-valuenow')).toBeNull()

    scaricati = true
    await act(async () => scarico!.fine(ESITO))
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('2 flussi di rendicontazione scaricati da MyPay (2 pagamenti, 5 giorni controllati).'))
    expect(esito.textContent).toContain('Flussi completi fino al giorno di acquisizione 14/05/2026.')
    expect(esito.querySelector('.alert-success')).toBeTruthy()
    // The lists are read again: the payments are now «Rendicontati».
    await waitFor(() =>
      expect(screen.getByTestId('riconciliazione-totali').querySelector('tr[data-stato="rendicontato"]')!.textContent).toBe(
        'Rendicontati, in attesa della tesoreria220,00 €',
      ),
    )
    expect(chiamate('riconciliazione_elenco').length).toBe(2)
    expect(progresso.dataset.attivo).toBe('no')
    expect(within(progresso).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
    expect(screen.getByTestId('riconciliazione-scarica-conteggi').textContent).toBe('5 giorni completati · 2 flussi salvati')
    expect(screen.queryByTestId('riconciliazione-scarica-annulla')).toBeNull()
    expect(pulsante.disabled).toBe(false)
    expect(document.activeElement).toBe(pulsante)
  })

  it('«Annulla» stops it at the next flow and says what was kept', async () => {
    backEnd()
    mostra()
    await scarica()
    await evento(flussi(1))
    const annulla = screen.getByTestId('riconciliazione-scarica-annulla') as HTMLButtonElement
    fireEvent.click(annulla)
    expect(chiamate('fdr_annulla')).toHaveLength(1)
    expect(annulla.disabled).toBe(true)
    expect(annulla.textContent).toBe('Interruzione…')
    expect(screen.getByTestId('riconciliazione-scarica-ultimo').textContent).toBe('Interruzione al prossimo flusso…')
    const testo =
      'Scaricamento interrotto: 1 flusso di rendicontazione salvato (1 pagamento); nessun giorno completato. Il prossimo scaricamento riprende dal 10/05/2026.'
    await act(async () =>
      scarico!.fine({
        ...ESITO, giorni: 0, nuovi: 1, pagamenti: 1, fino_a: '2026-05-09', annullato: true,
        riepilogo: { livello: 'avviso', testo },
      }),
    )
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toBe(testo))
    expect(esito.querySelector('.alert-warning')).toBeTruthy()
    expect(screen.getByTestId('riconciliazione-scarica-conteggi').textContent).toBe('0 giorni completati · 1 flusso salvato')
    // Stopped: the bar is not full.
    expect(within(screen.getByTestId('riconciliazione-scarica-progresso')).getByRole('progressbar').getAttribute('aria-valuenow')).toBeNull()
  })

  it('says an error in Italian with what to do here, and a flow for another Ente', async () => {
    backEnd()
    mostra()
    await scarica()
    await act(async () =>
      scarico!.errore({
        codice: 'mypay_non_raggiunto',
        messaggio: "MyPay non risponde: controlli la connessione a Internet e l'indirizzo di MyPay",
      }),
    )
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() =>
      expect(esito.textContent).toBe(
        "MyPay non risponde: controlli la connessione a Internet e l'indirizzo di MyPay. Quando MyPay torna raggiungibile, prema di nuovo «Scarica i flussi da MyPay».",
      ),
    )
    expect(esito.textContent).not.toContain('Flussi')
    expect(esito.querySelector('.alert-danger')).toBeTruthy()

    scarico = null
    await scarica()
    await act(async () =>
      scarico!.errore({
        codice: 'non_valido',
        messaggio:
          'il flusso di rendicontazione «2026-05-11ABI03069-1» scaricato da MyPay non si può importare: il flusso è per un altro Ente (codice fiscale 99999999999)',
      }),
    )
    await waitFor(() => expect(esito.textContent).toMatch(/^Il flusso di rendicontazione «2026-05-11ABI03069-1» scaricato da MyPay non si può importare/))
  })

  it('without a password explains where to set it, and asks MyPay nothing', async () => {
    backEnd({ impostazioni_stato: { ...IMPOSTAZIONI, password: { ...IMPOSTAZIONI.password, memorizzata: false, origine: null } } })
    mostra()
    fireEvent.click(await screen.findByTestId('riconciliazione-scarica-pulsante'))
    const esito = screen.getByTestId('riconciliazione-esito')
    await waitFor(() => expect(esito.textContent).toContain('serve la password del servizio dell’Ente'))
    expect(esito.querySelector('.alert-warning')).toBeTruthy()
    expect(chiamate('fdr_scarica')).toHaveLength(0)
    expect(screen.queryByTestId('riconciliazione-scarica-progresso')).toBeNull()
    const vai = screen.getByTestId('riconciliazione-scarica-vai')
    expect(vai.textContent).toBe('Apri Impostazioni')
    fireEvent.click(vai)
    expect(naviga).toHaveBeenCalledWith('impostazioni')
  })

  it('a password MyPay refuses leads to Impostazioni too', async () => {
    backEnd()
    mostra()
    await scarica()
    await act(async () => scarico!.errore({ codice: 'password_rifiutata', messaggio: "MyPay non riconosce l'Ente o la sua password" }))
    await waitFor(() => expect(screen.getByTestId('riconciliazione-scarica-vai').textContent).toBe('Apri Impostazioni'))
    expect(screen.getByTestId('riconciliazione-esito').textContent).toContain('reimposti la password nella schermata «Impostazioni»')
  })

  it('a date complaint goes once a download starts from the header', async () => {
    backEnd()
    mostra()
    await screen.findByTestId('riconciliazione-totali')
    apriGiorni()
    fireEvent.click(screen.getByTestId('riconciliazione-giorni-scarica'))
    expect(screen.getByTestId('riconciliazione-giorni-dal-errore')).toBeTruthy()
    await scarica()
    expect(scarico!.argomenti.dal).toBeUndefined()
    expect(screen.queryByTestId('riconciliazione-giorni-dal-errore')).toBeNull()
    expect(screen.getByLabelText('Dal').getAttribute('aria-invalid')).toBeNull()
  })

  it('«Scegli i giorni» checks the dates, then downloads those days with a measured bar', async () => {
    backEnd()
    mostra()
    await screen.findByTestId('riconciliazione-totali')
    const giorni = screen.getByTestId('riconciliazione-giorni')
    expect(giorni.tagName).toBe('DETAILS')
    expect(within(giorni).getByText('Scegli i giorni').tagName).toBe('SUMMARY')
    // Closed, its fields are not in the page at all.
    expect(screen.queryByLabelText('Dal')).toBeNull()
    apriGiorni()
    const dal = screen.getByLabelText('Dal') as HTMLInputElement
    const al = screen.getByLabelText('Al') as HTMLInputElement
    fireEvent.change(dal, { target: { value: '31/02/2026' } })
    fireEvent.click(screen.getByTestId('riconciliazione-giorni-scarica'))
    expect(screen.getByTestId('riconciliazione-giorni-dal-errore').textContent).toBe(
      'Dal: data non valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026.',
    )
    expect(screen.getByTestId('riconciliazione-giorni-al-errore').textContent).toBe('Al: manca la data: la scriva come gg/mm/aaaa.')
    expect(dal.getAttribute('aria-invalid')).toBe('true')
    expect(dal.getAttribute('aria-describedby')).toBe('riconciliazione-giorni-dal-errore')
    expect(document.activeElement).toBe(dal)
    fireEvent.change(dal, { target: { value: '12/05/2026' } })
    fireEvent.change(al, { target: { value: '11/05/2026' } })
    fireEvent.click(screen.getByTestId('riconciliazione-giorni-scarica'))
    expect(screen.queryByTestId('riconciliazione-giorni-dal-errore')).toBeNull()
    expect(screen.getByTestId('riconciliazione-giorni-al-errore').textContent).toBe('Al: è precedente alla data iniziale (12/05/2026).')
    expect(document.activeElement).toBe(al)
    expect(chiamate('fdr_scarica')).toHaveLength(0)

    fireEvent.change(al, { target: { value: '15/05/2026' } })
    fireEvent.click(screen.getByTestId('riconciliazione-giorni-scarica'))
    await waitFor(() => expect(scarico).not.toBeNull())
    expect([scarico!.argomenti.dal, scarico!.argomenti.al]).toEqual(['2026-05-12', '2026-05-15'])
    await evento(giorno('12/05/2026'))
    const barra = within(screen.getByTestId('riconciliazione-scarica-progresso')).getByRole('progressbar')
    expect(barra.getAttribute('aria-valuenow')).toBe('25')
    expect(screen.getByTestId('riconciliazione-scarica-conteggi').textContent).toBe('1 giorno completato su 4 · 0 flussi salvati')
    await act(async () => scarico!.fine({ ...ESITO, dal: '2026-05-12', al: '2026-05-15', giorni: 4, fino_a: '2026-06-01' }))
    await waitFor(() =>
      expect(screen.getByTestId('riconciliazione-esito').textContent).toContain('Giorni di acquisizione controllati: dal 12/05/2026 al 15/05/2026.'),
    )
  })
})
