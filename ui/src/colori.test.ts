import { describe, expect, it } from 'vitest'
import { COLORI_CONTRIBUTO, CONTRASTO_MINIMO, SERIE_ATTESO, SERIE_INCASSATO, TONI, contrasto, luminanza, tono } from './colori'

describe('WCAG contrast (issue 13, item 16)', () => {
  it('computes the WCAG 2.1 ratio', () => {
    expect(luminanza('#ffffff')).toBeCloseTo(1, 5)
    expect(luminanza('#000')).toBe(0)
    expect(contrasto('#000000', '#ffffff')).toBeCloseTo(21, 5)
    expect(contrasto('#ffffff', '#ffffff')).toBeCloseTo(1, 5)
    // Reference values: #0066cc on white is 5.57:1, #767676 on white 4.54:1.
    expect(contrasto('#0066cc', '#ffffff')).toBeCloseTo(5.57, 2)
    expect(contrasto('#ffffff', '#767676')).toBeCloseTo(4.54, 2)
  })

  it('gives every badge tone at least 4.5:1 between its text and its background', () => {
    for (const [nome, t] of Object.entries(TONI)) {
      const r = contrasto(t.testo, t.sfondo)
      expect(r, `${nome}: ${t.testo} on ${t.sfondo} is ${r.toFixed(2)}:1`).toBeGreaterThanOrEqual(CONTRASTO_MINIMO)
    }
  })

  it('would have caught the old draft badge (dark text on Bootstrap Italia brown)', () => {
    // `.bg-warning.text-dark`: hsl(36, 100%, 24%) background, #1a1a1a-ish text.
    expect(contrasto('#1a1a1a', '#7a4900')).toBeLessThan(CONTRASTO_MINIMO)
  })

  it('draws the chart series with edges of at least 3:1 against the white page', () => {
    expect(contrasto(SERIE_ATTESO.borderColor, '#ffffff')).toBeGreaterThanOrEqual(3)
    expect(contrasto(SERIE_INCASSATO.backgroundColor, '#ffffff')).toBeGreaterThanOrEqual(3)
    // Told apart by shape, not only hue: one outlined (translucent fill), one solid.
    expect(SERIE_ATTESO.backgroundColor).not.toBe(SERIE_ATTESO.borderColor)
    expect(SERIE_INCASSATO.backgroundColor).toBe(SERIE_INCASSATO.borderColor)
    for (const [nome, c] of Object.entries(COLORI_CONTRIBUTO)) {
      expect(contrasto(c, '#ffffff'), `Contributo ${nome}: ${c}`).toBeGreaterThanOrEqual(3)
    }
    // The old "Concesso" yellow.
    expect(contrasto('#ffb400', '#ffffff')).toBeLessThan(3)
  })

  it('maps an unknown colour name to the neutral tone', () => {
    expect(tono('warning')).toBe('warning')
    expect(tono('dark')).toBe('secondary')
    expect(tono(undefined)).toBe('secondary')
  })
})
