// The FdR with their quadratura (the sum of the rows, the declared total, the treasury's
// amount side by side) and the detail of one: its rows, each with its payment's state.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore } from '../../api'
import { Distintivo } from '../Distintivo'
import { NomeFlusso } from '../Flussi'
import { conta, dataIt, euro, numero } from '../../format'
import {
  STATI,
  esitoRiga,
  riconciliazione,
  tesoreriaDi,
  type DettaglioFdr as Dettaglio,
  type FdrVista,
} from '../../comandi/riconciliazione'

/** The quadratura's badge and, when it does not square, why. */
function Quadratura({ f }: { f: FdrVista }) {
  return (
    <>
      <Distintivo colore={f.quadra ? 'success' : 'danger'} data-testid="fdr-quadra">
        {f.quadra ? 'quadra' : 'non quadra'}
      </Distintivo>
      {!f.quadra && <div className="small">{f.motivo}</div>}
      {f.revocati > 0 && <div className="small">{conta(f.revocati, 'pagamento revocato', 'pagamenti revocati')} (esito 3), escluso dai totali</div>}
    </>
  )
}

/** The treasury's amount («—» while no entry has the FdR's IUF) and, unless it equals the
 * declared total, what the treasury side says (the bollette, or what is missing). */
function Tesoreria({ f }: { f: FdrVista }) {
  const t = tesoreriaDi(f)
  return (
    <>
      {t === null ? (
        <>
          <span aria-hidden="true">—</span>
          <span className="visually-hidden">nessun movimento</span>
        </>
      ) : (
        <span className="text-nowrap">{euro(t)}</span>
      )}
      {f.incassato ? (
        <div><Distintivo colore="success">incassato</Distintivo></div>
      ) : (
        f.motivo_tesoreria && <div className="small text-start mpd-motivo-tesoreria">{f.motivo_tesoreria}</div>
      )}
    </>
  )
}

