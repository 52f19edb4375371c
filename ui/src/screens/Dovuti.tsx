import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Alert, Button } from 'design-react-kit'
import { save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore, type TipoDovuto } from '../api'
import type { ParametriNavigazione } from '../navigazione'
import { STATI, dataIso, dataIt, euro, statoColore, conta, numero, senzaEtichetta } from '../format'
import { controlliForm, perCampo } from '../validation'
import { conPagina } from '../pagine'
import { AvvisoIndici } from './AvvisoIndici'
import Conferma from './Conferma'
import { Distintivo } from './Distintivo'
import { PannelloLaterale } from './PannelloLaterale'
import { PosizioneDovuto } from './PosizioneDovuto'
import { NuovaPosizione } from './NuovaPosizione'
import { capoGruppo, colorePosizione, iudDelGruppo, nascosta } from '../gruppi'
import {
  CAMPI_FORM,
  domandaEliminaBozze,
  dovuti,
  modificati,
  quantiDovuti,
  riassunto,
  riassuntoEliminazione,
  type CampoForm,
  type FiltroDovuti,
  type RigaDovuto,
  type SchedaDovuto,
  type Segnalazione,
  type Valori,
} from '../comandi/dovuti'

const PAGINA = 200
/** A row's usual height (two lines: the payer's name over the codice fiscale); a longer name
 * or causale wraps and the row grows (each row is measured), so no text is cut. */
const ALTEZZA_RIGA = 52
/** Selection, payer (the widest: name and codice fiscale), state, amount, due date, causale,
 * IUD. The minimums fit a 1024-pixel window (issue 13, item 15); the rest of the width goes
 * mostly to the payer. */
export const COLONNE = '2rem minmax(11rem, 3fr) 6.5rem 6.5rem 6rem minmax(6.5rem, 2fr) minmax(7rem, 1.4fr)'

type Filtri = Omit<FiltroDovuti, 'offset' | 'limit'>

/** What a filter selects, whatever object holds it: a change of filter is a change of this. */
export function chiaveFiltri(f: Filtri): string {
  return [f.stato, f.tipo, f.testo?.trim(), f.scadenzaDal, f.scadenzaAl].map((v) => v ?? '').join('\u0001')
}

/** The debts as a virtualized list (rows fetched from SQLite a page at a time), selection with
 * bulk actions, and the edit form with inline validation. */
/** The list's amount cell: a draft whose amount could not be read (stored as 0) shows "—", not
 * "0,00 €", which a clerk would take for a real amount. */
export function importoRiga(r: Pick<RigaDovuto, 'importo_cents' | 'da_correggere'>): string {
  return r.da_correggere && r.importo_cents === 0 ? '—' : euro(r.importo_cents)
}

