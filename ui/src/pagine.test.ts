import { describe, expect, it } from 'vitest'
import { PAGINE_MASSIME, conPagina } from './pagine'

const mappa = (pagine: number[]) => new Map(pagine.map((p) => [p, `righe ${p}`]))

describe('conPagina: the bounded page cache of the Dovuti table', () => {
  it('adds pages without dropping any while under the bound', () => {
    const prima = mappa([0, 1])
    const { pagine, tolte } = conPagina(prima, 2, 'righe 2', [2], 3)
    expect([...pagine.keys()]).toEqual([0, 1, 2])
    expect(tolte).toEqual([])
    expect(prima.size).toBe(2) // the old map is untouched (React state)
  })

  it('drops the pages farthest from the view first, never the ones in view', () => {
    // In view: pages 250 and 251 (the middle of 100,000 rows); cached: the top, the end, near.
    const prima = mappa([0, 1, 499, 248, 249, 250])
    const { pagine, tolte } = conPagina(prima, 251, 'righe 251', [250, 251], 4)
    expect(new Set(pagine.keys())).toEqual(new Set([248, 249, 250, 251]))
    expect(new Set(tolte)).toEqual(new Set([0, 1, 499]))
  })

  it('keeps the new page even when every other page is farther', () => {
    const { pagine, tolte } = conPagina(mappa([10, 20, 30]), 40, 'righe 40', [], 2)
    expect([...pagine.keys()].sort((a, b) => a - b)).toEqual([30, 40])
    expect(new Set(tolte)).toEqual(new Set([10, 20]))
  })

  it('stays bounded however far the clerk scrolls', () => {
    let pagine = new Map<number, string>()
    const tutte: number[] = []
    for (let i = 0; i < 500; i++) {
      const p = (i * 309) % 500
      const r = conPagina(pagine, p, `righe ${p}`, [p])
      pagine = r.pagine
      tutte.push(...r.tolte)
      expect(pagine.size).toBeLessThanOrEqual(PAGINE_MASSIME)
      expect(pagine.has(p)).toBe(true)
    }
    expect(tutte.length).toBe(500 - PAGINE_MASSIME)
  })
})
