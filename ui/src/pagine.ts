/** The pages of a virtualized list kept in memory: a bounded cache.
 *
 * The Dovuti table fetches its rows a page at a time; a clerk scrolling through 100,000 debts
 * would otherwise keep every page ever seen (measured: +39 MB in the window's web process after
 * 60 jumps). The cache keeps at most `massimo` pages and, when full, drops the pages farthest
 * from the ones in view, which are never dropped: scrolling back to a dropped page loads it
 * again. */

/** How many pages of rows the Dovuti table keeps (200 rows each). */
export const PAGINE_MASSIME = 12

/** `pagine` with page `numero` set to `righe`, then trimmed to `massimo` pages: the pages
 * farthest from those `inVista` go first (never one in view). Returns the new map (the old one
 * is not changed, as React state wants) and the page numbers dropped. */
export function conPagina<T>(
  pagine: ReadonlyMap<number, T>,
  numero: number,
  righe: T,
  inVista: readonly number[],
  massimo: number = PAGINE_MASSIME,
): { pagine: Map<number, T>; tolte: number[] } {
  const nuove = new Map(pagine).set(numero, righe)
  const tolte: number[] = []
  if (nuove.size <= massimo) return { pagine: nuove, tolte }
  const vicini = inVista.length ? inVista : [numero]
  const distanza = (p: number) => Math.min(...vicini.map((v) => Math.abs(v - p)))
  const candidate = [...nuove.keys()]
    .filter((p) => p !== numero && !inVista.includes(p))
    .sort((a, b) => distanza(b) - distanza(a) || b - a)
  for (const p of candidate) {
    if (nuove.size <= massimo) break
    nuove.delete(p)
    tolte.push(p)
  }
  return { pagine: nuove, tolte }
}