export function ElencoFdr({ fdr, zona }: { fdr: FdrVista[]; zona: ReactNode }) {
  const [scelto, setScelto] = useState<string | null>(null)
  const [dettaglio, setDettaglio] = useState<Dettaglio | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const titoloDettaglio = useRef<HTMLHeadingElement>(null)
  const daRitornare = useRef<HTMLButtonElement | null>(null)

  useEffect(() => {
    if (scelto === null) {
      setDettaglio(null)
      return
    }
    let vivo = true
    setErrore(null)
    riconciliazione
      .dettaglioFdr(scelto)
      .then((d) => {
        if (!vivo) return
        setDettaglio(d)
        // The detail opens below the list: the focus goes to its heading.
        requestAnimationFrame(() => titoloDettaglio.current?.focus())
      })
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
    // The list reloaded (an import): the detail too.
  }, [scelto, fdr])

  const chiudi = () => {
    setScelto(null)
    daRitornare.current?.focus()
  }

  return (
    <section aria-labelledby="ric-fdr-titolo" className="mb-4">
      <h2 id="ric-fdr-titolo" className="h4">Flussi di rendicontazione</h2>
      {zona}
      {fdr.length === 0 ? (
        <p data-testid="riconciliazione-fdr-vuoto">
          Nessun flusso di rendicontazione: importi i file XML ricevuti dai PSP con «Importa flussi…» o li trascini
          nella finestra. Ogni flusso dice quali pagamenti il PSP ha riversato all’Ente e in che giorno.
        </p>
      ) : (
        <div className="table-responsive">
          <table className="table table-sm align-top" data-testid="riconciliazione-fdr">
            <caption className="visually-hidden">Flussi di rendicontazione importati, con la quadratura</caption>
            <thead>
              <tr>
                <th scope="col">Flusso</th>
                <th scope="col">Regolato il</th>
                <th scope="col" className="num">Pagamenti</th>
                <th scope="col" className="num">Somma delle righe</th>
                <th scope="col" className="num">Totale dichiarato</th>
                <th scope="col" className="num">Tesoreria</th>
                <th scope="col">Quadratura</th>
              </tr>
            </thead>
            <tbody>
              {fdr.map((f) => (
                <tr key={f.iuf} data-testid="riconciliazione-fdr-riga" data-iuf={f.iuf} className={scelto === f.iuf ? 'table-active' : ''}>
                  <td>
                    <button
                      type="button"
                      className="btn btn-link p-0 text-start small"
                      aria-expanded={scelto === f.iuf}
                      aria-controls="ric-fdr-dettaglio"
                      data-testid="riconciliazione-fdr-apri"
                      onClick={(e) => {
                        daRitornare.current = e.currentTarget
                        setScelto(scelto === f.iuf ? null : f.iuf)
                      }}
                    >
                      <NomeFlusso nome={f.iuf} />
                    </button>
                    <div className="small">{f.psp_nome || f.psp}</div>
                  </td>
                  <td className="text-nowrap">{dataIt(f.data_regolamento)}</td>
                  <td className="num">
                    {numero(f.numero_pagamenti)}
                    {f.numero_pagamenti !== f.numero_dichiarato && <div className="small">dichiarati {numero(f.numero_dichiarato)}</div>}
                  </td>
                  <td className="num text-nowrap">{euro(f.somma_cents)}</td>
                  <td className="num text-nowrap">{euro(f.importo_dichiarato_cents)}</td>
                  <td className="num" data-testid="fdr-tesoreria" data-incassato={f.incassato ? 'si' : 'no'}><Tesoreria f={f} /></td>
                  <td><Quadratura f={f} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {errore && <p className="text-danger" role="alert">{errore}</p>}
      {scelto !== null && dettaglio && (
        <div id="ric-fdr-dettaglio" className="border rounded p-3" data-testid="riconciliazione-fdr-dettaglio">
          <div className="d-flex justify-content-between align-items-start gap-3">
            <h3 className="h5 text-break" ref={titoloDettaglio} tabIndex={-1}>
              Flusso <NomeFlusso nome={dettaglio.fdr.iuf} />
            </h3>
            <Button color="secondary" outline size="sm" onClick={chiudi}>Chiudi</Button>
          </div>
          <dl className="row mb-2 small">
            <dt className="col-sm-3">PSP</dt>
            <dd className="col-sm-9">{dettaglio.fdr.psp_nome ? `${dettaglio.fdr.psp_nome} (${dettaglio.fdr.psp})` : dettaglio.fdr.psp}</dd>
            <dt className="col-sm-3">Regolato il</dt>
            <dd className="col-sm-9">{dataIt(dettaglio.fdr.data_regolamento)}, riferimento del bonifico {dettaglio.fdr.iur_regolamento}</dd>
            <dt className="col-sm-3">Quadratura</dt>
            <dd className="col-sm-9">
              {euro(dettaglio.fdr.somma_cents)} in {conta(dettaglio.fdr.numero_pagamenti, 'pagamento', 'pagamenti')}; dichiarati{' '}
              {euro(dettaglio.fdr.importo_dichiarato_cents)} in {numero(dettaglio.fdr.numero_dichiarato)}: {dettaglio.fdr.motivo}
            </dd>
            <dt className="col-sm-3">File</dt>
            <dd className="col-sm-9 text-break">{dettaglio.fdr.file}</dd>
          </dl>
          <div className="table-responsive">
            <table className="table table-sm align-top mb-0" data-testid="riconciliazione-fdr-righe">
              <caption className="visually-hidden">Righe del flusso, con lo stato di ogni pagamento</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">N.</th>
                  <th scope="col">IUV e IUR</th>
                  <th scope="col" className="num">Importo</th>
                  <th scope="col">Esito</th>
                  <th scope="col">Stato</th>
                  <th scope="col">Motivo</th>
                </tr>
              </thead>
              <tbody>
                {dettaglio.righe.map((r) => (
                  <tr key={r.numero} data-testid="riconciliazione-fdr-riga-dettaglio" data-iuv={r.iuv} data-stato={r.stato ?? 'revocato'}>
                    <td className="num">{r.numero}</td>
                    <td className="font-monospace small">
                      <div>{r.iuv}</div>
                      <div>{r.iur}</div>
                    </td>
                    <td className="num text-nowrap">{euro(r.importo_cents)}</td>
                    <td className="small">{r.esito} ({esitoRiga(r.esito)}), {dataIt(r.data_esito)}</td>
                    <td>
                      <Distintivo colore={r.stato ? STATI[r.stato]?.tono : 'secondary'}>{r.etichetta}</Distintivo>
                      {r.anomalia && <span className="visually-hidden"> (anomalia)</span>}
                    </td>
                    <td className="small">{r.motivo}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  )
}
