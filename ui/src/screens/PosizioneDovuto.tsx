// The position a debt belongs to (issue 14): its rata unica and instalments with their state,
// shown in the debt's form so the clerk sees the other ways of paying the same thing; while
// none is paid or on its way to MyPay, «Modifica le rate» changes amounts and due dates, adds
// and removes instalments (EditorRate), all saved together; and its pagoPA notice is printed.
import { useEffect, useState, type KeyboardEvent } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore } from '../api'
import type { TipoDovuto, VistaPosizione } from '../bindings'
import { dovuti } from '../comandi/dovuti'
import { posizioni, stampaAvviso } from '../comandi/posizioni'
import { conta, dataIt, euro } from '../format'
import { cambiDa, controllaRate, modificabile, problemiAlForm, statoDaPosizione, type StatoRate } from '../rate'
import { EditorRate } from './EditorRate'

export function PosizioneDovuto({ iud, tipi = [], tipo = '', stampabile = false, cambiata }: {
  iud: string
  /** A debt on its own with an IUV: its notice can be printed (a position of one). */
  stampabile?: boolean
  /** The Ente's payment types (the discount rule of this one). */
  tipi?: TipoDovuto[]
  /** This debt's payment type. */
  tipo?: string
  /** The instalments were changed and saved (the form and the list read again). */
  cambiata?: (messaggio: string) => void
}) {
  const [p, setP] = useState<VistaPosizione | null>(null)
  const [esito, setEsito] = useState<{ ok: boolean; testo: string } | null>(null)
  const [occupato, setOccupato] = useState(false)
  const [rate, setRate] = useState<StatoRate | null>(null)
  const [mostra, setMostra] = useState(false)
  const [server, setServer] = useState<{ campi: Record<string, string>; generali: string[] }>({ campi: {}, generali: [] })
  useEffect(() => {
    let vivo = true
    setP(null)
    setRate(null)
    dovuti
      .posizione(iud)
      .then((v) => vivo && setP(v))
      // A debt's form works without it: the position is extra information.
      .catch(() => vivo && setP(null))
    return () => {
      vivo = false
    }
  }, [iud])
  const stampa = async (codice: string) => {
    setEsito(null)
    setOccupato(true)
    try {
      const a = await stampaAvviso(codice)
      if (a) setEsito({ ok: true, testo: `Avviso salvato in ${a.file} (${conta(a.pagine, 'pagina', 'pagine')}).` })
    } catch (e) {
      setEsito({ ok: false, testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  const esitoStampa = esito && (
    <Alert color={esito.ok ? 'success' : 'danger'} className="mt-2 mb-0 small" data-testid="dovuto-posizione-esito">
      {esito.testo}
    </Alert>
  )
  if (!p) {
    // A debt on its own is a position of one: its notice, once MyPay gave it an IUV.
    if (!stampabile) return null
    return (
      <div className="mb-3" data-testid="dovuto-avviso-singolo">
        <Button color="primary" outline size="sm" type="button" onClick={() => void stampa(iud)} disabled={occupato}
          data-testid="dovuto-posizione-avviso">
          {occupato ? 'Stampa in corso…' : 'Stampa l’avviso pagoPA…'}
        </Button>
        {esitoStampa}
      </div>
    )
  }
  const pos = p
  const t = tipi.find((x) => x.codice === tipo)
  const sconto = t?.sconto_rata_unica ?? false
  const salvaRate = async () => {
    if (!rate) return
    setMostra(true)
    const c = controllaRate(rate, sconto, t?.scadenza_obbligatoria)
    if (Object.keys(c.campi).length || c.generali.length) return
    const cambi = cambiDa(pos, rate)
    if (!cambi.length) {
      setRate(null)
      return
    }
    setOccupato(true)
    setEsito(null)
    try {
      const r = await posizioni.cambiaRate(pos.codice, cambi)
      if (r.esito === 'salvata') {
        setRate(null)
        setMostra(false)
        setP(r.posizione)
        const testo = `Rate della posizione ${pos.codice} salvate; quelle già su MyPay partono col prossimo flusso.`
        setEsito({ ok: true, testo })
        cambiata?.(testo)
      } else {
        setServer(problemiAlForm(r.problemi, rate))
      }
    } catch (e) {
      setEsito({ ok: false, testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  // Enter in the editor saves the instalments, not the debt's form around it.
  const invio = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Enter' && (e.target as HTMLElement).tagName === 'INPUT') {
      e.preventDefault()
      void salvaRate()
    }
  }
  return (
    <section className="border rounded p-2 mb-3" aria-labelledby={`posizione-${iud}`} data-testid="dovuto-posizione">
      <h3 id={`posizione-${iud}`} className="h6 mb-1">
        Posizione {p.codice}
        {p.oggetto && <> — {p.oggetto}</>}: <span data-testid="posizione-stato">{p.stato}</span>
      </h3>
      {p.da_rimborsare_cents !== null && (
        <p className="small text-danger mb-1">Pagata in due modi: da rimborsare {euro(p.da_rimborsare_cents)}.</p>
      )}
      {p.sconto_cents > 0 && (
        <p className="small mb-1">Sconto per il pagamento in unica soluzione: {euro(p.sconto_cents)}.</p>
      )}
      <table className="table table-sm mb-0 small">
        <thead>
          <tr>
            <th scope="col">Opzione</th>
            <th scope="col" className="num">Importo</th>
            <th scope="col">Scadenza</th>
            <th scope="col">Stato</th>
          </tr>
        </thead>
        <tbody>
          {p.opzioni.map((o) => (
            <tr key={o.iud} aria-current={o.iud === iud ? 'true' : undefined} className={o.iud === iud ? 'fw-semibold' : undefined}>
              <td>
                {o.etichetta}
                {o.iud === iud && <span className="visually-hidden"> (questo dovuto)</span>}
              </td>
              <td className="num">{euro(o.importo_cents)}</td>
              <td>{o.scadenza ? dataIt(o.scadenza) : '—'}</td>
              <td>{o.stato}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rate ? (
        <div className="mt-2" onKeyDown={invio} data-testid="dovuto-posizione-rate">
          {server.generali.length > 0 && (
            <Alert color="danger" className="small mb-2">{server.generali.map((g) => <div key={g}>{g}</div>)}</Alert>
          )}
          <EditorRate valore={rate} cambia={(s) => { setRate(s); setServer({ campi: {}, generali: [] }) }} sconto={sconto}
            scadenzaObbligatoria={t?.scadenza_obbligatoria} erroriServer={server.campi} mostraErrori={mostra}
            unicaFissa={!p.opzioni.some((o) => o.rata === 0 && o.stato !== 'annullato')} prefisso={`pr-${iud}`} />
          <div className="d-flex flex-wrap gap-2">
            <Button color="primary" size="sm" type="button" onClick={() => void salvaRate()} disabled={occupato}
              data-testid="dovuto-posizione-salva-rate">
              {occupato ? 'Salvataggio…' : 'Salva le rate'}
            </Button>
            <Button color="secondary" outline size="sm" type="button" disabled={occupato}
              onClick={() => { setRate(null); setMostra(false); setServer({ campi: {}, generali: [] }) }}>
              Non modificare
            </Button>
          </div>
        </div>
      ) : (
        <div className="d-flex flex-wrap gap-2 mt-2">
          {modificabile(p) && (
            <Button color="primary" outline size="sm" type="button" disabled={occupato}
              onClick={() => { setEsito(null); setRate(statoDaPosizione(p)) }} data-testid="dovuto-posizione-modifica-rate">
              Modifica le rate…
            </Button>
          )}
          <Button color="primary" outline size="sm" type="button" onClick={() => void stampa(pos.codice)} disabled={occupato}
            data-testid="dovuto-posizione-avviso">
            {occupato ? 'Stampa in corso…' : 'Stampa l’avviso pagoPA…'}
          </Button>
        </div>
      )}
      {esitoStampa}
    </section>
  )
}
