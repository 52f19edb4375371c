// The reversal proposals (`riconciliazione_proposte`): for each treasury provisional receipt
// (bolletta) with a pagoPA reference, the split by chapter and accertamento, a residue line
// when the payments do not cover it; saved as Excel or CSV for the accounting package. Beside
// them, the collected amounts by chapter (`riconciliazione_totali`).
import { useEffect, useState } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore } from '../../api'
import { conta, dataIt, euro, numero } from '../../format'
import { Paginazione } from './Paginazione'
import { contabilita, paginaDi, type PropostaReversale, type Totali } from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'
import { chiediPercorso, oggiIso } from './salva'

/** Proposals per page. */
export const PROPOSTE_PER_PAGINA = 20

/** A proposal's line's chapter as the clerk reads it. */
function capitolo(r: PropostaReversale['righe'][number]): string {
  if (r.residuo) return 'Residuo'
  if (!r.capitolo) return 'capitolo non indicato'
  return r.articolo ? `${r.capitolo}/${r.articolo}` : r.capitolo
}

/** The collected amounts by chapter: a small table (the same figures go in the workbook). */
function IncassiPerCapitolo({ totali }: { totali: Totali }) {
  if (totali.per_capitolo.length === 0) return null
  return (
    <div className="mb-3">
      <h3 className="h5" id="ric-capitoli-titolo">Incassato per capitolo</h3>
      <table className="table table-sm mpd-tabella-stretta" data-testid="riconciliazione-capitoli" aria-labelledby="ric-capitoli-titolo">
        <thead>
          <tr>
            <th scope="col">Capitolo</th>
            <th scope="col" className="num">Pagamenti</th>
            <th scope="col" className="num">Importo</th>
          </tr>
        </thead>
        <tbody>
          {totali.per_capitolo.map((t) => (
            <tr key={t.chiave || '-'} data-capitolo={t.chiave}>
              <th scope="row" className="fw-normal">{t.etichetta}</th>
              <td className="num">{numero(t.pagamenti)}</td>
              <td className="num text-nowrap">{euro(t.importo_cents)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="fw-semibold">
            <th scope="row">Totale</th>
            <td className="num">{numero(totali.pagamenti)}</td>
            <td className="num text-nowrap">{euro(totali.totale_cents)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

export function ProposteReversale({ dati, esito, occupato, setOccupato }: SezioneProps) {
  const [proposte, setProposte] = useState<PropostaReversale[] | null>(null)
  const [totali, setTotali] = useState<Totali | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [pagina, setPagina] = useState(0)
  useEffect(() => {
    let vivo = true
    Promise.all([contabilita.proposte(), contabilita.totali()])
      .then(([p, t]) => {
        if (!vivo) return
        setProposte(p)
        setTotali(t)
        setErrore(null)
      })
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
  }, [dati])

  const salva = async (estensione: 'xlsx' | 'csv') => {
    const nome = estensione === 'xlsx' ? 'Excel' : 'CSV'
    try {
      const percorso = await chiediPercorso(
        `Salva le proposte di reversale in ${nome}`,
        `proposte-reversale-${oggiIso()}`,
        estensione,
        estensione === 'xlsx' ? 'Cartella di lavoro Excel' : 'CSV separato da punto e virgola',
      )
      if (!percorso) return
      setOccupato(true)
      esito(null)
      const r = await contabilita.salvaProposte(percorso)
      esito({ livello: 'successo', testo: r.testo })
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }

  const p = paginaDi(proposte ?? [], pagina, PROPOSTE_PER_PAGINA)
  return (
    <section aria-labelledby="ric-proposte-titolo" className="mb-4">
      <h2 id="ric-proposte-titolo" className="h4">Proposte di reversale</h2>
      <p className="small">
        Per ogni provvisorio di entrata della tesoreria con un riferimento pagoPA, la ripartizione per capitolo e
        accertamento dei pagamenti che copre (dal bilancio del dovuto, altrimenti dal capitolo del tipo di dovuto),
        pronta da riportare nel programma di contabilità. Se i pagamenti non coprono il provvisorio, una riga di
        residuo dice quanto manca.
      </p>
      {errore && <p className="text-danger" role="alert">Proposte di reversale: {errore}</p>}
      <div className="d-flex flex-wrap gap-2 mb-3">
        <Button color="primary" outline size="sm" onClick={() => salva('xlsx')} disabled={occupato} data-testid="riconciliazione-proposte-xlsx">
          Salva in Excel…
        </Button>
        <Button color="primary" outline size="sm" onClick={() => salva('csv')} disabled={occupato} data-testid="riconciliazione-proposte-csv">
          Salva in CSV…
        </Button>
      </div>
      {totali && <IncassiPerCapitolo totali={totali} />}
      {proposte && proposte.length === 0 && (
        <p data-testid="riconciliazione-proposte-vuoto">
          Nessuna proposta di reversale: servono i movimenti di tesoreria con il riferimento di un flusso o di un
          pagamento. Importi il giornale di cassa.
        </p>
      )}
      {proposte && proposte.length > 0 && (
        <>
          <h3 className="h5">Per bolletta</h3>
          <div className="table-responsive">
            <table className="table table-sm align-top" data-testid="riconciliazione-proposte">
              <caption className="visually-hidden">
                {`Proposte di reversale per bolletta: ${conta(proposte.length, 'proposta', 'proposte')}` +
                  (p.pagine > 1 ? `, pagina ${p.pagina + 1} di ${p.pagine}` : '')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Capitolo</th>
                  <th scope="col">Accertamento</th>
                  <th scope="col" className="num">Importo</th>
                  <th scope="col">Descrizione</th>
                </tr>
              </thead>
              {p.righe.map((x) => (
                <tbody key={`${x.esercizio}/${x.numero_bolletta}`} data-testid="riconciliazione-proposta" data-bolletta={`${x.esercizio}/${x.numero_bolletta}`}>
                  <tr className="mpd-riga-gruppo">
                    <th scope="colgroup" colSpan={4}>
                      Bolletta {x.esercizio}/{x.numero_bolletta} del {dataIt(x.data)}: {euro(x.importo_cents)}
                      {x.residuo_cents !== 0 && (
                        <span className="ms-2 fw-normal">
                          (coperti {euro(x.coperto_cents)}, residuo {euro(x.residuo_cents)})
                        </span>
                      )}
                      <div className="small fw-normal">{x.motivo}</div>
                    </th>
                  </tr>
                  {x.righe.map((r, i) => (
                    <tr key={i} data-testid="riconciliazione-proposta-riga" className={r.residuo ? 'mpd-riga-residuo' : ''}>
                      <td>{capitolo(r)}</td>
                      <td>{r.accertamento || '—'}</td>
                      <td className="num text-nowrap">{euro(r.importo_cents)}</td>
                      <td>{r.descrizione}</td>
                    </tr>
                  ))}
                </tbody>
              ))}
            </table>
          </div>
          <Paginazione pagina={p.pagina} pagine={p.pagine} setPagina={setPagina} etichetta="Pagine delle proposte di reversale" />
        </>
      )}
    </section>
  )
}
