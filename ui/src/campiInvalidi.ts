// Issue 13, item 16 (WCAG 1.3.1, 3.3.1): a field shown as invalid is marked `aria-invalid` and
// points with `aria-describedby` at a visible message saying what is wrong. The screens' tests
// run this check on the forms they put in an invalid state.

/** What is wrong with the invalid fields under `radice`, one sentence each; empty when every
 * field drawn as invalid (`.is-invalid`) is marked `aria-invalid="true"`, and every field so
 * marked is described by existing elements with text. */
export function problemiCampiInvalidi(radice: ParentNode = document): string[] {
  const problemi: string[] = []
  const nome = (e: Element) => e.getAttribute('name') || e.id || e.outerHTML.slice(0, 80)
  for (const e of radice.querySelectorAll('.is-invalid')) {
    if (e.getAttribute('aria-invalid') !== 'true') problemi.push(`${nome(e)}: drawn invalid without aria-invalid`)
  }
  const invalidi = radice.querySelectorAll('[aria-invalid="true"]')
  for (const e of invalidi) {
    const ids = (e.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    if (!ids.length) {
      problemi.push(`${nome(e)}: aria-invalid without aria-describedby`)
      continue
    }
    const testi = ids.map((id) => document.getElementById(id)?.textContent?.trim() ?? null)
    if (testi.some((t) => t === null)) problemi.push(`${nome(e)}: aria-describedby names a missing element (${ids.join(' ')})`)
    else if (!testi.some((t) => t)) problemi.push(`${nome(e)}: its description is empty`)
  }
  return problemi
}

/** How many fields are marked invalid under `radice`. */
export function quantiInvalidi(radice: ParentNode = document): number {
  return radice.querySelectorAll('[aria-invalid="true"]').length
}
