import { Fragment, useCallback, useEffect, useRef, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore } from '../api'
import type { SchermataProps } from '../navigazione'
import { useNaviga } from '../navigazione'
import {
  AVANZAMENTO_INIZIALE,
  aggiorna,
  concludi,
  type StatoAvanzamento,
} from '../comandi/avanzamento'
import {
  azioneReinvio,
  esitoFlusso,
  costruisciTimeline,
  dataOraIt,
  flussi,
  type DaInviare,
  type DettaglioFlusso,
  type EsitoInvio,
  type FlussoRiga,
  coloreLivello,
} from '../comandi/flussi'
import ConnessioneMyPay from './ConnessioneMyPay'
import { BarraAvanzamento } from './BarraAvanzamento'
import { euro, numero } from '../format'
import { Distintivo } from './Distintivo'

/** Flussi: build flows from ready debts, send them to MyPay with progress and cancel, follow
 * each flow's timeline, jump from a rejected row to its debt, re-send. */
export default function Flussi({ ricarica, parametri }: SchermataProps) {
  const naviga = useNaviga()
  const [elenco, setElenco] = useState<FlussoRiga[]>([])
  const [scelto, setScelto] = useState<number | null>(null)
  const [dettaglio, setDettaglio] = useState<DettaglioFlusso | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [messaggio, setMessaggio] = useState<{ testo: string; colore: string } | null>(null)
  const [lavoro, setLavoro] = useState<'prepara' | 'invia' | null>(null)
  const [av, setAv] = useState<StatoAvanzamento>(AVANZAMENTO_INIZIALE)
  const [corrente, setCorrente] = useState<string>('')
  // The list's own loading error, apart from the outcome of a send (a reload after a send
  // must not wipe the send's error).
  const [erroreElenco, setErroreElenco] = useState<string | null>(null)
  const ultimoAggiornamento = useRef(0)

  // What would go, per payment type (issue 13): shown before preparing, with a choice of type.
  const [attesa, setAttesa] = useState<DaInviare | null>(null)
  const [tipoScelto, setTipoScelto] = useState('')
  // Arrived from the Home's "Flussi in attesa di esito": only those, until "Mostra tutti".
  const [soloInAttesa, setSoloInAttesa] = useState(parametri?.inAttesa === true)

  const carica = useCallback(async () => {
    try {
      const l = await flussi.elenco()
      setElenco(l)
      // The summary is an aid: if it cannot be read, the list still shows.
      flussi.daInviare().then(setAttesa, () => setAttesa(null))
      setErroreElenco(null)
      return l
    } catch (e) {
      setErroreElenco(messaggioErrore(e))
      return []
    }
  }, [])

  useEffect(() => {
    carica().then((l) => {
      const daParametro = parametri?.flusso ? l.find((f) => f.nome === parametri.flusso || String(f.id) === parametri.flusso) : undefined
      if (daParametro) setScelto(daParametro.id)
    })
  }, [carica, parametri?.flusso])

  useEffect(() => {
    if (scelto == null) {
      setDettaglio(null)
      return
    }
    let vivo = true
    flussi
      .dettaglio(scelto)
      .then((d) => vivo && setDettaglio(d))
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
  }, [scelto, elenco])

  const prepara = async () => {
    setLavoro('prepara')
    setMessaggio(null)
    setErrore(null)
    try {
      const r = await flussi.prepara(tipoScelto)
      setMessaggio({
        testo: r.riepilogo.testo + (r.flussi.length === 0 && r.esclusi.length === 0 ? ' Segna i dovuti come pronti in «Dovuti».' : ''),
        colore: coloreLivello(r.riepilogo.livello),
      })
      await carica()
      ricarica()
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const invia = async (opzioni: { ids?: number[]; prepara?: boolean } = {}) => {
    setLavoro('invia')
    setMessaggio(null)
    setErrore(null)
    setCorrente('')
    setAv({ ...AVANZAMENTO_INIZIALE, attivo: true, testo: 'Connessione a MyPay…' })
    try {
      const esito: EsitoInvio = await flussi.invia(opzioni, (a) => {
        if (a.tipo === 'flusso') {
          setCorrente(`Flusso ${a.indice} di ${a.totale}: ${a.nome}`)
          setAv((s) => ({ ...s, percentuale: null }))
        } else {
          setAv((s) => aggiorna(s, a.evento))
          // Each persisted step changes a row: refresh the list, at most twice a second.
          const ora = Date.now()
          if (a.evento.tipo === 'step' && ora - ultimoAggiornamento.current > 500) {
            ultimoAggiornamento.current = ora
            void carica()
          }
        }
      })
      // The summary and its colour come from the application layer: a send in which a flow
      // did not go is red and names it.
      if (esito.riepilogo.livello === 'errore') setErrore(esito.riepilogo.testo)
      else setMessaggio({ testo: esito.riepilogo.testo, colore: coloreLivello(esito.riepilogo.livello) })
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
      setAv(concludi)
      await carica()
      ricarica()
    }
  }

  const inCorso = elenco.filter((f) => f.stato !== 'done' && f.stato !== 'aborted').length
  const mostrati = soloInAttesa ? elenco.filter((f) => f.stato !== 'done' && f.stato !== 'aborted') : elenco
  const timeline = dettaglio ? costruisciTimeline(dettaglio.flusso, dettaglio.eventi) : []
  const reinvio = dettaglio ? azioneReinvio(dettaglio.flusso) : null

  return (
    <section>
      <h1 className="h2 mb-3">Flussi</h1>
      <ConnessioneMyPay />
      <p className="text-muted">
        Prepari i flussi con i dovuti pronti e li invii a MyPay: l'invio prosegue da solo fino all'esito di ogni
        riga. Se lo annulla, quanto già fatto resta salvato e riprende al prossimo invio.
      </p>
      {attesa && attesa.numero > 0 && (
        <div className="mb-3" data-testid="flussi-da-inviare">
          <h2 className="h5">In attesa di invio</h2>
          <table className="table table-sm w-auto">
            <caption className="visually-hidden">Dovuti in attesa di invio, per tipo dovuto</caption>
            <thead>
              <tr>
                <th scope="col">Tipo dovuto</th>
                <th scope="col" className="num">Nuovi</th>
                <th scope="col" className="num">Modifiche</th>
                <th scope="col" className="num">Annullamenti</th>
                <th scope="col" className="num">Importo</th>
              </tr>
            </thead>
            <tbody>
              {attesa.tipi.map((g) => (
                <tr key={g.tipo} data-tipo={g.tipo}>
                  <td>{g.descrizione ? `${g.descrizione} (${g.tipo})` : g.tipo}</td>
                  <td className="num">{g.nuovi}</td>
                  <td className="num">{g.modifiche}</td>
                  <td className="num">{g.annullamenti}</td>
                  <td className="num">{euro(g.importo_cents)}</td>
                </tr>
              ))}
            </tbody>
            {attesa.tipi.length > 1 && (
              <tfoot>
                <tr className="fw-semibold">
                  <td>Totale</td>
                  <td className="num" colSpan={3}>{attesa.numero}</td>
                  <td className="num">{euro(attesa.importo_cents)}</td>
                </tr>
              </tfoot>
            )}
          </table>
          {attesa.tipi.length > 1 && (
            <div className="d-flex align-items-center gap-2">
              <label htmlFor="flussi-tipo" className="form-label mb-0">Prepari</label>
              <select
                id="flussi-tipo"
                className="form-select form-select-sm w-auto"
                value={tipoScelto}
                onChange={(e) => setTipoScelto(e.target.value)}
                data-testid="flussi-tipo"
              >
                <option value="">tutti i tipi dovuto</option>
                {attesa.tipi.map((g) => (
                  <option key={g.tipo} value={g.tipo}>
                    solo {g.descrizione || g.tipo}
                  </option>
                ))}
              </select>
            </div>
          )}
        </div>
      )}
      <div className="d-flex gap-2 flex-wrap mb-3">
        <Button color="primary" outline onClick={prepara} disabled={lavoro !== null} data-testid="flussi-prepara">
          {lavoro === 'prepara' ? 'Preparazione…' : 'Prepara i flussi'}
        </Button>
        <Button color="primary" onClick={() => invia()} disabled={lavoro !== null} data-testid="flussi-invia">
          {lavoro === 'invia' ? 'Invio in corso…' : `Invia a MyPay${inCorso ? ` (${inCorso})` : ''}`}
        </Button>
        {lavoro === 'invia' && (
          <Button color="danger" outline onClick={() => void flussi.annulla()} data-testid="flussi-annulla">
            Annulla
          </Button>
        )}
      </div>

      {(av.attivo || av.registro.length > 0) && (
        <div className="mb-3" data-testid="flussi-progresso" aria-live="polite">
          {corrente && <div className="fw-semibold">{corrente}</div>}
          <BarraAvanzamento
            percentuale={av.percentuale}
            attivo={av.attivo}
            etichetta="Avanzamento dell'invio"
            className="my-1"
          />
          <div className="small">{av.testo}</div>
        </div>
      )}
      {messaggio && <Alert color={messaggio.colore}>{messaggio.testo}</Alert>}
      {(errore || erroreElenco) && (
        <Alert color="danger" style={{ whiteSpace: 'pre-line' }}>
          {[errore, erroreElenco].filter(Boolean).join('\n')}
        </Alert>
      )}

      <div className="row">
        <div className={dettaglio ? 'col-lg-7' : 'col-12'}>
          {soloInAttesa && (
            <p className="d-flex align-items-center gap-2 flex-wrap" data-testid="flussi-solo-in-attesa">
              <span>
                Sono elencati solo i flussi in attesa di esito ({numero(inCorso)}).
              </span>
              <Button color="primary" outline size="sm" onClick={() => setSoloInAttesa(false)}>
                Mostra tutti i flussi
              </Button>
            </p>
          )}
          {mostrati.length === 0 ? (
            <p>{soloInAttesa && elenco.length > 0 ? 'Nessun flusso in attesa di esito.' : 'Nessun flusso: prepari i flussi con i dovuti pronti.'}</p>
          ) : (
            <table className="table table-sm table-hover">
              <thead>
                <tr>
                  <th>Flusso</th>
                  <th>Stato</th>
                  <th className="num">Righe</th>
                  <th className="num">Caricate</th>
                  <th className="num">Scartate</th>
                  <th>Aggiornato</th>
                </tr>
              </thead>
              <tbody>
                {mostrati.map((f) => (
                  <tr
                    key={f.id}
                    data-testid="flusso-riga"
                    data-nome={f.nome}
                    data-stato={f.stato}
                    className={scelto === f.id ? 'table-active' : ''}
                    style={{ cursor: 'pointer' }}
                    onClick={() => setScelto(f.id)}
                    tabIndex={0}
                    onKeyDown={(e) => {
                      // Enter or Space opens the flow's timeline (issue 13, item 16).
                      if ((e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
                        e.preventDefault()
                        setScelto(f.id)
                      }
                    }}
                  >
                    <td className="small">
                      <NomeFlusso nome={f.nome} />
                    </td>
                    <td>
                      <StatoFlusso stato={f.stato} scartate={f.scartate} etichetta={f.etichetta} />
                      {f.ultimo_errore && f.stato !== 'done' && (
                        <div className="small text-danger" title={f.ultimo_errore}>
                          ultimo tentativo non riuscito
                        </div>
                      )}
                    </td>
                    <td className="num">{f.righe}</td>
                    <td className="num">{f.caricate}</td>
                    <td className="num">{f.scartate}</td>
                    <td className="small">{dataOraIt(f.aggiornato_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
        <div className={dettaglio ? 'col-lg-5' : 'd-none'}>
          {dettaglio && (
            <div className="border rounded p-3">
              <h2 className="h5">
                <NomeFlusso nome={dettaglio.flusso.nome} />
              </h2>
              <ol className="list-unstyled" data-testid="flusso-timeline">
                {timeline.map((t) => (
                  <li key={t.codice} className="d-flex gap-2 mb-2" data-tappa={t.codice} data-stato={t.stato}>
                    <span aria-hidden="true" className={`fw-bold text-${t.stato === 'fatto' ? 'success' : t.stato === 'errore' ? 'danger' : t.stato === 'corrente' ? 'primary' : 'secondary'}`}>
                      {t.stato === 'fatto' ? '●' : t.stato === 'errore' ? '✕' : t.stato === 'corrente' ? '◐' : '○'}
                    </span>
                    <div>
                      <div className={t.stato === 'da_fare' ? 'text-muted' : ''}>
                        {t.etichetta}
                        {t.stato === 'corrente' && ' (in attesa)'}
                      </div>
                      {t.quando && <div className="small text-muted">{dataOraIt(t.quando)}</div>}
                      {t.nota && <div className="small">{t.nota}</div>}
                    </div>
                  </li>
                ))}
              </ol>
              {dettaglio.flusso.ultimo_errore && dettaglio.flusso.stato !== 'done' && (
                <Alert color="warning" className="small">
                  Ultimo errore ({dettaglio.flusso.tentativi} tentativi): {dettaglio.flusso.ultimo_errore}
                </Alert>
              )}
              {reinvio && (
                <Button
                  color="primary"
                  outline
                  size="sm"
                  className="mb-3"
                  disabled={lavoro !== null}
                  data-testid="flusso-reinvia"
                  onClick={() =>
                    reinvio === 'riprendi' ? invia({ ids: [dettaglio.flusso.id] }) : invia({ prepara: true })
                  }
                >
                  {reinvio === 'riprendi' ? 'Riprendi l’invio di questo flusso' : 'Prepara e invia i dovuti corretti'}
                </Button>
              )}
              {dettaglio.scarti.length > 0 && (
                <>
                  <h3 className="h6">Righe scartate ({dettaglio.scarti.length})</h3>
                  <p className="small text-muted">Apra un dovuto per correggerlo; poi «Prepara e invia i dovuti corretti».</p>
                  <ul className="list-group">
                    {dettaglio.scarti.map((s) => (
                      <li key={s.iud} className="list-group-item p-0">
                        <button
                          type="button"
                          className="btn btn-link text-start w-100 p-2"
                          data-testid="flusso-scarto"
                          data-iud={s.iud}
                          onClick={() => naviga('dovuti', { iud: s.iud })}
                        >
                          <span className="fw-semibold">
                            {s.sorgente_riga != null ? `Riga ${s.sorgente_riga} del file` : `Riga ${s.riga} del flusso`} · {s.iud}
                          </span>
                          {s.stato_dovuto === 'ready' && <Distintivo colore="success" className="ms-2">corretto</Distintivo>}
                          <div className="small text-danger">{s.spiegazione || 'MyPay ha scartato la riga senza indicarne il motivo.'}</div>
                        </button>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  )
}

/** A flow's state: the badge (icon and label) and, once processed, whether MyPay rejected rows,
 * in words (not by the badge's colour alone). */
export function StatoFlusso({ stato, scartate, etichetta }: { stato: string; scartate: number; etichetta: string }) {
  const e = esitoFlusso({ stato, scartate })
  return (
    <>
      <Distintivo colore={e.colore} data-testid="flusso-stato">
        <span aria-hidden="true">{e.icona} </span>
        {etichetta}
      </Distintivo>
      {e.nota && <div className="small" data-testid="flusso-esito">{e.nota}</div>}
    </>
  )
}

/** A flow's name (`<codIpa>-<IUF>-<versione>.zip`) that wraps only after its dashes, never in
 * the middle of the IUF. */
export function NomeFlusso({ nome }: { nome: string }) {
  const parti = nome.split('-')
  return (
    <span>
      {parti.map((p, i) => (
        <Fragment key={i}>
          <span className="text-nowrap">{p}</span>
          {i < parti.length - 1 && (
            <>
              -<wbr />
            </>
          )}
        </Fragment>
      ))}
    </span>
  )
}
