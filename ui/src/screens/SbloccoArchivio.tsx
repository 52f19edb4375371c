import { useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore } from '../api'
import { archivio } from '../comandi/archivio'
import { ID_CONTENUTO } from '../App'

/** The archive's key is missing: without a keyring the clerk chooses (or types again) a
 *  passphrase; with another computer's archive, its passphrase or recovery code. */
export default function SbloccoArchivio({
  messaggio,
  senzaPortachiavi,
  onAperto,
}: {
  messaggio: string
  senzaPortachiavi: boolean
  onAperto: () => void
}) {
  const [frase, setFrase] = useState('')
  const [conferma, setConferma] = useState('')
  const [errore, setErrore] = useState<string | null>(null)
  const [occupato, setOccupato] = useState(false)
  const apri = async (e: React.FormEvent) => {
    e.preventDefault()
    setOccupato(true)
    try {
      await archivio.sblocca(frase, senzaPortachiavi ? conferma : null)
      setFrase('')
      setConferma('')
      onAperto()
    } catch (err) {
      setErrore(messaggioErrore(err))
    } finally {
      setOccupato(false)
    }
  }
  return (
    <main id={ID_CONTENUTO} tabIndex={-1} className="container my-5" style={{ maxWidth: 760 }}>
      <h1>Archivio cifrato</h1>
      <Alert color="warning" data-testid="sblocco-messaggio">{messaggio}</Alert>
      <form onSubmit={apri}>
        <div className="form-group">
          <label htmlFor="sblocco-frase" className="active">
            Frase segreta o chiave di ripristino dell’archivio
          </label>
          <input
            id="sblocco-frase"
            type="password"
            className="form-control"
            autoComplete="off"
            value={frase}
            onChange={(e) => setFrase(e.target.value)}
            data-testid="sblocco-frase"
          />
        </div>
        {senzaPortachiavi && (
          <div className="form-group">
            <label htmlFor="sblocco-conferma" className="active">
              Ripeta la frase segreta (solo la prima volta, quando la sceglie)
            </label>
            <input
              id="sblocco-conferma"
              type="password"
              className="form-control"
              autoComplete="off"
              value={conferma}
              onChange={(e) => setConferma(e.target.value)}
              data-testid="sblocco-conferma"
            />
          </div>
        )}
        {errore && <Alert color="danger" data-testid="sblocco-errore">{errore}</Alert>}
        <Button color="primary" type="submit" disabled={occupato || frase.trim() === ''} data-testid="sblocco-apri">
          Apri l’archivio
        </Button>
      </form>
    </main>
  )
}
