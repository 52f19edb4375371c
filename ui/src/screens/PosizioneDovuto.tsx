// The position a debt belongs to (issue 14): its rata unica and instalments with their state,
// shown in the debt's form so the clerk sees the other ways of paying the same thing.
import { useEffect, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import type { VistaPosizione } from '../bindings'
import { dovuti } from '../comandi/dovuti'
import { conta, dataIt, euro } from '../format'

export function PosizioneDovuto({ iud }: { iud: string }) {
  const [p, setP] = useState<VistaPosizione | null>(null)
  const [esito, setEsito] = useState<{ ok: boolean; testo: string } | null>(null)
  const [occupato, setOccupato] = useState(false)
  useEffect(() => {
    let vivo = true
    setP(null)
    dovuti
      .posizione(iud)
      .then((v) => vivo && setP(v))
      // A debt's form works without it: the position is extra information.
      .catch(() => vivo && setP(null))
    return () => {
      vivo = false
    }
  }, [iud])
  if (!p) return null
  const pos = p
  const stampa = async () => {
    const scelto = await save({
      title: `Salva l'avviso della posizione ${pos.codice}`,
      defaultPath: `avviso-${pos.codice}.pdf`,
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    })
    if (!scelto) return
    const file = scelto.toLowerCase().endsWith('.pdf') ? scelto : `${scelto}.pdf`
    setOccupato(true)
    setEsito(null)
    try {
      const a = await dovuti.avvisoPosizione(pos.codice, file)
      setEsito({ ok: true, testo: `Avviso salvato in ${a.file} (${conta(a.pagine, 'pagina', 'pagine')}).` })
    } catch (e) {
      setEsito({ ok: false, testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
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
      <Button color="primary" outline size="sm" type="button" className="mt-2" onClick={stampa} disabled={occupato}
        data-testid="dovuto-posizione-avviso">
        {occupato ? 'Stampa in corso…' : 'Stampa l’avviso pagoPA…'}
      </Button>
      {esito && (
        <Alert color={esito.ok ? 'success' : 'danger'} className="mt-2 mb-0 small" data-testid="dovuto-posizione-esito">
          {esito.testo}
        </Alert>
      )}
    </section>
  )
}
