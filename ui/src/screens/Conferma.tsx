// A question the window asks before doing something that cannot be taken back (creating a
// second identical debt, cancelling on MyPay, leaving a form with unsaved changes). It is a
// modal dialog (role="alertdialog", aria-modal, labelled by its question): focus moves to the
// safe choice, Tab stays inside, Esc is the safe choice, and focus goes back where it was.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

const FOCALIZZABILI =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export interface ConfermaProps {
  /** The question, a whole sentence ending with "?". */
  domanda: ReactNode
  /** The button that goes ahead (names the action: "Crea comunque"). */
  si: string
  /** The safe button (also Esc): "Annulla", "Resta". */
  no: string
  onSi: () => void
  onNo: () => void
  /** The action cannot be taken back: the button that goes ahead is red. */
  pericolo?: boolean
  testid?: string
}

export default function Conferma({ domanda, si, no, onSi, onNo, pericolo, testid = 'conferma' }: ConfermaProps) {
  const id = useId()
  const pannello = useRef<HTMLDivElement>(null)
  const sicuro = useRef<HTMLButtonElement>(null)

  useEffect(() => {
    const prima = document.activeElement as HTMLElement | null
    sicuro.current?.focus()
    return () => {
      if (prima && document.contains(prima)) prima.focus()
    }
  }, [])

  const tastiera = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onNo()
      return
    }
    if (e.key !== 'Tab' || !pannello.current) return
    const el = [...pannello.current.querySelectorAll<HTMLElement>(FOCALIZZABILI)]
    if (!el.length) return
    const primo = el[0]
    const ultimo = el[el.length - 1]
    if (e.shiftKey && document.activeElement === primo) {
      e.preventDefault()
      ultimo.focus()
    } else if (!e.shiftKey && document.activeElement === ultimo) {
      e.preventDefault()
      primo.focus()
    } else if (!pannello.current.contains(document.activeElement)) {
      e.preventDefault()
      primo.focus()
    }
  }

  return createPortal(
    <>
      <div className="modal-backdrop show" aria-hidden="true" />
      <div className="modal d-block" tabIndex={-1} onKeyDown={tastiera}>
        <div className="modal-dialog modal-dialog-centered">
          <div ref={pannello} className="modal-content" role="alertdialog" aria-modal="true"
            aria-labelledby={`${id}-domanda`} data-testid={testid}>
            <div className="modal-body">
              <p id={`${id}-domanda`} className="mb-0">{domanda}</p>
            </div>
            <div className="modal-footer">
              <button type="button" className={`btn ${pericolo ? 'btn-danger' : 'btn-primary'}`} onClick={onSi}
                data-testid={`${testid}-si`}>
                {si}
              </button>
              <button type="button" ref={sicuro} className="btn btn-outline-secondary" onClick={onNo}
                data-testid={`${testid}-no`}>
                {no}
              </button>
            </div>
          </div>
        </div>
      </div>
    </>,
    document.body,
  )
}
