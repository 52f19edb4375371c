// The preview of a pagoPA notice (src-tauri/src/commands/dovuti.rs `avviso_anteprima`): the
// first page of a position's notice as an SVG document, drawn by the same code as the PDF, with
// its fonts embedded (about 400 KB), so it shows the same inline or as an <img>.
import { invoke } from '@tauri-apps/api/core'

/** The first page of the notice of a position (its code, or the IUD of one of its debts). */
export const anteprimaAvviso = (codice: string) => invoke<string>('avviso_anteprima', { codice })

/** The SVG as a `data:` URL for an `<img src>` (the SVG's own fonts travel with it). */
export function svgComeUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
}
