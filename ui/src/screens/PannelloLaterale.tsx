// The window's side panel for a record's detail (the debt form in Dovuti, a receipt in
// Ricevute): a modal dialog docked on the right, as tall as the window (issue 13, item 15).
// At 1024 px there is no room for a list and a detail side by side without cutting text, and a
// detail under the list lands 600 px below it; so the panel covers the list (dimmed behind it).
// Focus moves into it and goes back to what opened it (the list's row); Esc and the dimmed
// backdrop mean "Chiudi" (the caller decides: the debt form asks first when there are unsaved
// changes); Tab stays inside. ui/README.md says why.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react'
import { createPortal } from 'react-dom'

const FOCALIZZABILI =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])'

export function PannelloLaterale({ etichetta, chiudi, ritorno, testid, children }: {
  /** The dialog's accessible name ("Dovuto MPD…", "Ricevuta …"). */
  etichetta: string
  /** Esc, the backdrop: what "Chiudi" does. */
  chiudi: () => void
  /** Where the focus goes back when the element that opened the panel is gone (a list row
   * drawn anew meanwhile). */
  ritorno?: () => HTMLElement | null | undefined
  testid?: string
  children: ReactNode
}) {
  const pannello = useRef<HTMLDivElement>(null)
  const dove = useRef(ritorno)
  dove.current = ritorno
  useEffect(() => {
    const prima = document.activeElement as HTMLElement | null
    pannello.current?.focus()
    return () => {
      if (prima && prima !== document.body && document.contains(prima)) prima.focus()
      else dove.current?.()?.focus()
    }
  }, [])
  const tastiera = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      chiudi()
      return
    }
    if (e.key !== 'Tab' || !pannello.current) return
    const el = [...pannello.current.querySelectorAll<HTMLElement>(FOCALIZZABILI)]
    if (!el.length) return
    const primo = el[0]
    const ultimo = el[el.length - 1]
    if (e.shiftKey && (document.activeElement === primo || document.activeElement === pannello.current)) {
      e.preventDefault()
      ultimo.focus()
    } else if (!e.shiftKey && document.activeElement === ultimo) {
      e.preventDefault()
      primo.focus()
    }
  }
  return createPortal(
    <>
      <div className="mpd-pannello-sfondo" onClick={chiudi} aria-hidden="true" />
      <div ref={pannello} className="mpd-pannello" role="dialog" aria-modal="true" aria-label={etichetta}
        tabIndex={-1} onKeyDown={tastiera} data-testid={testid}>
        {children}
      </div>
    </>,
    document.body,
  )
}
