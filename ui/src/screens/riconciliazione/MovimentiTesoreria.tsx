// The treasury entries (`tesoreria_movimenti`): each with its bolletta, date, amount, ordering
// party, causale (shortened; whole on request) and how it was read, and what it matched or
// why not. An entry matched to nothing shows the back end's suggestions, which are never
// applied: the clerk checks them. Those to check come first; a page of rows at a time.
import { useEffect, useState, type ReactNode } from 'react'
import { messaggioErrore } from '../../api'
import { Distintivo } from '../Distintivo'
import { NomeFlusso } from '../Flussi'
import { conta, dataIt, euro } from '../../format'
import { Paginazione } from './Paginazione'
import {
  ESITI_MOVIMENTO,
  causaleBreve,
  paginaDi,
  riconciliazione,
  type MovimentoVista,
} from '../../comandi/riconciliazione'
import type { DatiRiconciliazione } from './comune'

/** Rows per page of the treasury entries. */
export const MOVIMENTI_PER_PAGINA = 25

/** The entries to check first (not matched), then the others, each group by date. */
export function ordinaMovimenti(m: readonly MovimentoVista[]): MovimentoVista[] {
  const peso = (x: MovimentoVista) => (x.esito === 'abbinato' ? 1 : 0)
  return [...m].sort((a, b) => peso(a) - peso(b) || a.data_contabile.localeCompare(b.data_contabile))
}

function Causale({ m }: { m: MovimentoVista }) {
  const breve = causaleBreve(m.causale)
  if (breve === m.causale.replace(/\s+/g, ' ').trim()) return <div className="font-monospace small mpd-causale">{breve}</div>
  return (
    <details className="small">
      <summary className="font-monospace mpd-causale">{breve}</summary>
      <div className="font-monospace mpd-causale">{m.causale}</div>
    </details>
  )
}

export function MovimentiTesoreria({ dati, zona }: { dati: DatiRiconciliazione | null; zona: ReactNode }) {
  const [movimenti, setMovimenti] = useState<MovimentoVista[] | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [pagina, setPagina] = useState(0)
  // Read again whenever the screen's data is (an import, the rules).
  useEffect(() => {
    let vivo = true
    riconciliazione
      .movimentiTesoreria()
      .then((m) => {
        if (!vivo) return
        setMovimenti(ordinaMovimenti(m))
        setErrore(null)
      })
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
  }, [dati])

  const p = paginaDi(movimenti ?? [], pagina, MOVIMENTI_PER_PAGINA)
  const daVerificare = (movimenti ?? []).filter((m) => m.esito !== 'abbinato').length
  return (
    <section aria-labelledby="ric-tesoreria-titolo" className="mb-4">
      <h2 id="ric-tesoreria-titolo" className="h4">Movimenti di tesoreria</h2>
      {zona}
      {errore && <p className="text-danger" role="alert">Movimenti di tesoreria: {errore}</p>}
      {movimenti && movimenti.length === 0 && (
        <p data-testid="riconciliazione-tesoreria-vuoto">
          Nessun movimento di tesoreria: importi il giornale di cassa con «Importa il giornale di cassa…» o lo
          trascini nella finestra. Dice quali flussi e quali pagamenti sono davvero arrivati in tesoreria.
        </p>
      )}
      {movimenti && movimenti.length > 0 && (
        <>
          <p className="small" data-testid="riconciliazione-tesoreria-sintesi">
            {conta(movimenti.length, 'movimento', 'movimenti')}
            {daVerificare > 0 ? `, ${conta(daVerificare, 'da verificare', 'da verificare')} (elencati per primi)` : ', tutti abbinati'}.
            {' '}I suggerimenti non sono applicati: li verifichi con il PSP o con la tesoreria.
          </p>
          <div className="table-responsive">
            <table className="table table-sm align-top" data-testid="riconciliazione-movimenti">
              <caption className="visually-hidden">
                {`Movimenti di tesoreria con l’abbinamento: ${conta(movimenti.length, 'movimento', 'movimenti')}` +
                  (p.pagine > 1 ? `, pagina ${p.pagina + 1} di ${p.pagine}` : '')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Bolletta</th>
                  <th scope="col" className="num">Importo</th>
                  <th scope="col">Ordinante e causale</th>
                  <th scope="col">Abbinamento</th>
                </tr>
              </thead>
              <tbody>
                {p.righe.map((m) => (
                  <tr key={`${m.anno}/${m.bolletta}`} data-testid="riconciliazione-movimento" data-bolletta={`${m.anno}/${m.bolletta}`}
                    data-esito={m.esito}>
                    <td className="text-nowrap">
                      <div>{m.anno}/{m.bolletta}</div>
                      <div className="small">{dataIt(m.data_contabile)}</div>
                    </td>
                    <td className="num text-nowrap">{euro(m.importo_cents)}</td>
                    <td className="mpd-cella-causale">
                      <div>{m.ordinante || <span className="text-muted">ordinante non indicato</span>}</div>
                      <Causale m={m} />
                      <div className="small text-muted">{m.lettura}</div>
                    </td>
                    <td className="mpd-cella-abbinamento">
                      <Distintivo colore={ESITI_MOVIMENTO[m.esito]?.tono}>{ESITI_MOVIMENTO[m.esito]?.nome ?? m.esito}</Distintivo>
                      <div className="small">{m.motivo}</div>
                      {m.suggerimenti.length > 0 && (
                        <div className="small mt-1" data-testid="riconciliazione-suggerimenti">
                          <div className="fw-semibold">Forse (da verificare, non applicato):</div>
                          <ul className="mb-0 ps-3">
                            {m.suggerimenti.map((s) => (
                              <li key={s.iuf}>
                                <NomeFlusso nome={s.iuf} />: {s.motivo}
                              </li>
                            ))}
                          </ul>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Paginazione pagina={p.pagina} pagine={p.pagine} setPagina={setPagina} etichetta="Pagine dei movimenti di tesoreria" />
        </>
      )}
    </section>
  )
}
