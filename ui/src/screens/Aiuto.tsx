// The "Aiuto" button of the header and the side panel it opens: the current screen's
// explanation with its glossary terms, and the whole glossary with a search field. The panel is
// a modal dialog (role="dialog", aria-modal, labelled by its heading): focus moves into it,
// Tab stays inside, Esc, "Chiudi" or a click outside close it, and focus goes back to the
// button. F1 opens it from anywhere in the window. The content is data, in `../aiuto.ts`.
import { useCallback, useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { aiutoDi, cercaGlossario, voce, type VoceGlossario } from '../aiuto'

/** The elements Tab can reach inside the panel. */
const FOCALIZZABILI =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

function Voci({ voci }: { voci: VoceGlossario[] }) {
  return (
    <dl className="mpd-aiuto-voci">
      {voci.map((v) => (
        <div key={v.id} data-testid={`aiuto-voce-${v.id}`}>
          <dt>{v.termine}</dt>
          <dd>{v.definizione}</dd>
        </div>
      ))}
    </dl>
  )
}

export default function Aiuto({ sezione }: { sezione: string }) {
  const [aperto, setAperto] = useState(false)
  const [vista, setVista] = useState<'sezione' | 'glossario'>('sezione')
  const [ricerca, setRicerca] = useState('')
  const pulsante = useRef<HTMLButtonElement>(null)
  const pannello = useRef<HTMLDivElement>(null)
  const titolo = useRef<HTMLHeadingElement>(null)
  const campo = useRef<HTMLInputElement>(null)
  const id = useId()
  const idTitolo = `${id}-titolo`
  const idRicerca = `${id}-ricerca`

  const apri = useCallback(() => {
    setVista('sezione')
    setRicerca('')
    setAperto(true)
  }, [])
  const chiudi = useCallback(() => {
    setAperto(false)
    // Back to where the clerk was: the button that opened the panel.
    pulsante.current?.focus()
  }, [])

  // F1 opens the help, as in most Windows programs; Esc closes it wherever the focus is.
  useEffect(() => {
    const tasto = (e: KeyboardEvent) => {
      if (e.key === 'F1') {
        e.preventDefault()
        apri()
      } else if (e.key === 'Escape' && aperto) {
        e.preventDefault()
        chiudi()
      }
    }
    window.addEventListener('keydown', tasto)
    return () => window.removeEventListener('keydown', tasto)
  }, [apri, chiudi, aperto])

  // Focus moves into the panel when it opens and when its view changes: the heading of an
  // explanation (read first by a screen reader), the search field of the glossary.
  useEffect(() => {
    if (!aperto) return
    if (vista === 'glossario') campo.current?.focus()
    else titolo.current?.focus()
  }, [aperto, vista])

  // Tab and Shift+Tab go round the panel's controls and never leave it while it is open.
  const tastiera = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !pannello.current) return
    const elementi = Array.from(pannello.current.querySelectorAll<HTMLElement>(FOCALIZZABILI))
    if (elementi.length === 0) return
    const primo = elementi[0]
    const ultimo = elementi[elementi.length - 1]
    const attivo = document.activeElement
    if (e.shiftKey && (attivo === primo || !pannello.current.contains(attivo) || attivo === titolo.current)) {
      e.preventDefault()
      ultimo.focus()
    } else if (!e.shiftKey && attivo === ultimo) {
      e.preventDefault()
      primo.focus()
    }
  }

  const aiuto = aiutoDi(sezione)
  const termini = aiuto.termini.map(voce).filter((v): v is VoceGlossario => v !== undefined)
  const trovate = cercaGlossario(ricerca)

  return (
    <>
      <button
        ref={pulsante}
        type="button"
        className="mpd-aiuto-pulsante"
        aria-haspopup="dialog"
        aria-expanded={aperto}
        aria-keyshortcuts="F1"
        title="Aiuto su questa schermata e glossario (F1)"
        onClick={apri}
        data-testid="aiuto-apri"
      >
        <span aria-hidden="true" className="mpd-aiuto-icona">?</span> Aiuto
      </button>
      {aperto &&
        createPortal(
          <>
            <div className="mpd-aiuto-sfondo" onClick={chiudi} aria-hidden="true" />
            <div
              ref={pannello}
              className="mpd-aiuto-pannello"
              role="dialog"
              aria-modal="true"
              aria-labelledby={idTitolo}
              onKeyDown={tastiera}
              data-testid="aiuto-pannello"
            >
              <div className="d-flex align-items-start gap-2 mb-3">
                <h2 id={idTitolo} ref={titolo} tabIndex={-1} className="h4 me-auto mb-0">
                  {vista === 'sezione' ? `Aiuto: ${aiuto.titolo}` : 'Glossario'}
                </h2>
                <button type="button" className="btn btn-outline-primary btn-sm" onClick={chiudi} data-testid="aiuto-chiudi">
                  Chiudi<span className="visually-hidden"> l’aiuto</span>
                </button>
              </div>

              {vista === 'sezione' && (
                <>
                  {aiuto.testo.map((t) => (
                    <p key={t}>{t}</p>
                  ))}
                  {termini.length > 0 && (
                    <>
                      <h3 className="h5 mt-4">Termini di questa schermata</h3>
                      <Voci voci={termini} />
                    </>
                  )}
                  <button type="button" className="btn btn-link px-0" onClick={() => setVista('glossario')} data-testid="aiuto-glossario">
                    Glossario completo
                  </button>
                </>
              )}

              {vista === 'glossario' && (
                <>
                  <button type="button" className="btn btn-link px-0 mb-2" onClick={() => setVista('sezione')} data-testid="aiuto-torna">
                    Torna all’aiuto di «{aiuto.titolo}»
                  </button>
                  <div className="mb-3">
                    <label htmlFor={idRicerca} className="form-label">Cerchi un termine</label>
                    <input
                      id={idRicerca}
                      ref={campo}
                      type="search"
                      className="form-control"
                      value={ricerca}
                      onChange={(e) => setRicerca(e.target.value)}
                      autoComplete="off"
                      data-testid="aiuto-cerca"
                    />
                  </div>
                  <p className="small text-muted" role="status" data-testid="aiuto-conteggio">
                    {trovate.length === 0
                      ? 'Nessun termine trovato.'
                      : trovate.length === 1
                        ? '1 termine'
                        : `${trovate.length} termini`}
                  </p>
                  <Voci voci={trovate} />
                </>
              )}
            </div>
          </>,
          document.body,
        )}
    </>
  )
}
