// The import report's probable duplicates (issue 13): rows that repeat another row of the file
// or a debt already in the archive were kept as drafts; the clerk confirms, group by group,
// that they are other debts («Importa comunque»), and they become ready.
import { useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore } from '../api'
import { importa, type GruppoDuplicati } from '../comandi/importa'
import { conta } from '../format'

interface Esito {
  pronti: number
  restano: string[]
}

const righe = (g: GruppoDuplicati) =>
  g.righe.length === 1 ? `La riga ${g.righe[0]} è uguale` : `Le righe ${g.righe.join(', ')} sono uguali`

const aCosa = (g: GruppoDuplicati) =>
  g.riga != null
    ? `alla riga ${g.riga} del file`
    : g.iud_archivio
      ? `al dovuto IUD ${g.iud_archivio} già in archivio`
      : 'a un dovuto già in archivio'

/** The groups of probable duplicates, each with «Importa comunque» while its drafts wait. */
export function GruppiDuplicati({
  gruppi,
  soloVerifica,
  onPronti,
}: {
  gruppi: GruppoDuplicati[]
  soloVerifica: boolean
  /** The drafts «Importa comunque» made ready (the report updates its counts). */
  onPronti?: (iud: string[]) => void
}) {
  const [esiti, setEsiti] = useState<Record<number, Esito>>({})
  const [errore, setErrore] = useState<string | null>(null)
  const [inCorso, setInCorso] = useState<number | null>(null)
  if (gruppi.length === 0) return null

  const comunque = async (i: number, g: GruppoDuplicati) => {
    setErrore(null)
    setInCorso(i)
    try {
      const r = await importa.comunque(g.bozze)
      setEsiti((e) => ({
        ...e,
        [i]: { pronti: r.filter((x) => x.ok).length, restano: r.filter((x) => !x.ok).map((x) => `IUD ${x.iud}: ${x.messaggio}`) },
      }))
      onPronti?.(r.filter((x) => x.ok).map((x) => x.iud))
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setInCorso(null)
    }
  }

  return (
    <div data-testid="importa-duplicati" className="mt-3">
      <h3 className="h5">Righe uguali ad altre</h3>
      <p className="small">
        Stesso pagatore, tipo dovuto, importo, scadenza e causale: probabilmente sono ripetizioni.{' '}
        {soloVerifica
          ? 'Importando, queste righe restano bozze finché non conferma che sono altri dovuti.'
          : 'Non sono state rese pronte: restano bozze finché non conferma che sono altri dovuti.'}
      </p>
      {errore && <Alert color="danger">{errore}</Alert>}
      <ul className="list-group mb-3">
        {gruppi.map((g, i) => {
          const esito = esiti[i]
          return (
            <li key={i} className="list-group-item" data-testid="importa-gruppo-duplicati"
              data-righe={g.righe.join(',')} data-archivio={g.iud_archivio ?? undefined}>
              <div>
                <strong>{righe(g)}</strong> {aCosa(g)}: {g.descrizione}
              </div>
              {esito ? (
                <div className="small mt-1" role="status" data-testid="importa-duplicati-esito">
                  {conta(esito.pronti, 'dovuto pronto', 'dovuti pronti')} per il prossimo flusso.
                  {esito.restano.map((m) => (
                    <div key={m}>{m}</div>
                  ))}
                </div>
              ) : (
                !soloVerifica &&
                g.bozze.length > 0 && (
                  <Button
                    color="primary"
                    outline
                    size="sm"
                    className="mt-1"
                    disabled={inCorso !== null}
                    onClick={() => void comunque(i, g)}
                    data-testid="importa-comunque"
                  >
                    Importa comunque
                  </Button>
                )
              )}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
