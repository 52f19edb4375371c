// The days after which a missing step is an anomaly, and how far apart a suggestion may be
// (`tesoreria_regole`): beside the matching's rules, on the reconciliation's own screen.
import { useEffect, useState } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore } from '../../api'
import { riconciliazione, type RegoleTesoreria } from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'

type Campo = keyof RegoleTesoreria

const CAMPI: { campo: Campo; etichetta: string; aiuto: string }[] = [
  {
    campo: 'giorni_rendicontazione',
    etichetta: 'Giorni per il flusso di rendicontazione',
    aiuto: 'Un pagamento senza flusso dopo questi giorni è «non ancora rendicontato».',
  },
  {
    campo: 'giorni_incasso',
    etichetta: 'Giorni per l’incasso in tesoreria',
    aiuto: 'Un flusso non arrivato in tesoreria dopo questi giorni dal regolamento è «non ancora incassato».',
  },
  {
    campo: 'giorni_suggerimento',
    etichetta: 'Giorni di distanza per i suggerimenti',
    aiuto: 'Per un movimento non abbinato si suggeriscono i flussi con lo stesso importo regolati entro questi giorni.',
  },
]

/** A number of days as typed: a whole number from 0 to 366, else null. */
export function giorni(testo: string): number | null {
  if (!/^\d{1,3}$/.test(testo.trim())) return null
  const n = Number(testo.trim())
  return n <= 366 ? n : null
}

export function GiorniTesoreria({ ricarica, esito, occupato, setOccupato }: SezioneProps) {
  const [salvate, setSalvate] = useState<RegoleTesoreria | null>(null)
  const [testi, setTesti] = useState<Record<Campo, string> | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const mostra = (r: RegoleTesoreria) => {
    setSalvate(r)
    setTesti({
      giorni_rendicontazione: String(r.giorni_rendicontazione),
      giorni_incasso: String(r.giorni_incasso),
      giorni_suggerimento: String(r.giorni_suggerimento),
    })
  }
  useEffect(() => {
    riconciliazione.regoleTesoreria().then(mostra).catch((e) => setErrore(messaggioErrore(e)))
  }, [])
  if (!testi || !salvate) return errore ? <p className="small">Giorni della tesoreria: {errore}</p> : null
  const valori = Object.fromEntries(CAMPI.map(({ campo }) => [campo, giorni(testi[campo])])) as Record<Campo, number | null>
  const validi = CAMPI.every(({ campo }) => valori[campo] !== null)
  const cambiate = CAMPI.some(({ campo }) => valori[campo] !== salvate[campo])
  const salva = async () => {
    if (!validi) return
    setOccupato(true)
    esito(null)
    try {
      mostra(await riconciliazione.salvaRegoleTesoreria(valori as RegoleTesoreria))
      esito({ livello: 'successo', testo: 'Giorni salvati: gli stati dei pagamenti sono stati ricalcolati.' })
      await ricarica()
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  return (
    <section aria-labelledby="ric-giorni-titolo" className="mb-4">
      <h2 id="ric-giorni-titolo" className="h4">Giorni della tesoreria</h2>
      <p className="small">Quando un passaggio che manca diventa un’anomalia. Le scelte predefinite (10, 10 e 3 giorni) vanno bene per la maggior parte degli Enti.</p>
      <div className="row g-3 mb-3">
        {CAMPI.map(({ campo, etichetta, aiuto }) => {
          const id = `ric-giorni-${campo}`
          const sbagliato = valori[campo] === null
          return (
            <div className="col-md-4" key={campo}>
              <label htmlFor={id} className="form-label small mb-0">{etichetta}</label>
              <input
                id={id}
                type="text"
                inputMode="numeric"
                className={`form-control form-control-sm mpd-campo-giorni ${sbagliato ? 'is-invalid' : ''}`}
                value={testi[campo]}
                onChange={(e) => setTesti({ ...testi, [campo]: e.target.value })}
                aria-invalid={sbagliato}
                aria-describedby={`${id}-aiuto${sbagliato ? ` ${id}-errore` : ''}`}
                data-testid={`riconciliazione-${campo}`}
              />
              <div id={`${id}-aiuto`} className="form-text">{aiuto}</div>
              {sbagliato && (
                <div id={`${id}-errore`} className="invalid-feedback d-block">Scriva un numero di giorni da 0 a 366.</div>
              )}
            </div>
          )
        })}
      </div>
      <Button color="primary" outline size="sm" onClick={salva} disabled={occupato || !cambiate || !validi} data-testid="riconciliazione-giorni-salva">
        Salva i giorni
      </Button>
    </section>
  )
}
