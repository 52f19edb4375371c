// The payments by state: a bar chart to look at and the same figures as a table to read, the
// anomalies marked in words (not by colour alone). A state's name filters the list below.
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from 'chart.js'
import { Bar } from 'react-chartjs-2'
import { TONI } from '../../colori'
import { conta, euro, numero } from '../../format'
import type { FiltroPagamenti, TotaleStato } from '../../comandi/riconciliazione'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip)

/** A state's name on lines of about `larghezza` characters: the chart's axis gives its labels
 * a part of the width and cuts what does not fit. */
export function aCapo(nome: string, larghezza = 18): string[] {
  const righe: string[] = []
  for (const parola of nome.split(' ')) {
    const ultima = righe[righe.length - 1]
    if (ultima !== undefined && ultima.length + 1 + parola.length <= larghezza) righe[righe.length - 1] = `${ultima} ${parola}`
    else righe.push(parola)
  }
  return righe
}

export function TotaliStato({ totali, filtra }: { totali: TotaleStato[]; filtra: (f: FiltroPagamenti) => void }) {
  const anomalie = totali.filter((t) => t.anomalia)
  const nAnomalie = anomalie.reduce((n, t) => n + t.numero, 0)
  const importoAnomalie = anomalie.reduce((n, t) => n + t.importo_cents, 0)
  const numeroTotale = totali.reduce((n, t) => n + t.numero, 0)
  const importoTotale = totali.reduce((n, t) => n + t.importo_cents, 0)
  return (
    <section aria-labelledby="ric-totali-titolo" className="mb-4">
      <h2 id="ric-totali-titolo" className="h4">Pagamenti per stato</h2>
      {nAnomalie > 0 ? (
        <p className="mpd-anomalie-sintesi" data-testid="riconciliazione-anomalie-sintesi">
          <strong>{conta(nAnomalie, 'anomalia', 'anomalie')} da verificare</strong>, per {euro(importoAnomalie)}: sono
          elencate qui sotto con il motivo.
        </p>
      ) : (
        <p data-testid="riconciliazione-anomalie-sintesi">Nessuna anomalia da verificare.</p>
      )}
      <div className="row g-4 align-items-start">
        <div className="col-xl-7">
          <table className="table table-sm mb-0" data-testid="riconciliazione-totali">
            <caption className="visually-hidden">Numero e importo dei pagamenti per stato</caption>
            <thead>
              <tr>
                <th scope="col">Stato</th>
                <th scope="col" className="num">Pagamenti</th>
                <th scope="col" className="num">Importo</th>
              </tr>
            </thead>
            <tbody>
              {totali.map((t) => (
                <tr key={t.stato} data-stato={t.stato} data-anomalia={t.anomalia ? 'si' : 'no'} className={t.anomalia && t.numero > 0 ? 'mpd-riga-anomalia' : ''}>
                  <th scope="row" className="fw-normal">
                    <span aria-hidden="true" className="mpd-quadretto" style={{ backgroundColor: TONI[t.tono].sfondo }} />
                    {t.numero > 0 ? (
                      <button type="button" className="btn btn-link p-0 text-start align-baseline" onClick={() => filtra(t.stato)}
                        title="Mostra questi pagamenti nell’elenco">
                        {t.nome}
                      </button>
                    ) : (
                      t.nome
                    )}
                    {t.anomalia && t.numero > 0 && <span className="mpd-etichetta-anomalia ms-2">anomalia</span>}
                  </th>
                  <td className="num">{numero(t.numero)}</td>
                  <td className="num">{euro(t.importo_cents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="fw-semibold">
                <th scope="row">Totale</th>
                <td className="num">{numero(numeroTotale)}</td>
                <td className="num">{euro(importoTotale)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <div className="col-xl-5">
          <div style={{ height: 40 + 40 * totali.length }}>
            <Bar
              role="img"
              aria-label="Grafico: numero di pagamenti per stato; i valori sono nella tabella"
              data={{
                labels: totali.map((t) => aCapo(t.nome)),
                datasets: [
                  {
                    label: 'Pagamenti',
                    data: totali.map((t) => t.numero),
                    backgroundColor: totali.map((t) => TONI[t.tono].sfondo),
                    borderColor: totali.map((t) => TONI[t.tono].sfondo),
                    borderWidth: 1,
                  },
                ],
              }}
              options={{
                indexAxis: 'y',
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                  legend: { display: false },
                  tooltip: {
                    callbacks: {
                      label: (c) => {
                        const t = totali[c.dataIndex]
                        return `${conta(t.numero, 'pagamento', 'pagamenti')}, ${euro(t.importo_cents)}`
                      },
                    },
                  },
                },
                scales: {
                  x: { beginAtZero: true, ticks: { precision: 0, callback: (v) => numero(Number(v)) } },
                  // Every state keeps its label beside its bar (Chart.js would skip some of the nine).
                  y: { ticks: { color: '#17324d', autoSkip: false } },
                },
              }}
            />
          </div>
        </div>
      </div>
    </section>
  )
}
