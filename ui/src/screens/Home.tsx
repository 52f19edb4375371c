import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { Bar } from 'react-chartjs-2'
import type { Panoramica } from '../api'
import { euro, meseIt, statoColore, numero } from '../format'
import { StatoFlusso } from './Flussi'
import { useNaviga, type ParametriNavigazione, type SezioneId } from '../navigazione'
import { SERIE_ATTESO, SERIE_INCASSATO } from '../colori'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

export default function Home({ dati }: { dati: Panoramica }) {
  const mesi = dati.mensile.slice(-12)
  const a = dati.attenzione
  const naviga = useNaviga()
  // Each item of "Da controllare" opens the list it counts, already filtered.
  const voce = (testo: string, n: number, sezione: SezioneId, parametri: ParametriNavigazione, id: string) => (
    <li>
      <a
        href={`#${sezione}`}
        data-testid={`home-${id}`}
        onClick={(e) => {
          e.preventDefault()
          naviga(sezione, parametri)
        }}
      >
        {testo}: <strong>{n.toLocaleString('it-IT')}</strong>
      </a>
    </li>
  )
  return (
    <section>
      <h1 className="h2 mb-4">Home</h1>
      <h2 className="h5">Dovuti per stato</h2>
      <div className="mpd-cards">
        {dati.dovuti_per_stato.length === 0 && <p>Nessun dovuto.</p>}
        {dati.dovuti_per_stato.map((s) => (
          <div className={`mpd-card border-start border-4 border-${statoColore(s.stato)}`} key={s.stato}>
            <div className="text-capitalize">{s.etichetta}</div>
            <div className="n">{numero(s.numero)}</div>
            <div className="small">{euro(s.importo_cents)}</div>
          </div>
        ))}
      </div>

      <div className="row">
        <div className="col-lg-8">
          <h2 className="h5">Atteso e incassato per mese di scadenza</h2>
          <div style={{ height: 280 }}>
            <Bar
              aria-label="Grafico: importi attesi e incassati per mese; i valori sono nella tabella sotto"
              role="img"
              data={{
                labels: mesi.map((m) => meseIt(m.mese)),
                datasets: [
                  { label: 'Atteso', data: mesi.map((m) => m.atteso_cents / 100), ...SERIE_ATTESO },
                  { label: 'Incassato', data: mesi.map((m) => m.incassato_cents / 100), ...SERIE_INCASSATO },
                ],
              }}
              options={{
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                  tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${euro(Math.round(c.parsed.y! * 100))}` } },
                },
                scales: { y: { ticks: { callback: (v) => euro(Number(v) * 100).replace(',00', '') } } },
              }}
            />
          </div>
          <details className="mt-2">
            <summary>Tabella dei valori del grafico</summary>
            <table className="table table-sm">
              <thead>
                <tr><th>Mese</th><th className="num">Atteso</th><th className="num">Incassato</th></tr>
              </thead>
              <tbody>
                {mesi.map((m) => (
                  <tr key={m.mese}>
                    <td>{meseIt(m.mese)}</td>
                    <td className="num">{euro(m.atteso_cents)}</td>
                    <td className="num">{euro(m.incassato_cents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </div>
        <div className="col-lg-4">
          <h2 className="h5">Da controllare</h2>
          <ul className="list-unstyled">
            {voce('Dovuti scartati da MyPay', a.dovuti_scartati, 'dovuti', { stato: 'rejected' }, 'scartati')}
            {voce('Dovuti pronti da inviare', a.dovuti_pronti, 'dovuti', { stato: 'ready' }, 'pronti')}
            {voce('Flussi in attesa di esito', a.flussi_in_attesa, 'flussi', { inAttesa: true }, 'flussi-in-attesa')}
          </ul>
          <h2 className="h5 mt-4">Ultima sincronizzazione</h2>
          <p>{dati.ultima_sincronizzazione ?? 'Mai eseguita'}</p>
          <h2 className="h5 mt-4">Flussi recenti</h2>
          {dati.flussi_recenti.length === 0 ? (
            <p>Nessun flusso.</p>
          ) : (
            <table className="table table-sm">
              <thead><tr><th>Flusso</th><th>Stato</th><th className="num">Righe</th></tr></thead>
              <tbody>
                {dati.flussi_recenti.map((f) => (
                  <tr key={f.nome}><td className="text-break">{f.nome}</td><td><StatoFlusso stato={f.stato} scartate={f.righe_scartate} etichetta={f.etichetta} /></td><td className="num">{f.righe}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  )
}
