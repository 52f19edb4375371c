// The payments with their state and reason, the anomalies first shown, filterable by state, a
// page of rows at a time (a year of a large Ente holds hundreds of thousands: the back end
// sends one page and the totals of all, `riconciliazione_elenco`).
import { forwardRef } from 'react'
import { Distintivo } from '../Distintivo'
import { conta, dataIt, euro, numero } from '../../format'
import { Paginazione } from './Paginazione'
import { ORDINE_STATI, STATI, importoDi, type ElencoPagamenti as Elenco, type FiltroPagamenti } from '../../comandi/riconciliazione'

/** How the filter is described in the table's caption and its empty state. */
function descrizione(filtro: FiltroPagamenti): string {
  if (filtro === 'anomalie') return 'solo le anomalie'
  if (filtro === 'tutti') return 'tutti i pagamenti'
  return STATI[filtro]?.nome.toLowerCase() ?? filtro
}

interface Props {
  /** The page shown, its filter and the totals of every payment. */
  elenco: Elenco
  /** The filter picked last (its page may still be on its way). */
  filtro: FiltroPagamenti
  /** A page asked for has not come yet. */
  inAttesa: boolean
  /** Asks for another filter or page. */
  mostra: (filtro: FiltroPagamenti, pagina: number) => void
}

export const ElencoPagamenti = forwardRef<HTMLHeadingElement, Props>(function ElencoPagamenti({ elenco, filtro, inAttesa, mostra }, titolo) {
  // The page shown is of the filter it was asked with.
  const filtroPagina = elenco.filtro as FiltroPagamenti
  const somma = (anomalie: boolean | null) =>
    elenco.totali.filter((t) => anomalie === null || t.anomalia === anomalie).reduce((n, t) => n + t.numero, 0)
  const perStato = (s: string) => elenco.totali.find((t) => t.stato === s)?.numero ?? 0
  return (
    <section aria-labelledby="ric-pagamenti-titolo" className="mb-4">
      <h2 id="ric-pagamenti-titolo" className="h4" ref={titolo} tabIndex={-1}>
        {filtro === 'anomalie' ? 'Anomalie' : 'Pagamenti'}
      </h2>
      <div className="d-flex flex-wrap gap-3 align-items-end mb-2">
        <div>
          <label htmlFor="ric-filtro" className="form-label small mb-0">Mostra</label>
          <select
            id="ric-filtro"
            className="form-select form-select-sm"
            value={filtro}
            data-testid="riconciliazione-filtro"
            onChange={(e) => mostra(e.target.value as FiltroPagamenti, 0)}
          >
            <option value="anomalie">Solo le anomalie ({numero(somma(true))})</option>
            <option value="tutti">Tutti i pagamenti ({numero(somma(null))})</option>
            {ORDINE_STATI.map((s) => (
              <option key={s} value={s}>
                {STATI[s].nome} ({numero(perStato(s))})
              </option>
            ))}
          </select>
        </div>
      </div>
      {elenco.numero === 0 ? (
        <p data-testid="riconciliazione-pagamenti-vuoto">
          {filtroPagina === 'anomalie'
            ? 'Nessuna anomalia da verificare.'
            : `Nessun pagamento tra ${descrizione(filtroPagina)}.`}
        </p>
      ) : (
        <>
          <table
            className={`table table-sm align-top${inAttesa ? ' opacity-50' : ''}`}
            aria-busy={inAttesa}
            data-testid="riconciliazione-pagamenti"
          >
            <caption className="visually-hidden">
              {`Pagamenti, ${descrizione(filtroPagina)}: ${conta(elenco.numero, 'pagamento', 'pagamenti')}` +
                (elenco.pagine > 1 ? `, pagina ${elenco.pagina + 1} di ${elenco.pagine}` : '')}
            </caption>
            <thead>
              <tr>
                <th scope="col">IUV</th>
                <th scope="col">Data</th>
                <th scope="col" className="num">Importo</th>
                <th scope="col">Stato</th>
                <th scope="col">Motivo</th>
              </tr>
            </thead>
            <tbody>
              {elenco.pagamenti.map((x, i) => (
                <tr key={`${x.iuv}-${x.iur}-${i}`} data-testid="riconciliazione-pagamento" data-iuv={x.iuv} data-stato={x.stato}>
                  <td className="font-monospace small text-nowrap">{x.iuv}</td>
                  <td className="text-nowrap">{dataIt(x.data_esito)}</td>
                  <td className="num text-nowrap">
                    {euro(importoDi(x))}
                    {x.importo_cents != null && x.importo_rendicontato_cents != null && x.importo_rendicontato_cents !== x.importo_cents && (
                      <div className="small">nel flusso {euro(x.importo_rendicontato_cents)}</div>
                    )}
                  </td>
                  <td>
                    <Distintivo colore={STATI[x.stato]?.tono ?? (x.anomalia ? 'danger' : 'secondary')}>{x.etichetta}</Distintivo>
                    {x.anomalia && <span className="visually-hidden"> (anomalia)</span>}
                  </td>
                  <td className="small">{x.motivo}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Paginazione
            pagina={elenco.pagina}
            pagine={elenco.pagine}
            setPagina={(p) => mostra(filtroPagina, p)}
            etichetta="Pagine dell’elenco dei pagamenti"
            testid="riconciliazione"
          />
        </>
      )}
    </section>
  )
})
