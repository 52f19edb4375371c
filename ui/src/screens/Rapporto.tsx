import { useCallback, useEffect, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { save } from '@tauri-apps/plugin-dialog'
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { Bar } from 'react-chartjs-2'
import { messaggioErrore } from '../api'
import { dataIso, dataIt, euro, numero, conta } from '../format'
import type { SchermataProps } from '../navigazione'
import { ESTENSIONI, rapporto, type FormatoRapporto, type ImportiRapporto, type Rapporto as Dati } from '../comandi/rapporto'
import { SERIE_ATTESO, SERIE_INCASSATO } from '../colori'

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

/** `1 dovuto`, `3 dovuti`. */
function quanti(n: number, uno: string, molti: string): string {
  return conta(n, uno, molti)
}

/** Debtors shown on screen; the PDF and the Excel file have them all. */
const MAX_MOROSI = 200

function Celle({ i }: { i: ImportiRapporto }) {
  return (
    <>
      <td className="num">{numero(i.dovuti)}</td>
      <td className="num">{euro(i.atteso_cents)}</td>
      <td className="num">{euro(i.incassato_cents)}</td>
      <td className="num">{euro(i.residuo_cents)}</td>
      <td className="num">{euro(i.scaduto_cents)}</td>
    </>
  )
}

function Intestazione({ prima }: { prima: string }) {
  return (
    <thead>
      <tr>
        <th>{prima}</th>
        <th className="num">Dovuti</th>
        <th className="num">Atteso</th>
        <th className="num">Incassato</th>
        <th className="num">Da incassare</th>
        <th className="num">Scaduto</th>
      </tr>
    </thead>
  )
}

/** Resoconto: expected, collected, outstanding and overdue amounts by payment type and month,
 * the payers with overdue debts, saved as PDF or Excel for the ragioneria or the mayor. */
export default function Rapporto(_: SchermataProps) {
  const [dati, setDati] = useState<Dati | null>(null)
  /** The report's date, `YYYY-MM-DD`; empty: today. */
  const [oggi, setOggi] = useState('')
  const [lavoro, setLavoro] = useState<FormatoRapporto | null>(null)
  const [esito, setEsito] = useState<string | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  /** The date as the clerk is typing it (`gg/mm/aaaa`); null: shown from the report. */
  const [testoData, setTestoData] = useState<string | null>(null)
  const [erroreData, setErroreData] = useState<string | null>(null)
  const confermaData = () => {
    if (testoData === null) return
    const iso = dataIso(testoData)
    if (!iso) {
      setErroreData('Scriva la data come gg/mm/aaaa, ad esempio 31/12/2026.')
      return
    }
    setErroreData(null)
    setTestoData(null)
    setOggi(iso)
  }

  const carica = useCallback(async () => {
    try {
      setDati(await rapporto.calcola(oggi || undefined))
      setErrore(null)
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }, [oggi])
  useEffect(() => {
    void carica()
  }, [carica])

  const salva = async (formato: FormatoRapporto) => {
    const { nome, estensione } = ESTENSIONI[formato]
    const percorso = await save({
      title: `Salva il resoconto in ${nome}`,
      defaultPath: `resoconto-${dati?.data ?? 'entrate'}.${estensione}`,
      filters: [{ name: nome, extensions: [estensione] }],
    })
    if (!percorso) return
    const file = percorso.endsWith(`.${estensione}`) ? percorso : `${percorso}.${estensione}`
    setLavoro(formato)
    setErrore(null)
    setEsito(null)
    try {
      setDati(await rapporto.esporta(formato, file, oggi || undefined))
      setEsito(`Resoconto salvato in ${nome}: ${file}.`)
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const t = dati?.totale
  const carte: [string, number, string, string][] = t
    ? [
        ['Atteso', t.atteso_cents, quanti(t.dovuti, 'dovuto', 'dovuti'), 'primary'],
        ['Incassato', t.incassato_cents, quanti(t.pagati, 'dovuto pagato', 'dovuti pagati'), 'success'],
        ['Da incassare', t.residuo_cents, quanti(t.da_incassare, 'dovuto', 'dovuti'), 'warning'],
        ['Scaduto', t.scaduto_cents, quanti(t.scaduti, 'dovuto', 'dovuti'), 'danger'],
      ]
    : []
  const mesi = dati?.per_mese ?? []

  return (
    <section>
      <h1 className="h2 mb-2">Resoconto</h1>
      <p className="text-muted">
        Importi attesi, incassati, da incassare e scaduti, per tipo di dovuto e per mese di scadenza, con
        l'elenco dei debitori da sollecitare: da salvare in PDF o in Excel per la ragioneria o il Sindaco.
      </p>
      <div className="d-flex flex-wrap align-items-end gap-3 mb-3">
        <div>
          <label htmlFor="rapporto-data" className="form-label small mb-0">Situazione al</label>
          <input
            id="rapporto-data"
            type="text"
            inputMode="numeric"
            placeholder="gg/mm/aaaa"
            className={`form-control form-control-sm${erroreData ? ' is-invalid' : ''}`}
            style={{ maxWidth: '9rem' }}
            value={testoData ?? dataIt(oggi || dati?.data || '')}
            onChange={(e) => setTestoData(e.target.value)}
            onBlur={confermaData}
            onKeyDown={(e) => {
              if (e.key === 'Enter') confermaData()
            }}
            aria-invalid={erroreData ? true : undefined}
            aria-describedby={erroreData ? 'rapporto-data-errore' : undefined}
            data-testid="rapporto-data"
          />
          {erroreData && (
            <div id="rapporto-data-errore" className="invalid-feedback d-block">
              {erroreData}
            </div>
          )}
        </div>
        <Button color="primary" onClick={() => salva('pdf')} disabled={!dati || lavoro !== null} data-testid="rapporto-pdf">
          {lavoro === 'pdf' ? 'Salvataggio…' : 'Salva PDF…'}
        </Button>
        <Button color="primary" outline onClick={() => salva('xlsx')} disabled={!dati || lavoro !== null} data-testid="rapporto-xlsx">
          {lavoro === 'xlsx' ? 'Salvataggio…' : 'Salva Excel…'}
        </Button>
      </div>
      {errore && <Alert color="danger" data-testid="rapporto-errore">{errore}</Alert>}
      {esito && <Alert color="success" data-testid="rapporto-esito">{esito}</Alert>}
      {dati && (
        <>
          <h2 className="h5">
            {dati.ente ? `${dati.ente} – ` : ''}situazione al {dataIt(dati.data)}
          </h2>
          <div className="mpd-cards">
            {carte.map(([nome, cents, sotto, colore]) => (
              <div className={`mpd-card border-start border-4 border-${colore}`} key={nome} data-testid="rapporto-carta">
                <div>{nome}</div>
                <div className="n">{euro(cents)}</div>
                <div className="small">{sotto}</div>
              </div>
            ))}
          </div>

          <h2 className="h5 mt-4">Atteso e incassato per mese di scadenza</h2>
          {mesi.length === 0 ? (
            <p>Nessun dovuto con data di scadenza.</p>
          ) : (
            <div style={{ height: 280 }}>
              <Bar
                aria-label="Grafico: importi attesi e incassati per mese; i valori sono nella tabella per mese"
                role="img"
                data={{
                  labels: mesi.map((m) => m.etichetta),
                  datasets: [
                    { label: 'Atteso', data: mesi.map((m) => m.importi.atteso_cents / 100), ...SERIE_ATTESO },
                    { label: 'Incassato', data: mesi.map((m) => m.importi.incassato_cents / 100), ...SERIE_INCASSATO },
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
          )}

          <h2 className="h5 mt-4">Per tipo di dovuto</h2>
          <table className="table table-sm" data-testid="rapporto-tipi">
            <Intestazione prima="Tipo di dovuto" />
            <tbody>
              {dati.per_tipo.map((r) => (
                <tr key={r.tipo_dovuto}>
                  <td title={r.tipo_dovuto}>{r.descrizione}</td>
                  <Celle i={r.importi} />
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="fw-bold">
                <td>Totale</td>
                <Celle i={dati.totale} />
              </tr>
            </tfoot>
          </table>

          <details className="mt-2">
            <summary>Per mese di scadenza (valori del grafico)</summary>
            <table className="table table-sm" data-testid="rapporto-mesi">
              <Intestazione prima="Mese" />
              <tbody>
                {mesi.map((m) => (
                  <tr key={m.mese}>
                    <td>{m.etichetta}</td>
                    <Celle i={m.importi} />
                  </tr>
                ))}
                {dati.senza_scadenza.dovuti > 0 && (
                  <tr>
                    <td>Scadenza mancante o illeggibile</td>
                    <Celle i={dati.senza_scadenza} />
                  </tr>
                )}
              </tbody>
            </table>
          </details>

          <h2 className="h5 mt-4">Debitori con dovuti scaduti</h2>
          {dati.morosi.length === 0 ? (
            <p data-testid="rapporto-nessun-moroso">Nessun dovuto scaduto.</p>
          ) : (
            <>
              <table className="table table-sm" data-testid="rapporto-morosi">
                <thead>
                  <tr>
                    <th>Codice pagatore</th>
                    <th>Nominativo</th>
                    <th className="num">Dovuti</th>
                    <th className="num">Importo</th>
                    <th>Prima scadenza</th>
                  </tr>
                </thead>
                <tbody>
                  {dati.morosi.slice(0, MAX_MOROSI).map((m) => (
                    <tr key={m.codice_pagatore} data-testid="rapporto-moroso">
                      <td className="font-monospace">{m.codice_pagatore}</td>
                      <td>{m.anagrafica}</td>
                      <td className="num">{m.dovuti}</td>
                      <td className="num">{euro(m.importo_cents)}</td>
                      <td>{dataIt(m.scadenza_piu_vecchia)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {dati.morosi.length > MAX_MOROSI && (
                <p className="small">
                  Sono mostrati i primi {numero(MAX_MOROSI)} debitori su {numero(dati.morosi.length)}: l'elenco
                  completo è nel PDF e nel file Excel.
                </p>
              )}
            </>
          )}

          <h2 className="h6 mt-4">Note</h2>
          <ul className="small text-muted" data-testid="rapporto-note">
            {dati.note.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
