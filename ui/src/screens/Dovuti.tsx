import { useEffect, useMemo, useRef, useState } from 'react'
import { useVirtualizer } from '@tanstack/react-virtual'
import { api, messaggioErrore, type FiltroDovuti, type RigaDovuto, type TipoDovuto } from '../api'
import type { ParametriNavigazione } from '../navigazione'
import { STATI, dataIso, dataIt, euro, statoColore } from '../format'

const PAGINA = 200
const ALTEZZA_RIGA = 36

type Filtri = Omit<FiltroDovuti, 'offset' | 'limit'>

/** The debts as a virtualized list: rows are fetched from SQLite a page at a time. */
export default function Dovuti({ tipi }: { tipi: TipoDovuto[]; parametri?: ParametriNavigazione }) {
  const [stato, setStato] = useState('')
  const [tipo, setTipo] = useState('')
  const [testo, setTesto] = useState('')
  const [dal, setDal] = useState('')
  const [al, setAl] = useState('')
  const [filtri, setFiltri] = useState<Filtri>({})
  const [totale, setTotale] = useState<number | null>(null)
  const [pagine, setPagine] = useState<Map<number, RigaDovuto[]>>(new Map())
  const [errore, setErrore] = useState<string | null>(null)
  const [scelto, setScelto] = useState<RigaDovuto | null>(null)
  const richieste = useRef(new Set<number>())
  const generazione = useRef(0)

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
    api
      .dovutiPagina({ ...filtri, offset: pagina * PAGINA, limit: PAGINA })
      .then((p) => {
        if (gen !== generazione.current) return
        setTotale(p.totale)
        setPagine((m) => new Map(m).set(pagina, p.righe))
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
  }, [filtri])

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
    for (const p of daCaricare) if (!pagine.has(p)) carica(p, generazione.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [daCaricare, pagine])

  const riga = (i: number) => pagine.get(Math.floor(i / PAGINA))?.[i % PAGINA]

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
          <input id="f-dal" className={`form-control ${dalIso === null ? 'is-invalid' : ''}`} placeholder="gg/mm/aaaa"
            value={dal} onChange={(e) => setDal(e.target.value)} />
          {dalIso === null && <div className="invalid-feedback">Data nel formato gg/mm/aaaa</div>}
        </div>
        <div className="col-md-2">
          <label htmlFor="f-al" className="form-label small">Scadenza al</label>
          <input id="f-al" className={`form-control ${alIso === null ? 'is-invalid' : ''}`} placeholder="gg/mm/aaaa"
            value={al} onChange={(e) => setAl(e.target.value)} />
          {alIso === null && <div className="invalid-feedback">Data nel formato gg/mm/aaaa</div>}
        </div>
        <div className="col-md-4">
          <label htmlFor="f-testo" className="form-label small">Cerca (nome, codice fiscale, causale, IUD)</label>
          <input id="f-testo" type="search" className="form-control" value={testo} onChange={(e) => setTesto(e.target.value)} />
        </div>
      </form>
      {errore && <div className="alert alert-danger">{errore}</div>}
      <p className="small" aria-live="polite">
        {totale === null ? 'Caricamento…' : `${totale.toLocaleString('it-IT')} dovuti`}
      </p>
      <div className="mpd-virt" ref={contenitore} role="table" aria-label="Dovuti" aria-rowcount={totale ?? 0}>
        <div className="mpd-vrow mpd-vhead" role="row">
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
              <div key={v.key} role="row" aria-rowindex={v.index + 2} className="mpd-vrow"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ALTEZZA_RIGA, transform: `translateY(${v.start}px)`, cursor: r ? 'pointer' : undefined }}
                onClick={() => r && setScelto(r)}>
                {r ? (
                  <>
                    <span role="cell">{r.iud}</span>
                    <span role="cell"><span className={`badge bg-${statoColore(r.stato)} text-capitalize`}>{r.etichetta}</span></span>
                    <span role="cell">{r.anagrafica}</span>
                    <span role="cell">{r.codice_pagatore}</span>
                    <span role="cell" className="num">{euro(r.importo_cents)}</span>
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
      {scelto && (
        <aside className="mt-3 p-3 border rounded" aria-label="Dettaglio del dovuto">
          <h2 className="h5">Dovuto {scelto.iud}</h2>
          <dl className="row mb-0">
            <dt className="col-sm-3">Pagatore</dt><dd className="col-sm-9">{scelto.anagrafica} ({scelto.codice_pagatore})</dd>
            <dt className="col-sm-3">Importo</dt><dd className="col-sm-9">{euro(scelto.importo_cents)}</dd>
            <dt className="col-sm-3">Scadenza</dt><dd className="col-sm-9">{dataIt(scelto.scadenza) || '—'}</dd>
            <dt className="col-sm-3">Tipo</dt><dd className="col-sm-9">{scelto.tipo}</dd>
            <dt className="col-sm-3">IUV</dt><dd className="col-sm-9">{scelto.iuv || '—'}</dd>
            <dt className="col-sm-3">Causale</dt><dd className="col-sm-9">{scelto.causale}</dd>
            {scelto.rifiuto && (<><dt className="col-sm-3">Scarto</dt><dd className="col-sm-9 text-danger">{scelto.rifiuto}</dd></>)}
          </dl>
        </aside>
      )}
    </section>
  )
}
