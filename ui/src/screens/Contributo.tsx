// Contributo: the regional contribution for the stored profile (percentage and its reason), the
// estimated expense items, the requested/granted/received amounts with a chart, the summary
// report, and a what-if panel computed with the same rules.
import { useCallback, useEffect, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { save } from '@tauri-apps/plugin-dialog'
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js'
import { Bar } from 'react-chartjs-2'
import { messaggioErrore } from '../api'
import { centsDaTesto, dataIso, dataIt, euro } from '../format'
import type { SchermataProps } from '../navigazione'
import { useNaviga } from '../navigazione'
import {
  adesione,
  euroDecimale,
  numeroGrafico,
  useTabelle,
  type Esito,
  type Simulazione,
  type StatoContributo,
  type VoceNuova,
} from '../comandi/adesione'
import { Distintivo } from './Distintivo'
import { COLORI_CONTRIBUTO } from '../colori'

/** The props that mark a field the shown refusal is about (issue 13, item 16): invalid, and
 * described by the message. The back end's refusal names no field, so the window finds them
 * by its own reading (an amount, a date, a whole number). */
function segnato(errato: boolean, idMessaggio: string) {
  return errato ? { 'aria-invalid': true as const, 'aria-describedby': idMessaggio } : {}
}
const classeCampo = (errato: boolean) => `form-control ${errato ? 'is-invalid' : ''}`
const POPOLAZIONE = /^\s*(\d{1,3}(\.\d{3})*|\d+)\s*$/

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

const MOVIMENTI = [
  { codice: 'richiesto', nome: 'Richiesto' },
  { codice: 'concesso', nome: 'Concesso' },
  { codice: 'incassato', nome: 'Incassato' },
] as const

/**
 * The reason without the percentage it begins with (`80%: comune montano…` → `Comune montano…`):
 * the window prints the percentage already, next to it (the CLI and the PDF print the reason
 * alone, so the library keeps it whole).
 */
export function motivoSenzaPercentuale(esito: Pick<Esito, 'percentuale' | 'motivo'>): string {
  const prefisso = `${esito.percentuale}%: `
  if (!esito.motivo.startsWith(prefisso)) return esito.motivo
  const resto = esito.motivo.slice(prefisso.length)
  return resto.charAt(0).toUpperCase() + resto.slice(1)
}

function Percentuale({ esito, errore }: { esito: Esito | null; errore: string | null }) {
  return (
    <div className="d-flex align-items-center gap-4 flex-wrap">
      <div className="display-4 fw-bold" data-testid="contributo-percentuale" data-percentuale={esito ? esito.percentuale : undefined}>
        {esito ? `${esito.percentuale}%` : '—'}
      </div>
      <div className="flex-grow-1" style={{ minWidth: 260 }}>
        <p className="lead mb-1" data-testid="contributo-motivo">{esito ? motivoSenzaPercentuale(esito) : errore}</p>
        {esito?.provvisorio && <Distintivo colore="warning">Provvisorio: da confermare</Distintivo>}
      </div>
    </div>
  )
}

function Simulatore() {
  const { tipi_ente: TIPI_ENTE, modalita: MODALITA } = useTabelle()
  const [s, setS] = useState<Simulazione>({ tipo_ente: 'comune', popolazione: '', modalita: ['base', 'per-flussi'], spesa: '' })
  const [esito, setEsito] = useState<Esito | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  useEffect(() => {
    let vivo = true
    const t = setTimeout(() => {
      adesione
        .simula(s)
        .then((e) => { if (vivo) { setEsito(e); setErrore(null) } })
        .catch((e) => { if (vivo) { setEsito(null); setErrore(messaggioErrore(e)) } })
    }, 200)
    return () => { vivo = false; clearTimeout(t) }
  }, [s])
  const popErrata = !!errore && !POPOLAZIONE.test(s.popolazione)
  const spesaErrata = !!errore && s.spesa.trim() !== '' && centsDaTesto(s.spesa) === null
  return (
    <div className="border rounded p-3">
      <h2 className="h5">Simulazione</h2>
      <p className="small text-muted">Con le stesse regole: cambi tipo di ente, popolazione, modalità o spesa e veda la percentuale.</p>
      <div className="row">
        <div className="col-md-3 mb-2">
          <label htmlFor="sim-tipo" className="form-label small">Tipo di ente</label>
          <select id="sim-tipo" className="form-select" value={s.tipo_ente} onChange={(e) => setS({ ...s, tipo_ente: e.target.value })}>
            {TIPI_ENTE.map((t) => <option key={t.codice} value={t.codice}>{t.nome}</option>)}
          </select>
        </div>
        <div className="col-md-2 mb-2">
          <label htmlFor="sim-pop" className="form-label small">Popolazione</label>
          <input type="text" id="sim-pop" className={classeCampo(popErrata)} {...segnato(popErrata, 'sim-errore')} value={s.popolazione} placeholder="es. 3.000" onChange={(e) => setS({ ...s, popolazione: e.target.value })} />
        </div>
        <div className="col-md-2 mb-2">
          <label htmlFor="sim-spesa" className="form-label small">Spesa stimata (€)</label>
          <input type="text" id="sim-spesa" className={classeCampo(spesaErrata)} {...segnato(spesaErrata, 'sim-errore')} value={s.spesa} placeholder="es. 12.000,00" onChange={(e) => setS({ ...s, spesa: e.target.value })} />
        </div>
        <div className="col-md-5 mb-2">
          <span className="form-label small d-block">Modalità</span>
          {MODALITA.map((x) => (
            <div className="form-check form-check-inline" key={x.codice}>
              <input className="form-check-input" type="checkbox" id={`sim-${x.codice}`} checked={s.modalita.includes(x.codice)}
                onChange={(e) => setS({ ...s, modalita: e.target.checked ? [...s.modalita, x.codice] : s.modalita.filter((c) => c !== x.codice) })} />
              <label className="form-check-label" htmlFor={`sim-${x.codice}`}>{x.nome}</label>
            </div>
          ))}
        </div>
      </div>
      {errore && <div id="sim-errore" className="text-danger small">{errore}</div>}
      {esito && (
        <p className="mb-0" data-testid="simulazione-esito">
          <strong>{esito.percentuale}%</strong> — {motivoSenzaPercentuale(esito)}
          {esito.contributo && <> · contributo <strong>{euroDecimale(esito.contributo)}</strong></>}
          {esito.provvisorio && <Distintivo colore="warning" className="ms-2" data-testid="simulazione-provvisorio">Provvisorio: da confermare</Distintivo>}
          {esito.avvisi.length > 0 && <span className="d-block small text-muted">{esito.avvisi.join('; ')}</span>}
        </p>
      )}
    </div>
  )
}

export default function Contributo(_props: SchermataProps) {
  const naviga = useNaviga()
  const { modalita: MODALITA } = useTabelle()
  const [st, setSt] = useState<StatoContributo | null>(null)
  const [msg, setMsg] = useState<{ colore: string; testo: string } | null>(null)
  const [voce, setVoce] = useState<{ modo: 'preventivo' | 'costo'; descrizione: string; fornitore: string; riferimento: string; data: string; importo: string; costo: string; quantita: string }>(
    { modo: 'preventivo', descrizione: '', fornitore: '', riferimento: '', data: '', importo: '', costo: '', quantita: '1' })
  const [mov, setMov] = useState({ tipo: 'richiesto', importo: '', data: '', riferimento: '' })
  const [erroreVoce, setErroreVoce] = useState<string | null>(null)
  const [erroreMov, setErroreMov] = useState<string | null>(null)

  const carica = useCallback(() => {
    adesione.contributoStato().then(setSt).catch((e) => setMsg({ colore: 'danger', testo: messaggioErrore(e) }))
  }, [])
  useEffect(carica, [carica])

  if (!st) return <section><h1 className="h2">Contributo</h1>{msg ? <Alert color={msg.colore}>{msg.testo}</Alert> : <p>Caricamento…</p>}</section>

  const esito = st.calcolo
  const aggiungiVoce = async () => {
    const v: VoceNuova = {
      descrizione: voce.descrizione,
      fornitore: voce.fornitore || undefined,
      riferimento: voce.riferimento || undefined,
      data: voce.data || undefined,
    }
    if (voce.modo === 'preventivo') v.importo = voce.importo
    else {
      v.costo_standard = voce.costo
      const q = Number(voce.quantita)
      if (!Number.isInteger(q) || q < 1) {
        setErroreVoce('Numero di servizi: un numero intero da 1 in su')
        return
      }
      v.quantita = q
    }
    try {
      setSt(await adesione.voceAggiungi(v))
      setErroreVoce(null)
      setVoce({ ...voce, descrizione: '', fornitore: '', riferimento: '', data: '', importo: '' })
    } catch (e) {
      setErroreVoce(messaggioErrore(e))
    }
  }
  const aggiungiMov = async () => {
    try {
      setSt(await adesione.importoAggiungi(mov.tipo, mov.importo, mov.data, mov.riferimento || undefined))
      setErroreMov(null)
      setMov({ ...mov, importo: '', data: '', riferimento: '' })
    } catch (e) {
      setErroreMov(messaggioErrore(e))
    }
  }
  const quantitaErrata = (q: string) => !Number.isInteger(Number(q)) || Number(q) < 1 || q.trim() === ''
  const voceErrata = {
    importo: !!erroreVoce && voce.modo === 'preventivo' && centsDaTesto(voce.importo) === null,
    quantita: !!erroreVoce && voce.modo !== 'preventivo' && quantitaErrata(voce.quantita),
    data: !!erroreVoce && voce.data.trim() !== '' && dataIso(voce.data) === null,
  }
  const movErrato = {
    importo: !!erroreMov && centsDaTesto(mov.importo) === null,
    data: !!erroreMov && dataIso(mov.data) === null,
  }
  const salvaRiepilogo = async (ext: 'pdf' | 'xlsx') => {
    const f = await save({
      title: 'Salva il riepilogo del contributo',
      defaultPath: `riepilogo-contributo.${ext}`,
      filters: [ext === 'pdf' ? { name: 'PDF', extensions: ['pdf'] } : { name: 'Excel', extensions: ['xlsx'] }],
    })
    if (!f) return
    try {
      const p = await adesione.riepilogoSalva(f)
      setMsg({ colore: 'success', testo: `Riepilogo salvato in ${p}.` })
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    }
  }
  const costoNome = (c: string | undefined) => st.misura.costi_standard.find((x) => x.codice === c)?.descrizione ?? c
  const grafico = [
    { label: 'Richiesto', v: st.totali.richiesto, colore: COLORI_CONTRIBUTO.richiesto },
    { label: 'Concesso', v: st.totali.concesso, colore: COLORI_CONTRIBUTO.concesso },
    { label: 'Incassato', v: st.totali.incassato, colore: COLORI_CONTRIBUTO.incassato },
  ]

  return (
    <section>
      <div className="d-flex align-items-center gap-2 mb-3 flex-wrap">
        <h1 className="h2 me-auto mb-0">Contributo regionale</h1>
        <Button color="primary" outline size="sm" onClick={() => salvaRiepilogo('pdf')}>Riepilogo PDF</Button>
        <Button color="primary" outline size="sm" onClick={() => salvaRiepilogo('xlsx')}>Riepilogo Excel</Button>
      </div>
      <p className="small text-muted">{st.misura.nome} — {st.misura.atto}{st.misura.personalizzata ? ' (regole modificate dall’Ente)' : ''}</p>
      {msg && <Alert color={msg.colore}>{msg.testo}</Alert>}

      <div className="border rounded p-3 mb-4">
        <Percentuale esito={esito} errore={st.calcolo_errore} />
        {!esito && (
          <Button color="primary" outline size="sm" className="mt-2" onClick={() => naviga('ente')}>Completa il profilo in Ente e adesione</Button>
        )}
        {esito && (
          <div className="row mt-3">
            <div className="col-md-4"><div className="small text-muted">Spesa stimata</div><div className="h5">{euroDecimale(st.stima.totale)}{st.stima.incompleta ? ' (parziale)' : ''}</div></div>
            <div className="col-md-4"><div className="small text-muted">Contributo stimato</div><div className="h5">{euroDecimale(esito.contributo)}</div></div>
            <div className="col-md-4"><div className="small text-muted">Modalità</div><div>{esito.modalita.map((c) => MODALITA.find((x) => x.codice === c)?.nome ?? c).join(', ') || '—'}</div></div>
          </div>
        )}
        {esito && esito.avvisi.length > 0 && <ul className="small mb-0 mt-2">{esito.avvisi.map((a, i) => <li key={i}>{a}</li>)}</ul>}
      </div>

      <h2 className="h4">Spesa stimata</h2>
      <table className="table table-sm align-middle">
        <thead><tr><th>Voce</th><th>Fornitore</th><th>Riferimento</th><th>Data</th><th>Valore</th><th className="num text-nowrap">Importo</th><th></th></tr></thead>
        <tbody>
          {st.stima.righe.length === 0 && <tr><td colSpan={7}>Nessuna voce: aggiungere i preventivi o i costi standard qui sotto.</td></tr>}
          {st.stima.righe.map((r) => (
            <tr key={r.voce.id ?? r.voce.descrizione}>
              <td>{r.voce.descrizione}</td>
              <td>{r.voce.fornitore ?? ''}</td>
              <td>{r.voce.riferimento ?? ''}</td>
              <td>{dataIt(r.voce.data)}</td>
              <td>{r.voce.tipo === 'preventivo' ? 'Preventivo' : `${costoNome(r.voce.codice)} × ${r.voce.quantita}`}
                {r.nota && <span className="d-block small text-warning-emphasis">{r.nota}</span>}</td>
              <td className="num text-nowrap">{euroDecimale(r.importo)}</td>
              <td>{r.voce.id != null && <Button color="danger" outline size="sm" onClick={async () => {
                try { setSt(await adesione.voceElimina(r.voce.id!)) } catch (e) { setMsg({ colore: 'danger', testo: messaggioErrore(e) }) }
              }}>Elimina</Button>}</td>
            </tr>
          ))}
        </tbody>
        <tfoot><tr><th colSpan={5}>Totale</th><th className="num text-nowrap">{euroDecimale(st.stima.totale)}</th><th></th></tr></tfoot>
      </table>
      <div className="border rounded p-3 mb-4">
        <h3 className="h6">Nuova voce di spesa</h3>
        <div className="row">
          <div className="col-xl-4 col-12 mb-2">
            <label htmlFor="voce-descrizione" className="form-label small">Descrizione</label>
            <input type="text" id="voce-descrizione" className="form-control" value={voce.descrizione} onChange={(e) => setVoce({ ...voce, descrizione: e.target.value })} placeholder="es. Adeguamento gestionale tributi" />
          </div>
          <div className="col-xl-4 col-md-6 mb-2">
            <span className="form-label small d-block">Valore</span>
            <div className="form-check form-check-inline">
              <input className="form-check-input" type="radio" id="voce-prev" checked={voce.modo === 'preventivo'} onChange={() => setVoce({ ...voce, modo: 'preventivo' })} />
              <label className="form-check-label" htmlFor="voce-prev">Preventivo del fornitore</label>
            </div>
            <div className="form-check form-check-inline">
              <input className="form-check-input" type="radio" id="voce-costo" checked={voce.modo === 'costo'} onChange={() => setVoce({ ...voce, modo: 'costo', costo: voce.costo || st.misura.costi_standard[0]?.codice || '' })} />
              <label className="form-check-label" htmlFor="voce-costo">Costo standard × numero</label>
            </div>
          </div>
          {voce.modo === 'preventivo' ? (
            <div className="col-xl-4 col-md-6 mb-2">
              <label htmlFor="voce-importo" className="form-label small">Importo (IVA inclusa se non detraibile)</label>
              <input type="text" id="voce-importo" className={classeCampo(voceErrata.importo)} {...segnato(voceErrata.importo, 'voce-errore')} value={voce.importo} placeholder="es. 7.320,00" onChange={(e) => setVoce({ ...voce, importo: e.target.value })} />
            </div>
          ) : (
            <>
              <div className="col-md-9 col-xl-6 mb-2">
                <label htmlFor="voce-costo-std" className="form-label small">Costo standard</label>
                <select id="voce-costo-std" className="form-select" value={voce.costo} onChange={(e) => setVoce({ ...voce, costo: e.target.value })}>
                  {st.misura.costi_standard.map((c) => (
                    <option key={c.codice} value={c.codice}>{c.descrizione} ({c.importo ? euroDecimale(c.importo) : 'importo da definire'}{c.da_verificare ? ', da verificare' : ''})</option>
                  ))}
                </select>
              </div>
              <div className="col-md-3 col-xl-2 mb-2">
                <label htmlFor="voce-quantita" className="form-label small">Numero</label>
                <input type="text" id="voce-quantita" className={classeCampo(voceErrata.quantita)} {...segnato(voceErrata.quantita, 'voce-errore')} value={voce.quantita} onChange={(e) => setVoce({ ...voce, quantita: e.target.value })} />
              </div>
            </>
          )}
          <div className="col-md-4 mb-2">
            <label htmlFor="voce-fornitore" className="form-label small">Fornitore</label>
            <input type="text" id="voce-fornitore" className="form-control" value={voce.fornitore} onChange={(e) => setVoce({ ...voce, fornitore: e.target.value })} />
          </div>
          <div className="col-md-4 mb-2">
            <label htmlFor="voce-rif" className="form-label small">Riferimento (n. preventivo, CIG)</label>
            <input type="text" id="voce-rif" className="form-control" value={voce.riferimento} onChange={(e) => setVoce({ ...voce, riferimento: e.target.value })} />
          </div>
          <div className="col-md-2 mb-2">
            <label htmlFor="voce-data" className="form-label small">Data</label>
            <input type="text" id="voce-data" className={classeCampo(voceErrata.data)} {...segnato(voceErrata.data, 'voce-errore')} value={voce.data} placeholder="gg/mm/aaaa" onChange={(e) => setVoce({ ...voce, data: e.target.value })} />
          </div>
          <div className="col-md-2 mb-2 d-flex align-items-end">
            <Button color="primary" onClick={aggiungiVoce}>Aggiungi voce</Button>
          </div>
        </div>
        {erroreVoce && <div id="voce-errore" className="text-danger small" role="alert">{erroreVoce}</div>}
      </div>

      <div className="mb-4">
        <h2 className="h5">Valori predefiniti della misura</h2>
        <ul className="small">
          {st.misura.costi_standard.map((c) => (
            <li key={c.codice}>
              {c.descrizione}: {c.importo ? euroDecimale(c.importo) : 'importo non ancora definito'}
              {c.da_verificare && <Distintivo colore="warning" className="ms-2">da verificare</Distintivo>}
            </li>
          ))}
          <li>Massimale: {st.misura.massimale ? euroDecimale(st.misura.massimale) : 'nessuno indicato'} <Distintivo colore="warning" className="ms-2">da verificare</Distintivo></li>
        </ul>
        {st.misura.da_verificare.length > 0 && (
          <details className="small">
            <summary>Da verificare sull'atto ({st.misura.da_verificare.length})</summary>
            <ul>{st.misura.da_verificare.map((d, i) => <li key={i}>{d}</li>)}</ul>
          </details>
        )}
      </div>

      <h2 className="h4">Importi richiesti, concessi, incassati</h2>
      <div className="row">
        <div className="col-lg-7">
          <table className="table table-sm align-middle">
            <thead><tr><th>Tipo</th><th>Data</th><th>Riferimento</th><th className="num text-nowrap">Importo</th><th></th></tr></thead>
            <tbody>
              {st.importi.length === 0 && <tr><td colSpan={5}>Nessun importo registrato.</td></tr>}
              {st.importi.map((x) => (
                <tr key={x.id ?? `${x.tipo}-${x.data}`}>
                  <td className="text-capitalize">{x.tipo}</td>
                  <td>{dataIt(x.data)}</td>
                  <td>{x.riferimento ?? ''}</td>
                  <td className="num text-nowrap">{euroDecimale(x.importo)}</td>
                  <td>{x.id != null && <Button color="danger" outline size="sm" onClick={async () => {
                    try { setSt(await adesione.importoElimina(x.id!)) } catch (e) { setMsg({ colore: 'danger', testo: messaggioErrore(e) }) }
                  }}>Elimina</Button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <div className="col-sm-6 mb-2">
              <label htmlFor="mov-tipo" className="form-label small">Tipo</label>
              <select id="mov-tipo" className="form-select" value={mov.tipo} onChange={(e) => setMov({ ...mov, tipo: e.target.value })}>
                {MOVIMENTI.map((x) => <option key={x.codice} value={x.codice}>{x.nome}</option>)}
              </select>
            </div>
            <div className="col-sm-6 mb-2">
              <label htmlFor="mov-importo" className="form-label small">Importo</label>
              <input type="text" id="mov-importo" className={classeCampo(movErrato.importo)} {...segnato(movErrato.importo, 'mov-errore')} value={mov.importo} placeholder="es. 7.456,00" onChange={(e) => setMov({ ...mov, importo: e.target.value })} />
            </div>
            <div className="col-sm-6 mb-2">
              <label htmlFor="mov-data" className="form-label small">Data</label>
              <input type="text" id="mov-data" className={classeCampo(movErrato.data)} {...segnato(movErrato.data, 'mov-errore')} value={mov.data} placeholder="gg/mm/aaaa" onChange={(e) => setMov({ ...mov, data: e.target.value })} />
            </div>
            <div className="col-sm-6 mb-2">
              <label htmlFor="mov-rif" className="form-label small">Riferimento</label>
              <input type="text" id="mov-rif" className="form-control" value={mov.riferimento} placeholder="es. decreto, reversale" onChange={(e) => setMov({ ...mov, riferimento: e.target.value })} />
            </div>
          </div>
          <Button color="primary" size="sm" onClick={aggiungiMov}>Registra importo</Button>
          {erroreMov && <div id="mov-errore" className="text-danger small mt-1" role="alert">{erroreMov}</div>}
        </div>
        <div className="col-lg-5">
          <div style={{ height: 240 }}>
            <Bar
              role="img"
              aria-label={`Grafico: richiesto ${euroDecimale(st.totali.richiesto)}, concesso ${euroDecimale(st.totali.concesso)}, incassato ${euroDecimale(st.totali.incassato)}`}
              data={{
                labels: grafico.map((g) => g.label),
                datasets: [{ label: 'Contributo', data: grafico.map((g) => numeroGrafico(g.v)), backgroundColor: grafico.map((g) => g.colore) }],
              }}
              options={{
                maintainAspectRatio: false,
                animation: false,
                plugins: {
                  legend: { display: false },
                  tooltip: { callbacks: { label: (c) => euroDecimale(grafico[c.dataIndex].v) } },
                },
                scales: { y: { beginAtZero: true, ticks: { callback: (v) => euro(Math.round(Number(v) * 100)).replace(',00', '') } } },
              }}
            />
          </div>
        </div>
      </div>

      <div className="mt-4 mb-5"><Simulatore /></div>
    </section>
  )
}
