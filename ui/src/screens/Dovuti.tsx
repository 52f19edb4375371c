import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore, type TipoDovuto } from '../api'
import type { ParametriNavigazione } from '../navigazione'
import { STATI, dataIso, dataIt, euro, statoColore } from '../format'
import { controlliForm, perCampo } from '../validation'
import { conPagina } from '../pagine'
import { AvvisoIndici } from './AvvisoIndici'
import {
  CAMPI_FORM,
  dovuti,
  modificati,
  riassunto,
  type CampoForm,
  type FiltroDovuti,
  type RigaDovuto,
  type SchedaDovuto,
  type Segnalazione,
  type Valori,
} from '../comandi/dovuti'

const PAGINA = 200
const ALTEZZA_RIGA = 36
const COLONNE = '2rem 10rem 6rem 1.6fr 10rem 6.5rem 6.5rem 1.4fr'

type Filtri = Omit<FiltroDovuti, 'offset' | 'limit'>

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
  const [selezionati, setSelezionati] = useState<Set<string>>(new Set())
  const [confermaAnnulla, setConfermaAnnulla] = useState(false)
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
    const t = setTimeout(
      () => setFiltri({ stato, tipo, testo, scadenzaDal: dalIso, scadenzaAl: alIso }),
      250,
    )
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

  useEffect(() => {
    generazione.current += 1
    richieste.current = new Set()
    setPagine(new Map())
    setErrore(null)
    carica(0, generazione.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filtri, versione])

  const contenitore = useRef<HTMLDivElement>(null)
  const virt = useVirtualizer({
    count: totale ?? 0,
    getScrollElement: () => contenitore.current,
    estimateSize: () => ALTEZZA_RIGA,
    overscan: 20,
  })
  const elementi = virt.getVirtualItems()
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

  const riga = (i: number) => pagine.get(Math.floor(i / PAGINA))?.[i % PAGINA]
  const visibili = useMemo(() => [...pagine.values()].flat(), [pagine])
  const tuttiVisibiliScelti = visibili.length > 0 && visibili.every((r) => selezionati.has(r.iud))

  const commuta = (iud: string) =>
    setSelezionati((s) => {
      const n = new Set(s)
      if (n.has(iud)) n.delete(iud)
      else n.add(iud)
      return n
    })

  const inBlocco = async (azione: 'pronti' | 'annulla') => {
    const iuds = [...selezionati]
    if (!iuds.length) return
    setOccupato(true)
    setConfermaAnnulla(false)
    try {
      const esiti = azione === 'pronti' ? await dovuti.pronti(iuds) : await dovuti.annulla(iuds)
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

  return (
    <section>
      <h1 className="h2">Dovuti</h1>
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
        <span className="small" aria-live="polite">
          {totale === null ? 'Caricamento…' : `${totale.toLocaleString('it-IT')} dovuti`}
          {selezionati.size > 0 && ` · ${selezionati.size.toLocaleString('it-IT')} selezionati`}
        </span>
        <Button color="primary" size="sm" disabled={!selezionati.size || occupato} onClick={() => void inBlocco('pronti')}
          data-testid="azione-pronti">
          Segna come pronti
        </Button>
        <Button color="danger" outline size="sm" disabled={!selezionati.size || occupato} onClick={() => setConfermaAnnulla(true)}
          data-testid="azione-annulla">
          Annulla dovuti
        </Button>
        {selezionati.size > 0 && (
          <Button color="secondary" outline size="sm" onClick={() => setSelezionati(new Set())}>Deseleziona</Button>
        )}
      </div>
      {confermaAnnulla && (
        <Alert color="warning" className="d-flex align-items-center gap-3">
          <span>
            Annullare {selezionati.size} dovuti? Quelli mai inviati si annullano subito; quelli già su MyPay partono
            come annullamento con il prossimo flusso.
          </span>
          <Button color="danger" size="sm" onClick={() => void inBlocco('annulla')} data-testid="azione-annulla-conferma">
            Sì, annulla
          </Button>
          <Button color="secondary" outline size="sm" onClick={() => setConfermaAnnulla(false)}>No</Button>
        </Alert>
      )}
      <div className="mpd-virt" ref={contenitore} role="table" aria-label="Dovuti" aria-rowcount={totale ?? 0}>
        <div className="mpd-vrow mpd-vhead" role="row" style={{ gridTemplateColumns: COLONNE }}>
          <span role="columnheader">
            <input type="checkbox" className="form-check-input" aria-label="Seleziona tutti quelli caricati"
              checked={tuttiVisibiliScelti}
              onChange={() =>
                setSelezionati((s) => {
                  const n = new Set(s)
                  for (const r of visibili) {
                    if (tuttiVisibiliScelti) n.delete(r.iud)
                    else n.add(r.iud)
                  }
                  return n
                })
              } />
          </span>
          <span role="columnheader">IUD</span>
          <span role="columnheader">Stato</span>
          <span role="columnheader">Pagatore</span>
          <span role="columnheader">Codice fiscale</span>
          <span role="columnheader" className="num">Importo</span>
          <span role="columnheader">Scadenza</span>
          <span role="columnheader">Causale</span>
        </div>
        <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
          {elementi.map((v) => {
            const r = riga(v.index)
            return (
              <div key={v.key} role="row" aria-rowindex={v.index + 2}
                className={`mpd-vrow ${r && r.iud === aperto ? 'bg-light' : ''}`}
                data-testid={r ? 'dovuto-riga' : undefined}
                data-iud={r?.iud}
                data-stato={r?.stato}
                style={{ gridTemplateColumns: COLONNE, position: 'absolute', top: 0, left: 0, right: 0, height: ALTEZZA_RIGA, transform: `translateY(${v.start}px)`, cursor: r ? 'pointer' : undefined }}
                onClick={() => r && setAperto(r.iud)}>
                {r ? (
                  <>
                    <span role="cell" onClick={(e) => e.stopPropagation()}>
                      <input type="checkbox" className="form-check-input" data-testid="dovuto-seleziona"
                        aria-label={`Seleziona ${r.iud}`} checked={selezionati.has(r.iud)} onChange={() => commuta(r.iud)} />
                    </span>
                    <span role="cell">{r.iud}</span>
                    <span role="cell">
                      <span className={`badge bg-${statoColore(r.stato)} text-capitalize`}>{r.etichetta}</span>
                      {r.da_correggere && (
                        <span className="ms-1 text-danger" title="Bozza con errori da correggere" aria-label="da correggere">●</span>
                      )}
                    </span>
                    <span role="cell">{r.anagrafica}</span>
                    <span role="cell">{r.codice_pagatore}</span>
                    <span role="cell" className="num" title={importoRiga(r) === '—' ? 'Importo da correggere' : undefined}>{importoRiga(r)}</span>
                    <span role="cell">{dataIt(r.scadenza)}</span>
                    <span role="cell" title={r.causale}>{r.causale}</span>
                  </>
                ) : (
                  <span className="text-muted">…</span>
                )}
              </div>
            )
          })}
        </div>
      </div>
      {aperto && (
        <FormDovuto key={aperto} iud={aperto} tipi={tipi}
          chiudi={() => setAperto(null)}
          salvato={(m) => {
            setVersione((v) => v + 1)
            if (m) setEsito({ testo: m, ok: true })
          }} />
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
 * save (each under its field), a draft saved even with errors so nothing typed is lost. */
function FormDovuto({ iud, tipi, chiudi, salvato }: {
  iud: string
  tipi: TipoDovuto[]
  chiudi: () => void
  salvato: (messaggio: string | null) => void
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
        setTimeout(() => primo.current?.scrollIntoView?.({ block: 'nearest' }), 0)
      })
      .catch((e) => setErrore(messaggioErrore(e)))
  }, [iud])

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
        chiudi()
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
        setMessaggio('Non salvato: correggi i campi segnalati.')
      }
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  if (!scheda) {
    return errore ? <Alert color="danger" className="mt-3">{errore}</Alert> : <p className="mt-3">Caricamento del dovuto…</p>
  }
  const disabilitato = !scheda.modificabile || occupato
  return (
    <form className="mt-3 p-3 border rounded" data-testid="dovuto-form" data-iud={scheda.iud} data-stato={scheda.stato}
      aria-label={`Dovuto ${scheda.iud}`} noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void salva()
      }}>
      <div className="d-flex justify-content-between align-items-start">
        <h2 className="h5">
          Dovuto {scheda.iud}{' '}
          <span className={`badge bg-${statoColore(scheda.stato)} text-capitalize`}>{scheda.etichetta}</span>
        </h2>
        <Button color="secondary" outline size="sm" type="button" onClick={chiudi}>Chiudi</Button>
      </div>
      {scheda.origine && <p className="small text-muted mb-1">Da {scheda.origine}</p>}
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
          const comune = {
            id,
            name: k,
            disabled: disabilitato,
            className: `${k === 'tipo' || k === 'tipo_pagatore' ? 'form-select' : 'form-control'} ${errori.length ? 'is-invalid' : ''}`,
            value: valori[k] ?? '',
            'aria-invalid': errori.length > 0,
            'aria-describedby': errori.length ? `${id}-errore` : undefined,
            onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
              const v = e.target.value
              setValori((x) => ({ ...x, [k]: v }))
              setToccati((t) => new Set(t).add(k))
            },
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
                  {errori.map((m, j) => <div key={j}>{m}</div>)}
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
        {messaggio && <span className="small" role="status">{messaggio}</span>}
      </div>
    </form>
  )
}
