// The payments with their state and reason, the anomalies first shown, filterable by state, a
// page of rows at a time (a year of a large Ente holds hundreds of thousands).
import { forwardRef } from 'react'
import { Distintivo } from '../Distintivo'
import { conta, dataIt, euro, numero } from '../../format'
import { Paginazione } from './Paginazione'
import {
  ORDINE_STATI,
  STATI,
  filtraPagamenti,
  importoDi,
  paginaDi,
  type FiltroPagamenti,
  type PagamentoVista,
} from '../../comandi/riconciliazione'

/** How the filter is described in the table's caption and its empty state. */
function descrizione(filtro: FiltroPagamenti): string {
  if (filtro === 'anomalie') return 'solo le anomalie'
  if (filtro === 'tutti') return 'tutti i pagamenti'
  return STATI[filtro]?.nome.toLowerCase() ?? filtro
}

interface Props {
  pagamenti: PagamentoVista[]
  filtro: FiltroPagamenti
  setFiltro: (f: FiltroPagamenti) => void
  pagina: number
  setPagina: (p: number) => void
}

export const ElencoPagamenti = forwardRef<HTMLHeadingElement, Props>(function ElencoPagamenti(
  { pagamenti, filtro, setFiltro, pagina, setPagina },
  titolo,
) {
  const filtrati = filtraPagamenti(pagamenti, filtro)
  const p = paginaDi(filtrati, pagina)
  const nAnomalie = pagamenti.filter((x) => x.anomalia).length
  const perStato = (s: string) => pagamenti.filter((x) => x.stato === s).length
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
            onChange={(e) => {
              setFiltro(e.target.value as FiltroPagamenti)
              setPagina(0)
            }}
          >
            <option value="anomalie">Solo le anomalie ({numero(nAnomalie)})</option>
            <option value="tutti">Tutti i pagamenti ({numero(pagamenti.length)})</option>
            {ORDINE_STATI.map((s) => (
              <option key={s} value={s}>
                {STATI[s].nome} ({numero(perStato(s))})
              </option>
            ))}
          </select>
        </div>
      </div>
      {filtrati.length === 0 ? (
        <p data-testid="riconciliazione-pagamenti-vuoto">
          {filtro === 'anomalie'
            ? 'Nessuna anomalia da verificare.'
            : `Nessun pagamento tra ${descrizione(filtro)}.`}
        </p>
      ) : (
        <>
          <table className="table table-sm align-top" data-testid="riconciliazione-pagamenti">
            <caption className="visually-hidden">
              {`Pagamenti, ${descrizione(filtro)}: ${conta(filtrati.length, 'pagamento', 'pagamenti')}` +
                (p.pagine > 1 ? `, pagina ${p.pagina + 1} di ${p.pagine}` : '')}
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
              {p.righe.map((x, i) => (
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
          <Paginazione pagina={p.pagina} pagine={p.pagine} setPagina={setPagina} etichetta="Pagine dell’elenco dei pagamenti" testid="riconciliazione" />
        </>
      )}
    </section>
  )
})
