// The matching's rules where the spec infers MyPivot's behaviour (`riconciliazione_regole`):
// they belong to the reconciliation, so they sit on its screen rather than in Impostazioni.
import { useEffect, useState } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore } from '../../api'
import { riconciliazione, type RegoleRiconciliazione } from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'

export function RegoleAbbinamento({ ricarica, esito, occupato, setOccupato }: SezioneProps) {
  const [salvate, setSalvate] = useState<RegoleRiconciliazione | null>(null)
  const [scelte, setScelte] = useState<RegoleRiconciliazione | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  useEffect(() => {
    riconciliazione
      .regole()
      .then((r) => {
        setSalvate(r)
        setScelte(r)
      })
      .catch((e) => setErrore(messaggioErrore(e)))
  }, [])
  if (!scelte || !salvate) return errore ? <p className="small">Regole dell’abbinamento: {errore}</p> : null
  const cambiate =
    scelte.indice_mancante_primo !== salvate.indice_mancante_primo || scelte.esito9_rendicontato !== salvate.esito9_rendicontato
  const salva = async () => {
    setOccupato(true)
    esito(null)
    try {
      const r = await riconciliazione.salvaRegole(scelte)
      setSalvate(r)
      setScelte(r)
      esito({ livello: 'successo', testo: 'Regole salvate: gli stati dei pagamenti sono stati ricalcolati.' })
      await ricarica()
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  return (
    <section aria-labelledby="ric-regole-titolo" className="mb-4">
      <h2 id="ric-regole-titolo" className="h4">Regole dell’abbinamento</h2>
      <p className="small">
        Due casi che i flussi non risolvono da soli. Le scelte predefinite vanno bene per la maggior parte degli Enti.
      </p>
      <div className="form-check mb-2">
        <input
          id="ric-regola-indice"
          type="checkbox"
          className="form-check-input"
          checked={scelte.indice_mancante_primo}
          onChange={(e) => setScelte({ ...scelte, indice_mancante_primo: e.target.checked })}
          aria-describedby="ric-regola-indice-aiuto"
          data-testid="riconciliazione-regola-indice"
        />
        <label htmlFor="ric-regola-indice" className="form-check-label">
          Una riga del flusso senza indice del trasferimento vale come primo trasferimento
        </label>
        <div id="ric-regola-indice-aiuto" className="form-text">
          Se non è spuntata, come in MyPivot, la riga non si abbina a nessuna ricevuta.
        </div>
      </div>
      <div className="form-check mb-3">
        <input
          id="ric-regola-esito9"
          type="checkbox"
          className="form-check-input"
          checked={scelte.esito9_rendicontato}
          onChange={(e) => setScelte({ ...scelte, esito9_rendicontato: e.target.checked })}
          aria-describedby="ric-regola-esito9-aiuto"
          data-testid="riconciliazione-regola-esito9"
        />
        <label htmlFor="ric-regola-esito9" className="form-check-label">
          Un pagamento con esito 9 (senza RPT) e senza ricevuta vale come rendicontato dai dati del flusso
        </label>
        <div id="ric-regola-esito9-aiuto" className="form-text">
          Come in MyPivot. Se non è spuntata, è un’anomalia da verificare con il PSP.
        </div>
      </div>
      <Button color="primary" outline size="sm" onClick={salva} disabled={occupato || !cambiate} data-testid="riconciliazione-regole-salva">
        Salva le regole
      </Button>
    </section>
  )
}
