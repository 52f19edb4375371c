// The first page of a position's pagoPA notice as an image (the SVG drawn by the same code as
// the PDF, fonts embedded): what the household will receive, before printing a campaign.
import { useEffect, useState } from 'react'
import { messaggioErrore } from '../api'
import { anteprimaAvviso, svgComeUrl } from '../comandi/anteprima'

export function AnteprimaAvviso({ codice }: { codice: string }) {
  const [url, setUrl] = useState<string | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  useEffect(() => {
    let vivo = true
    setUrl(null)
    setErrore(null)
    anteprimaAvviso(codice)
      .then((svg) => vivo && setUrl(svgComeUrl(svg)))
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
  }, [codice])
  return (
    <section aria-labelledby="anteprima-titolo" className="mt-3" data-testid="avvisi-anteprima">
      <h2 id="anteprima-titolo" className="h5">Anteprima del primo avviso</h2>
      {errore && <p className="small text-muted">Anteprima non disponibile: {errore}</p>}
      {!errore && !url && <p className="small text-muted">Preparazione dell’anteprima…</p>}
      {url && (
        <img
          src={url}
          alt={`Prima pagina dell'avviso di pagamento della posizione ${codice}`}
          className="border shadow-sm bg-white"
          style={{ width: '100%', maxWidth: '26rem', height: 'auto' }}
          data-testid="avvisi-anteprima-immagine"
        />
      )}
    </section>
  )
}
