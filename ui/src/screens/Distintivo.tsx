import type { HTMLAttributes } from 'react'
import { TONI, tono } from '../colori'

/** A state badge in one of the window's tones (../colori.ts, each checked for 4.5:1 contrast):
 * the text says the state; the colour only repeats it. */
export function Distintivo({ colore, className, style, ...resto }: HTMLAttributes<HTMLSpanElement> & {
  /** A Bootstrap colour name (`success`, `warning`…), as `statoColore` gives it. */
  colore: string | undefined
}) {
  const t = TONI[tono(colore)]
  return (
    <span {...resto} className={`badge ${className ?? ''}`.trim()} data-tono={tono(colore)}
      style={{ ...style, backgroundColor: t.sfondo, color: t.testo }} />
  )
}