export default function Dovuti({ tipi, parametri }: { tipi: TipoDovuto[]; parametri?: ParametriNavigazione }) {
  const [stato, setStato] = useState(parametri?.stato ?? '')
  const [tipo, setTipo] = useState('')
  const [testo, setTesto] = useState('')
  const [dal, setDal] = useState('')
  const [al, setAl] = useState('')
  const [filtri, setFiltri] = useState<Filtri>({ stato: parametri?.stato ?? '' })
  const [totale, setTotale] = useState<number | null>(null)
  const [pagine, setPagine] = useState<Map<number, RigaDovuto[]>>(new Map())
  const [errore, setErrore] = useState<string | null>(null)
  const [esito, setEsito] = useState<{ testo: string; ok: boolean } | null>(null)
  const [aperto, setAperto] = useState<string | null>(parametri?.iud ?? null)
  // «Nuova posizione…»: its form in the side panel.
  const [nuova, setNuova] = useState(false)
  // The positions whose options are shown (collapsed: one row stands for the position).
  const [espanse, setEspanse] = useState<Set<string>>(new Set())
  const espandi = (codice: string, si: boolean) =>
    setEspanse((e) => {
      const n = new Set(e)
      if (si) n.add(codice)
      else n.delete(codice)
      return n
    })
  // The open form has changes not saved yet: closing it, opening another row or leaving the
  // section asks first (`uscita`: what to do if the clerk leaves anyway).
  const [sporco, setSporco] = useState(false)
  const [uscita, setUscita] = useState<(() => void) | null>(null)
  const permesso = useRef(false)
  const apri = (iud: string | null) => {
    setSporco(false)
    setAperto(iud)
  }
  const chiediPrima = (azione: () => void) => {
    if (sporco) setUscita(() => azione)
    else azione()
  }
  // Leaving the section: the shell's menu is outside this screen, so its click is held here
  // (capture phase, before the menu sees it) and repeated if the clerk leaves anyway.
  useEffect(() => {
    if (!sporco) return
    const trattieni = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('nav[aria-label="Sezioni"] a, .mpd-nav a')
      if (!link || permesso.current) return
      e.preventDefault()
      e.stopPropagation()
      setUscita(() => () => {
        permesso.current = true
        try {
          ;(link as HTMLElement).click()
        } finally {
          permesso.current = false
        }
      })
    }
    document.addEventListener('click', trattieni, true)
    return () => document.removeEventListener('click', trattieni, true)
  }, [sporco])
  const [selezionati, setSelezionati] = useState<Set<string>>(new Set())
  // «Seleziona tutti i N del filtro»: the selection is the filter itself (resolved by the back
  // end at the moment of the action), not the rows loaded so far.
  const [tuttiDelFiltro, setTuttiDelFiltro] = useState(false)
  const [avvisoSelezione, setAvvisoSelezione] = useState<string | null>(null)
  const [confermaAnnulla, setConfermaAnnulla] = useState(false)
  const [confermaElimina, setConfermaElimina] = useState(false)
  const [occupato, setOccupato] = useState(false)
  const [versione, setVersione] = useState(0)
  // When the background upkeep has caught up, the list is read again (now through the indexes).
  const ricaricaLista = useCallback(() => setVersione((v) => v + 1), [])
  const richieste = useRef(new Set<number>())
  const generazione = useRef(0)
  // The pages in view: never dropped from the bounded page cache (see ../pagine.ts).
  const inVista = useRef<number[]>([])

  const dalIso = dal.trim() ? dataIso(dal) : ''
  const alIso = al.trim() ? dataIso(al) : ''

  // Typing in the search box waits 250 ms before asking again.
  useEffect(() => {
    if (dalIso === null || alIso === null) return
    // The same filter again (the first run after opening, say) keeps the rows already read.
    const t = setTimeout(() => {
      const nuovi = { stato, tipo, testo, scadenzaDal: dalIso, scadenzaAl: alIso }
      setFiltri((f) => (chiaveFiltri(f) === chiaveFiltri(nuovi) ? f : nuovi))
    }, 250)
    return () => clearTimeout(t)
  }, [stato, tipo, testo, dalIso, alIso])

  const carica = (pagina: number, gen: number) => {
    if (richieste.current.has(pagina)) return
    richieste.current.add(pagina)
    dovuti
      .pagina({ ...filtri, offset: pagina * PAGINA, limit: PAGINA })
      .then((p) => {
        if (gen !== generazione.current) return
        if (p.totale !== null) setTotale(p.totale)
        setPagine((m) => {
          const { pagine, tolte } = conPagina(m, pagina, p.righe, inVista.current)
          // A dropped page is fetched again when the clerk scrolls back to it.
          for (const t of tolte) richieste.current.delete(t)
          return pagine
        })
      })
      .catch((e) => {
        richieste.current.delete(pagina)
        setErrore(messaggioErrore(e))
      })
  }

  // A changed filter clears the selection: a bulk action never acts on debts the clerk cannot
  // see in the list (the clerk is told how many were deselected).
  useEffect(() => {
    if (selezionati.size > 0 || tuttiDelFiltro) setAvvisoSelezione(null)
  }, [selezionati, tuttiDelFiltro])
  const chiave = chiaveFiltri(filtri)
  const chiavePrima = useRef(chiave)
  useEffect(() => {
    if (chiavePrima.current === chiave) return
    chiavePrima.current = chiave
    // The count still shown: the new filter's total arrives with its first page.
    const n = tuttiDelFiltro ? (totale ?? 0) : selezionati.size
    if (n > 0) {
      setAvvisoSelezione(`Filtro cambiato: ${n === 1 ? 'deselezionato 1 dovuto' : `deselezionati ${quantiDovuti(n)}`}.`)
      setTuttiDelFiltro(false)
      setSelezionati(new Set())
      setConfermaAnnulla(false)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chiave])

  useEffect(() => {
    generazione.current += 1
    richieste.current = new Set()
    setPagine(new Map())
    setErrore(null)
    carica(0, generazione.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filtri, versione])

  const riga = (i: number) => pagine.get(Math.floor(i / PAGINA))?.[i % PAGINA]
  const contenitore = useRef<HTMLDivElement>(null)
  const virt = useVirtualizer({
    count: totale ?? 0,
    getScrollElement: () => contenitore.current,
    estimateSize: () => ALTEZZA_RIGA,
    overscan: 20,
  })
  const elementi = virt.getVirtualItems()

  // The keyboard (issue 13, item 16): one row of the list is in the Tab order (a roving
  // tabindex, so Tab leaves the list in one step); arrows, Page Up/Down, Home and End move
  // between rows; Enter or Space opens the row's debt.
  const [attiva, setAttiva] = useState(0)
  const daFocalizzare = useRef<number | null>(null)
  const caricate = elementi.filter((v) => riga(v.index))
  const tabbabile = caricate.some((v) => v.index === attiva) ? attiva : caricate[0]?.index
  const vaiA = (i: number) => {
    const n = Math.max(0, Math.min((totale ?? 1) - 1, i))
    setAttiva(n)
    daFocalizzare.current = n
    virt.scrollToIndex(n, { align: 'auto' })
  }
  useEffect(() => {
    const i = daFocalizzare.current
    if (i === null) return
    const el = contenitore.current?.querySelector<HTMLElement>(`[data-index="${i}"][data-iud]`)
    if (el) {
      daFocalizzare.current = null
      el.focus({ preventScroll: true })
    }
  })
  const tastoRiga = (e: React.KeyboardEvent<HTMLDivElement>, i: number, iud: string | undefined) => {
    // Keys typed in the row's checkbox are the checkbox's.
    if (e.target !== e.currentTarget) return
    const passo = Math.max(1, Math.floor((contenitore.current?.clientHeight ?? 0) / ALTEZZA_RIGA) - 1)
    const mosse: Record<string, number> = {
      ArrowDown: i + 1, ArrowUp: i - 1, PageDown: i + passo, PageUp: i - passo, Home: 0, End: (totale ?? 1) - 1,
    }
    // A position's row: Enter or Space (or →) shows its options, ← hides them.
    const r = riga(i)
    const capo = capoGruppo(r, riga(i - 1)) ? r!.posizione!.codice : null
    if (capo && (e.key === 'ArrowRight' || ((e.key === 'Enter' || e.key === ' ') && !espanse.has(capo)))) {
      e.preventDefault()
      espandi(capo, true)
    } else if (capo && e.key === 'ArrowLeft') {
      e.preventDefault()
      espandi(capo, false)
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      if (iud && iud !== aperto) chiediPrima(() => apri(iud))
    } else if (e.key in mosse) {
      e.preventDefault()
      // Hidden options are skipped, in the direction of the move.
      const verso = mosse[e.key] < i ? -1 : 1
      let j = mosse[e.key]
      while (j > 0 && j < (totale ?? 0) - 1 && nascosta(riga(j), riga(j - 1), espanse)) j += verso
      vaiA(j)
    }
  }
  const daCaricare = useMemo(() => {
    const s = new Set<number>()
    for (const v of elementi) s.add(Math.floor(v.index / PAGINA))
    return [...s]
  }, [elementi])
  useEffect(() => {
    inVista.current = daCaricare
    for (const p of daCaricare) if (!pagine.has(p)) carica(p, generazione.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [daCaricare, pagine])

  const visibili = useMemo(() => [...pagine.values()].flat(), [pagine])
  const tuttiVisibiliScelti = tuttiDelFiltro || (visibili.length > 0 && visibili.every((r) => selezionati.has(r.iud)))
  // How many the bulk actions act on.
  const quanti = tuttiDelFiltro ? (totale ?? 0) : selezionati.size
  const deseleziona = () => {
    setTuttiDelFiltro(false)
    setSelezionati(new Set())
    setConfermaAnnulla(false)
  }

  const commuta = (iud: string) =>
    setSelezionati((s) => {
      const n = new Set(s)
      if (n.has(iud)) n.delete(iud)
      else n.add(iud)
      return n
    })

  // «Elimina bozze» acts on the selected drafts only (the others can only be cancelled).
  const bozzeScelte = visibili.filter((r) => r.stato === 'draft' && selezionati.has(r.iud)).map((r) => r.iud)
  const eliminaBozze = async () => {
    setConfermaElimina(false)
    if (!bozzeScelte.length) return
    setOccupato(true)
    try {
      const r = await dovuti.eliminaBozze(bozzeScelte)
      setEsito({ testo: riassuntoEliminazione(r), ok: r.rifiutate.length === 0 })
      const eliminate = new Set(r.eliminate)
      setSelezionati((s) => new Set([...s].filter((i) => !eliminate.has(i))))
      if (aperto && eliminate.has(aperto)) setAperto(null)
      setVersione((v) => v + 1)
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  const inBlocco = async (azione: 'pronti' | 'annulla') => {
    const iuds = [...selezionati]
    if (!tuttiDelFiltro && !iuds.length) return
    setOccupato(true)
    setConfermaAnnulla(false)
    setAvvisoSelezione(null)
    try {
      let esiti
      if (tuttiDelFiltro) {
        const attesi = totale ?? 0
        esiti = azione === 'pronti' ? await dovuti.prontiFiltro({ ...filtri, offset: 0 }, attesi) : await dovuti.annullaFiltro({ ...filtri, offset: 0 }, attesi)
      } else {
        esiti = azione === 'pronti' ? await dovuti.pronti(iuds) : await dovuti.annulla(iuds)
      }
      setTuttiDelFiltro(false)
      setEsito({
        testo:
          azione === 'pronti'
            ? riassunto(esiti, 'pronti per il prossimo flusso', 'restano come prima')
            : riassunto(esiti, 'annullati', 'non annullati'),
        ok: esiti.every((e) => e.ok),
      })
      setSelezionati(new Set(esiti.filter((e) => !e.ok).map((e) => e.iud)))
      setVersione((v) => v + 1)
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  // «Esporta in Excel»: every debt of the filter, not only the rows loaded.
  const esporta = async () => {
    const oggi = new Date().toISOString().slice(0, 10)
    const percorso = await save({
      title: 'Esporta i dovuti in Excel',
      defaultPath: `dovuti-${oggi}.xlsx`,
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    })
    if (!percorso) return
    const file = percorso.endsWith('.xlsx') ? percorso : `${percorso}.xlsx`
    setOccupato(true)
    setErrore(null)
    try {
      const n = await dovuti.esporta({ ...filtri, offset: 0 }, file)
      setEsito({ testo: `${n === 1 ? 'Esportato' : 'Esportati'} ${quantiDovuti(n)} in ${file}.`, ok: true })
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  return (
    <section>
      <div className="d-flex flex-wrap align-items-center justify-content-between gap-2">
        <h1 className="h2">Dovuti</h1>
        <Button color="primary" outline size="sm" disabled={occupato}
          onClick={() => chiediPrima(() => { apri(null); setNuova(true) })} data-testid="dovuti-nuova-posizione"
          title="Un pagatore, un oggetto: rata unica e rate, un dovuto ciascuna">
          Nuova posizione…
        </Button>
      </div>
      <form className="row g-3 align-items-end mb-3" onSubmit={(e) => e.preventDefault()} aria-label="Filtri">
        <div className="col-md-2">
          <label htmlFor="f-stato" className="form-label small">Stato</label>
          <select id="f-stato" className="form-select" value={stato} onChange={(e) => setStato(e.target.value)}>
            <option value="">Tutti</option>
            {Object.entries(STATI).map(([k, v]) => (
              <option key={k} value={k}>{v}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="f-tipo" className="form-label small">Tipo dovuto</label>
          <select id="f-tipo" className="form-select" value={tipo} onChange={(e) => setTipo(e.target.value)}>
            <option value="">Tutti</option>
            {tipi.map((t) => (
              <option key={t.codice} value={t.codice}>{t.descrizione || t.codice}</option>
            ))}
          </select>
        </div>
        <div className="col-md-2">
          <label htmlFor="f-dal" className="form-label small">Scadenza dal</label>
          <input type="text" id="f-dal" className={`form-control ${dalIso === null ? 'is-invalid' : ''}`} placeholder="gg/mm/aaaa"
            value={dal} onChange={(e) => setDal(e.target.value)} />
          {dalIso === null && <div className="invalid-feedback">Data nel formato gg/mm/aaaa</div>}
        </div>
        <div className="col-md-2">
          <label htmlFor="f-al" className="form-label small">Scadenza al</label>
          <input type="text" id="f-al" className={`form-control ${alIso === null ? 'is-invalid' : ''}`} placeholder="gg/mm/aaaa"
            value={al} onChange={(e) => setAl(e.target.value)} />
          {alIso === null && <div className="invalid-feedback">Data nel formato gg/mm/aaaa</div>}
        </div>
        <div className="col-md-4">
          <label htmlFor="f-testo" className="form-label small">Cerca (nome, codice fiscale, causale, IUD)</label>
          <input id="f-testo" type="search" className="form-control" value={testo} onChange={(e) => setTesto(e.target.value)} />
        </div>
      </form>
      <AvvisoIndici onFatto={ricaricaLista} />
      {errore && <Alert color="danger">{errore}</Alert>}
      {esito && (
        <Alert color={esito.ok ? 'success' : 'warning'} data-testid="dovuti-esito">
          {esito.testo}
        </Alert>
      )}
      <div className="d-flex align-items-center gap-3 mb-2">
        <span className="small" aria-live="polite" data-testid="dovuti-conteggio">
          {totale === null ? 'Caricamento…' : quantiDovuti(totale)}
          {quanti > 0 &&
            (tuttiDelFiltro
              ? ` · ${quanti === 1 ? 'selezionato' : 'selezionati tutti'} (${quantiDovuti(quanti)} del filtro)`
              : ` · ${conta(quanti, 'selezionato', 'selezionati')}`)}
        </span>
        {!tuttiDelFiltro && tuttiVisibiliScelti && totale !== null && totale > selezionati.size && (
          <Button color="primary" outline size="sm" onClick={() => setTuttiDelFiltro(true)} data-testid="seleziona-filtro">
            Seleziona tutti i {numero(totale)} del filtro
          </Button>
        )}
        <Button color="primary" size="sm" disabled={!quanti || occupato} onClick={() => void inBlocco('pronti')}
          data-testid="azione-pronti">
          Segna come pronti
        </Button>
        <Button color="danger" outline size="sm" disabled={!quanti || occupato} onClick={() => setConfermaAnnulla(true)}
          data-testid="azione-annulla">
          Annulla dovuti
        </Button>
        <Button color="danger" outline size="sm" disabled={!bozzeScelte.length || occupato}
          onClick={() => {
            setConfermaAnnulla(false)
            setConfermaElimina(true)
          }}
          title="Elimina definitivamente le bozze selezionate mai inviate a MyPay"
          data-testid="azione-elimina-bozze">
          Elimina bozze
        </Button>
        {quanti > 0 && (
          <Button color="secondary" outline size="sm" onClick={deseleziona} data-testid="deseleziona">Deseleziona</Button>
        )}
        <Button color="primary" outline size="sm" className="ms-auto" disabled={!totale || occupato}
          onClick={() => void esporta()} data-testid="dovuti-esporta"
          title="Tutti i dovuti del filtro, con IUV, numero avviso e pagamento">
          Esporta in Excel
        </Button>
      </div>
      {avvisoSelezione && (
        <p className="small text-muted mb-2" role="status" data-testid="selezione-azzerata">{avvisoSelezione}</p>
      )}
      {confermaAnnulla && (
        <Alert color="warning" className="d-flex align-items-center gap-3">
          <span data-testid="conferma-annulla-testo">
            Annullare {quantiDovuti(quanti)}?{' '}
            {quanti === 1
              ? 'Se non è mai stato inviato si annulla subito; se è già su MyPay parte come annullamento con il prossimo flusso.'
              : 'Quelli mai inviati si annullano subito; quelli già su MyPay partono come annullamento con il prossimo flusso.'}
          </span>
          <Button color="danger" size="sm" onClick={() => void inBlocco('annulla')} data-testid="azione-annulla-conferma">
            Sì, annulla
          </Button>
          <Button color="secondary" outline size="sm" onClick={() => setConfermaAnnulla(false)}>No</Button>
        </Alert>
      )}
      {confermaElimina && bozzeScelte.length > 0 && (
        <Alert color="warning" className="d-flex align-items-center gap-3" data-testid="azione-elimina-bozze-domanda">
          <span>
            {domandaEliminaBozze(bozzeScelte.length)}
            {bozzeScelte.length < selezionati.size &&
              ' Gli altri dovuti selezionati non sono bozze: restano come sono.'}
          </span>
          <Button color="danger" size="sm" onClick={() => void eliminaBozze()} data-testid="azione-elimina-bozze-conferma">
            Sì, elimina
          </Button>
          <Button color="secondary" outline size="sm" onClick={() => setConfermaElimina(false)}>No</Button>
        </Alert>
      )}
      <div className="mpd-virt" ref={contenitore} role="table" aria-label="Dovuti" aria-rowcount={totale ?? 0}>
        <div className="mpd-vrow mpd-vhead" role="row" style={{ gridTemplateColumns: COLONNE }}>
          <span role="columnheader">
            <input type="checkbox" className="form-check-input" aria-label="Seleziona tutti quelli caricati"
              data-testid="seleziona-caricati"
              checked={tuttiVisibiliScelti}
              onChange={() =>
                tuttiDelFiltro ? deseleziona() : setSelezionati((s) => {
                  const n = new Set(s)
                  for (const r of visibili) {
                    if (tuttiVisibiliScelti) n.delete(r.iud)
                    else n.add(r.iud)
                  }
                  return n
                })
              } />
          </span>
          <span role="columnheader">Pagatore e codice fiscale</span>
          <span role="columnheader">Stato</span>
          <span role="columnheader" className="num">Importo</span>
          <span role="columnheader">Scadenza</span>
          <span role="columnheader">Causale</span>
          <span role="columnheader">IUD</span>
        </div>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {elementi.map((v) => {
            const r = riga(v.index)
            const prec = riga(v.index - 1)
            if (nascosta(r, prec, espanse)) {
              // An option of a collapsed position: measured as nothing, out of the Tab order.
              return (
                <div key={v.key} ref={virt.measureElement} data-index={v.index} aria-hidden="true"
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: 0, transform: `translateY(${v.start}px)` }} />
              )
            }
            const pos = r?.posizione
            const capo = capoGruppo(r, prec)
            const chiuso = !!pos && capo && !espanse.has(pos.codice)
            if (r && pos && chiuso) {
              const iuds = iudDelGruppo(visibili, pos.codice)
              const scelti = tuttiDelFiltro || iuds.every((i) => selezionati.has(i))
              return (
                <div key={v.key} role="row" aria-rowindex={v.index + 2}
                  ref={virt.measureElement}
                  data-index={v.index}
                  className="mpd-vrow mpd-vriga mpd-vriga-posizione"
                  data-testid="posizione-riga"
                  data-posizione={pos.codice}
                  data-iud={r.iud}
                  tabIndex={v.index === tabbabile ? 0 : -1}
                  title="Invio o clic: mostra le opzioni della posizione"
                  style={{ gridTemplateColumns: COLONNE, position: 'absolute', top: 0, left: 0, right: 0, minHeight: ALTEZZA_RIGA, transform: `translateY(${v.start}px)`, cursor: 'pointer' }}
                  onFocus={(e) => e.target === e.currentTarget && setAttiva(v.index)}
                  onKeyDown={(e) => tastoRiga(e, v.index, r.iud)}
                  onClick={() => espandi(pos.codice, true)}>
                  <span role="cell" onClick={(e) => e.stopPropagation()}>
                    <input type="checkbox" className="form-check-input" data-testid="posizione-seleziona"
                      tabIndex={v.index === tabbabile ? 0 : -1}
                      aria-label={`Seleziona le opzioni della posizione ${pos.codice}`} checked={scelti}
                      disabled={tuttiDelFiltro}
                      onChange={() => setSelezionati((s) => {
                        const n = new Set(s)
                        for (const i of iuds) {
                          if (scelti) n.delete(i)
                          else n.add(i)
                        }
                        return n
                      })} />
                  </span>
                  <span role="cell" className="mpd-pagatore">
                    <span className="d-block fw-semibold">{r.anagrafica}</span>
                    <span className="d-block small font-monospace">{r.codice_pagatore}</span>
                  </span>
                  <span role="cell">
                    <Distintivo colore={colorePosizione(pos.stato)}>{pos.stato}</Distintivo>
                  </span>
                  <span role="cell" className="num">{euro(pos.importo_cents)}</span>
                  <span role="cell">{dataIt(r.scadenza)}</span>
                  <span role="cell">
                    <button type="button" className="btn btn-link btn-sm p-0 d-block text-start" tabIndex={-1}
                      aria-expanded="false" data-testid="posizione-oggetto"
                      onClick={(e) => {
                        e.stopPropagation()
                        espandi(pos.codice, true)
                      }}>
                      <span aria-hidden="true">▸ </span>{pos.oggetto || r.causale}
                      <span className="visually-hidden">: mostra le opzioni della posizione</span>
                    </button>
                    <span className="d-block small text-muted">Posizione: {conta(pos.opzioni, 'opzione', 'opzioni')}</span>
                  </span>
                  <span role="cell" className="small mpd-iud">{pos.codice}</span>
                </div>
              )
            }
            return (
              <div key={v.key} role="row" aria-rowindex={v.index + 2}
                ref={virt.measureElement}
                data-index={v.index}
                className={`mpd-vrow mpd-vriga ${r && r.iud === aperto ? 'mpd-vriga-aperta' : ''} ${pos ? 'mpd-vriga-opzione' : ''}`}
                data-testid={r ? 'dovuto-riga' : undefined}
                data-iud={r?.iud}
                data-stato={r?.stato}
                tabIndex={r ? (v.index === tabbabile ? 0 : -1) : undefined}
                title={r ? 'Invio o clic: apre il dovuto' : undefined}
                style={{ gridTemplateColumns: COLONNE, position: 'absolute', top: 0, left: 0, right: 0, minHeight: ALTEZZA_RIGA, transform: `translateY(${v.start}px)`, cursor: r ? 'pointer' : undefined }}
                onFocus={(e) => e.target === e.currentTarget && setAttiva(v.index)}
                onKeyDown={(e) => tastoRiga(e, v.index, r?.iud)}
                onClick={() => r && r.iud !== aperto && chiediPrima(() => apri(r.iud))}>
                {r ? (
                  <>
                    <span role="cell" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" className="form-check-input" data-testid="dovuto-seleziona"
                        tabIndex={v.index === tabbabile ? 0 : -1}
                        aria-label={`Seleziona ${r.iud}`} checked={tuttiDelFiltro || selezionati.has(r.iud)}
                        disabled={tuttiDelFiltro}
                        title={tuttiDelFiltro ? 'Sono selezionati tutti i dovuti del filtro: «Deseleziona» per sceglierli uno a uno' : undefined}
                        onChange={() => commuta(r.iud)} />
                    </span>
                    <span role="cell" className="mpd-pagatore">
                      <span className="d-block fw-semibold">{r.anagrafica}</span>
                      <span className="d-block small font-monospace">{r.codice_pagatore}</span>
                    </span>
                    <span role="cell">
                      <Distintivo colore={statoColore(r.stato)} className="text-capitalize">{r.etichetta}</Distintivo>
                      {r.da_correggere && (
                        <span className="d-block small mpd-da-correggere">
                          <span aria-hidden="true">● </span>da correggere
                        </span>
                      )}
                    </span>
                    <span role="cell" className="num" title={importoRiga(r) === '—' ? 'Importo da correggere' : undefined}>{importoRiga(r)}</span>
                    <span role="cell">{dataIt(r.scadenza)}</span>
                    <span role="cell">
                      {pos && capo && (
                        <button type="button" className="btn btn-link btn-sm p-0 d-block text-start" tabIndex={-1}
                          aria-expanded="true" data-testid="posizione-chiudi"
                          onClick={(e) => {
                            e.stopPropagation()
                            espandi(pos.codice, false)
                          }}>
                          <span aria-hidden="true">▾ </span>{pos.oggetto || pos.codice}<span className="visually-hidden">: nascondi le opzioni della posizione {pos.codice}</span>
                        </button>
                      )}
                      {pos && <span className="d-block small fw-semibold" data-testid="posizione-opzione">{pos.etichetta[0].toUpperCase() + pos.etichetta.slice(1)}</span>}
                      {r.causale}
                    </span>
                    <span role="cell" className="small mpd-iud">{r.iud}</span>
                  </>
                ) : (
                  <span role="cell" className="text-muted">…</span>
                )}
              </div>
            )
          })}
        </div>
      </div>
      {aperto && (
        <PannelloLaterale etichetta={`Dovuto ${aperto}`} chiudi={() => chiediPrima(() => apri(null))} testid="dovuto-pannello"
          ritorno={() => [...document.querySelectorAll<HTMLElement>('[data-testid="dovuto-riga"]')].find((r) => r.dataset.iud === aperto)}>
          <FormDovuto key={aperto} iud={aperto} tipi={tipi}
            chiudi={() => chiediPrima(() => apri(null))}
            chiuso={() => apri(null)}
            sporco={setSporco}
            successiva={(i) => apri(i)}
            salvato={(m) => {
              setVersione((v) => v + 1)
              if (m) setEsito({ testo: m, ok: true })
            }} />
        </PannelloLaterale>
      )}
      {nuova && (
        <PannelloLaterale etichetta="Nuova posizione" chiudi={() => chiediPrima(() => { setSporco(false); setNuova(false) })}
          testid="nuova-posizione-pannello"
          ritorno={() => document.querySelector<HTMLElement>('[data-testid="dovuti-nuova-posizione"]')}>
          <NuovaPosizione tipi={tipi} sporco={setSporco}
            chiudi={() => chiediPrima(() => { setSporco(false); setNuova(false) })}
            creata={(p) => {
              setSporco(false)
              setNuova(false)
              setVersione((v) => v + 1)
              setEsito({
                ok: true,
                testo: `Posizione ${p.codice} creata: ${conta(p.opzioni.length, 'dovuto', 'dovuti')} (${p.opzioni.map((o) => o.etichetta).join(', ')}).`,
              })
            }} />
        </PannelloLaterale>
      )}
      {uscita && (
        <Conferma testid="dovuto-uscita" domanda="Ci sono modifiche non salvate: uscire senza salvare?"
          si="Esci senza salvare" no="Resta"
          onSi={() => {
            const azione = uscita
            setUscita(null)
            setSporco(false)
            azione()
          }}
          onNo={() => setUscita(null)} />
      )}
    </section>
  )
}

const ETICHETTE: Record<CampoForm, string> = {
  codice_pagatore: 'Codice fiscale / P.IVA',
  tipo_pagatore: 'Tipo pagatore',
  anagrafica: 'Cognome e nome / Ragione sociale',
  importo: 'Importo (€)',
  scadenza: 'Scadenza (gg/mm/aaaa)',
  tipo: 'Tipo dovuto',
  causale: 'Causale',
  email: 'E-mail',
  indirizzo: 'Indirizzo',
  civico: 'Civico',
  cap: 'CAP',
  localita: 'Comune',
  provincia: 'Provincia',
  nazione: 'Nazione',
  iuv: 'IUV',
}

const LARGHEZZE: Partial<Record<CampoForm, string>> = {
  anagrafica: 'col-md-6',
  causale: 'col-md-12',
  indirizzo: 'col-md-5',
  civico: 'col-md-1',
  email: 'col-md-4',
}

/** The edit form of one debt: client checks as the clerk types, the back end's findings on
 * save (each under its field), a draft saved even with errors so nothing typed is lost. On a
 * debt MyPay already holds, IUV and payment type are shown as text: they cannot change. */
function FormDovuto({ iud, tipi, chiudi, chiuso, sporco, salvato, successiva }: {
  iud: string
  tipi: TipoDovuto[]
  /** "Chiudi": asks first when there are unsaved changes. */
  chiudi: () => void
  /** Closes at once (after a save). */
  chiuso: () => void
  /** Whether the form has changes not saved yet. */
  sporco: (s: boolean) => void
  salvato: (messaggio: string | null) => void
  /** Opens another debt in the form («Successiva da correggere»). */
  successiva: (iud: string) => void
}) {
  const [scheda, setScheda] = useState<SchedaDovuto | null>(null)
  const [valori, setValori] = useState<Valori>({})
  const [problemi, setProblemi] = useState<Segnalazione[]>([])
  const [toccati, setToccati] = useState<Set<string>>(new Set())
  const [pronto, setPronto] = useState(true)
  const [errore, setErrore] = useState<string | null>(null)
  const [messaggio, setMessaggio] = useState<string | null>(null)
  const [occupato, setOccupato] = useState(false)
  const primo = useRef<HTMLInputElement>(null)

  const applica = (s: SchedaDovuto, p: Segnalazione[]) => {
    setScheda(s)
    setValori(s.valori)
    setProblemi(p)
    setToccati(new Set())
  }

  useEffect(() => {
    dovuti
      .scheda(iud)
      .then((s) => {
        applica(s, s.problemi)
      })
      .catch((e) => setErrore(messaggioErrore(e)))
  }, [iud])

  const modifiche = scheda ? Object.keys(modificati(scheda.valori, valori)).length : 0
  useEffect(() => {
    sporco(modifiche > 0)
  }, [modifiche, sporco])

  const client = controlliForm(valori)
  const server = perCampo(problemi)
  // A field the clerk changed shows the client check; one untouched, the back end's verdict.
  const erroriDi = (k: string): string[] => {
    if (toccati.has(k)) return client[k] ? [client[k]] : []
    return server.campi[k] ?? []
  }

  const salva = async () => {
    if (!scheda) return
    setOccupato(true)
    setErrore(null)
    setMessaggio(null)
    try {
      const e = await dovuti.salva(iud, modificati(scheda.valori, valori), pronto && scheda.stato === 'draft')
      if (e.salvato && !e.problemi.some((p) => p.grave)) {
        // Saved and valid: back to the list, which says what happened.
        salvato(`Dovuto ${iud} salvato: è ${e.scheda.etichetta}.`)
        chiuso()
        return
      }
      if (e.salvato) {
        applica(e.scheda, e.problemi)
        setMessaggio(
          e.scheda.stato === 'draft'
            ? e.problemi.some((p) => p.grave)
              ? 'Bozza salvata: restano da correggere i campi segnalati.'
              : 'Bozza salvata senza errori.'
            : `Salvato: il dovuto è ${e.scheda.etichetta}.`,
        )
        salvato(null)
      } else {
        setProblemi(e.problemi)
        setToccati(new Set())
        setMessaggio('Non salvato: corregga i campi segnalati.')
      }
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  // «Successiva da correggere»: the changes typed are saved first (a draft is kept even with
  // errors), then the next draft with problems opens; nothing typed is lost by moving on.
  const avanti = async () => {
    if (!scheda) return
    setErrore(null)
    setMessaggio(null)
    setOccupato(true)
    try {
      const cambi = modificati(scheda.valori, valori)
      if (scheda.modificabile && Object.keys(cambi).length > 0) {
        const e = await dovuti.salva(iud, cambi, pronto && scheda.stato === 'draft')
        if (!e.salvato) {
          setProblemi(e.problemi)
          setToccati(new Set())
          setMessaggio('Non salvato: corregga i campi segnalati.')
          return
        }
        applica(e.scheda, e.problemi)
        salvato(null)
      }
      const prossima = await dovuti.successivaDaCorreggere(iud)
      if (prossima) successiva(prossima)
      else setMessaggio('Non ci sono altre bozze da correggere.')
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  if (!scheda) {
    return (
      <div className="d-flex justify-content-between align-items-start gap-3">
        {errore ? <Alert color="danger">{errore}</Alert> : <p role="status">Caricamento del dovuto…</p>}
        <Button color="secondary" outline size="sm" type="button" onClick={chiudi}>Chiudi</Button>
      </div>
    )
  }
  const disabilitato = !scheda.modificabile || occupato
  return (
    <form data-testid="dovuto-form" data-iud={scheda.iud} data-stato={scheda.stato}
      aria-label={`Dovuto ${scheda.iud}`} noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void salva()
      }}>
      <div className="d-flex justify-content-between align-items-start">
        <h2 className="h5">
          Dovuto {scheda.iud}{' '}
          <Distintivo colore={statoColore(scheda.stato)} className="text-capitalize">{scheda.etichetta}</Distintivo>
        </h2>
        <Button color="secondary" outline size="sm" type="button" onClick={chiudi}>Chiudi</Button>
      </div>
      {scheda.origine && <p className="small text-muted mb-1">Da {scheda.origine}</p>}
      <PosizioneDovuto iud={scheda.iud} tipi={tipi} tipo={scheda.valori.tipo ?? ''}
        stampabile={!!scheda.valori.iuv && !['paid', 'cancelled'].includes(scheda.stato)}
        cambiata={(m) => {
          // The instalments changed: this debt's amount, due date or causale may have too.
          dovuti.scheda(iud).then((s) => applica(s, s.problemi)).catch((e) => setErrore(messaggioErrore(e)))
          salvato(m)
        }} />
      {scheda.rifiuto && <Alert color="danger">Scartato da MyPay: {scheda.rifiuto}</Alert>}
      {!scheda.modificabile && (
        <Alert color="info">Questo dovuto non si può modificare nello stato «{scheda.etichetta}».</Alert>
      )}
      {errore && <Alert color="danger">{errore}</Alert>}
      {server.generali.length > 0 && (
        <Alert color={server.bloccanti ? 'danger' : 'warning'}>
          <ul className="mb-0">
            {server.generali.map((g, i) => <li key={i}>{g}</li>)}
          </ul>
        </Alert>
      )}
      <div className="row g-3">
        {CAMPI_FORM.map((k, i) => {
          const errori = erroriDi(k)
          const id = `dovuto-${k}`
          // The IUV's help, where the clerk may type one: MyPay assigns it unless the Ente does.
          const aiuto = k === 'iuv' && !scheda.su_mypay && scheda.modificabile ? `${id}-aiuto` : undefined
          const comune = {
            id,
            name: k,
            disabled: disabilitato,
            className: `${k === 'tipo' || k === 'tipo_pagatore' ? 'form-select' : 'form-control'} ${errori.length ? 'is-invalid' : ''}`,
            value: valori[k] ?? '',
            'aria-invalid': errori.length > 0,
            'aria-describedby': [errori.length ? `${id}-errore` : null, aiuto].filter(Boolean).join(' ') || undefined,
            onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
              const v = e.target.value
              setValori((x) => ({ ...x, [k]: v }))
              setToccati((t) => new Set(t).add(k))
            },
          }
          if (scheda.su_mypay && (k === 'iuv' || k === 'tipo')) {
            const v = valori[k] ?? ''
            const desc = k === 'tipo' ? tipi.find((t) => t.codice === v)?.descrizione : undefined
            return (
              <div key={k} className={LARGHEZZE[k] ?? 'col-md-3'}>
                <span id={`${id}-etichetta`} className="form-label small d-block">{ETICHETTE[k]}</span>
                <p id={id} className={`form-control-plaintext mb-0 ${k === 'iuv' ? 'font-monospace' : ''}`}
                  aria-labelledby={`${id}-etichetta`} aria-describedby={`${id}-aiuto`} data-testid={`dovuto-fisso-${k}`}>
                  {v ? (desc ? `${desc} (${v})` : v) : '—'}
                </p>
                <div id={`${id}-aiuto`} className="form-text">
                  Il dovuto è già su MyPay: {k === 'iuv' ? 'lo IUV' : 'il tipo dovuto'} non si può cambiare.
                </div>
              </div>
            )
          }
          return (
            <div key={k} className={LARGHEZZE[k] ?? 'col-md-3'}>
              <label htmlFor={id} className="form-label small">{ETICHETTE[k]}</label>
              {k === 'tipo' ? (
                <select {...comune}>
                  {!tipi.some((t) => t.codice === valori.tipo) && <option value={valori.tipo ?? ''}>{valori.tipo || '— scegli —'}</option>}
                  {tipi.map((t) => (
                    <option key={t.codice} value={t.codice}>{t.descrizione ? `${t.descrizione} (${t.codice})` : t.codice}</option>
                  ))}
                </select>
              ) : k === 'tipo_pagatore' ? (
                <select {...comune}>
                  <option value="F">F — persona fisica</option>
                  <option value="G">G — persona giuridica</option>
                </select>
              ) : (
                <input {...comune} ref={i === 0 ? primo : undefined} type={k === 'email' ? 'email' : 'text'}
                  inputMode={k === 'importo' ? 'decimal' : undefined}
                  placeholder={k === 'importo' ? '1.234,56' : k === 'scadenza' ? 'gg/mm/aaaa' : undefined} />
              )}
              {errori.length > 0 && (
                <div className="invalid-feedback" id={`${id}-errore`}>
                  {errori.map((m, j) => <div key={j}>{senzaEtichetta(m, ETICHETTE[k])}</div>)}
                </div>
              )}
              {aiuto && (
                <div id={aiuto} className="form-text" data-testid="dovuto-iuv-aiuto">
                  Lo lasci vuoto: lo IUV lo assegna MyPay. Lo scriva solo se l’Ente assegna gli IUV da sé.
                </div>
              )}
              {!toccati.has(k) && (server.avvisi[k] ?? []).map((m, j) => (
                <div key={j} className="form-text text-warning">Attenzione: {m}</div>
              ))}
            </div>
          )
        })}
      </div>
      <div className="d-flex align-items-center gap-3 mt-3">
        <Button color="primary" type="submit" disabled={disabilitato} data-testid="dovuto-salva">
          {occupato ? 'Salvataggio…' : 'Salva'}
        </Button>
        {scheda.stato === 'draft' && (
          <div className="form-check mb-0">
            <input id="dovuto-pronto" type="checkbox" className="form-check-input" checked={pronto}
              onChange={(e) => setPronto(e.target.checked)} data-testid="dovuto-pronto" />
            <label htmlFor="dovuto-pronto" className="form-check-label small">
              Se non ci sono errori, segna come pronto per il prossimo flusso
            </label>
          </div>
        )}
        {scheda.stato === 'draft' && (
          <Button color="primary" outline type="button" disabled={occupato} onClick={() => void avanti()}
            title="Salva le modifiche e apre la bozza seguente che ha errori da correggere"
            data-testid="dovuto-successiva">
            Successiva da correggere
          </Button>
        )}
        {messaggio && <span className="small" role="status">{messaggio}</span>}
      </div>
    </form>
  )
}
