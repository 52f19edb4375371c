// The colours of the window's state badges, in one place, with the WCAG 2.1 contrast check
// their test runs (issue 13, item 16: text in a badge needs 4.5:1 against its background).
// Bootstrap Italia's own `.bg-*` utilities were used before; `bg-warning text-dark` (dark text
// on dark brown) was about 2.6:1. A badge never tells a state by its colour alone: its text
// does (the colour only repeats it).

/** The tones a badge can have (named as Bootstrap's, which the rest of the window uses for
 * Alerts and borders). */
export type Tono = 'success' | 'danger' | 'primary' | 'info' | 'secondary' | 'warning'

/** Background and text of each tone. */
export const TONI: Record<Tono, { sfondo: string; testo: string }> = {
  // Pagato, corretto.
  success: { sfondo: '#00664a', testo: '#ffffff' },
  // Scartato, annullato su MyPay, sconosciuto.
  danger: { sfondo: '#a3293d', testo: '#ffffff' },
  // Caricato.
  primary: { sfondo: '#0052a3', testo: '#ffffff' },
  // Inviato, in lavorazione.
  info: { sfondo: '#005566', testo: '#ffffff' },
  // Annullato.
  secondary: { sfondo: '#4b5a69', testo: '#ffffff' },
  // Bozza, pronto, da verificare, provvisorio.
  warning: { sfondo: '#7a4900', testo: '#ffffff' },
}

/** The minimum contrast of normal-size text (WCAG 2.1, 1.4.3 level AA). */
export const CONTRASTO_MINIMO = 4.5

/** The relative luminance of an sRGB colour `#rrggbb` or `#rgb` (WCAG 2.1 definition). */
export function luminanza(colore: string): number {
  let h = colore.trim().replace(/^#/, '')
  if (h.length === 3) h = [...h].map((c) => c + c).join('')
  if (!/^[0-9a-fA-F]{6}$/.test(h)) throw new Error(`colore non valido: ${colore}`)
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The contrast ratio of two colours, from 1 to 21 (WCAG 2.1 definition). */
export function contrasto(a: string, b: string): number {
  const [l1, l2] = [luminanza(a), luminanza(b)].sort((x, y) => y - x)
  return (l1 + 0.05) / (l2 + 0.05)
}

/** The tone of a Bootstrap colour name as the rest of the code speaks it (`statoColore`…);
 * an unknown name is the neutral tone. */
export function tono(colore: string | undefined): Tono {
  return colore && colore in TONI ? (colore as Tono) : 'secondary'
}

/** The two series of the "atteso / incassato" charts (Home, Resoconto): told apart by their
 * shape as well as their hue (WCAG 1.4.1): "Atteso" is an outlined bar, "Incassato" a solid
 * one, and the legend shows the same boxes next to the words. Both edges have at least 3:1
 * against the white page (1.4.11). */
export const SERIE_ATTESO = {
  backgroundColor: 'rgba(0, 102, 204, 0.12)',
  borderColor: '#0066cc',
  borderWidth: 2,
} as const
export const SERIE_INCASSATO = {
  backgroundColor: '#00664a',
  borderColor: '#00664a',
  borderWidth: 2,
} as const

/** The bars of the Contributo chart (named by the axis under them): each at least 3:1 against
 * the white page (1.4.11); the yellow used before was 1.8:1. */
export const COLORI_CONTRIBUTO = {
  richiesto: '#0066cc',
  concesso: '#7a4900',
  incassato: '#00664a',
} as const
