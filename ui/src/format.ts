// Italian formatting, written out by hand so it does not depend on the WebView's ICU data:
// amounts `1.234,56 €`, dates `dd/mm/yyyy`, state labels.

/** Cents → `1.234,56 €` (negative amounts keep their sign). */
export function euro(cents: number): string {
  const neg = cents < 0
  const abs = Math.abs(Math.trunc(cents))
  const intPart = Math.floor(abs / 100).toString()
  const dec = (abs % 100).toString().padStart(2, '0')
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${neg ? '-' : ''}${grouped},${dec} €`
}

/** `YYYY-MM-DD` (or an ISO timestamp) → `dd/mm/yyyy`; anything else is returned as is. */
export function dataIt(iso: string | null | undefined): string {
  if (!iso) return ''
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso)
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso
}

/**
 * `dd/mm/yyyy` typed by the clerk → `YYYY-MM-DD`, or null when it is not a real date. The
 * separator may also be `-` or `.` (`31-03-2027`, `31.03.2027`), the same twice, as the
 * Rust reading of Italian dates accepts (`mpd_domain::dates::parse_it`).
 */
export function dataIso(it: string): string | null {
  const m = /^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})\s*$/.exec(it)
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[3]), Number(m[4])]
  const dt = new Date(Date.UTC(y, mo - 1, d))
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

const MESI = ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic']

/** `YYYY-MM` → `gen 2026`. */
export function meseIt(ym: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(ym)
  if (!m) return ym
  return `${MESI[Number(m[2]) - 1] ?? m[2]} ${m[1]}`
}

/** Debt states: the English key the back end uses → the Italian label. */
export const STATI: Record<string, string> = {
  draft: 'Bozza',
  ready: 'Pronto',
  sent: 'Inviato',
  loaded: 'Caricato',
  rejected: 'Scartato',
  paid: 'Pagato',
  cancelled: 'Annullato',
}

export function statoLabel(stato: string): string {
  return STATI[stato] ?? stato
}

/** Bootstrap Italia colour of a state's badge. */
export function statoColore(stato: string): string {
  switch (stato) {
    case 'paid':
      return 'success'
    case 'rejected':
      return 'danger'
    case 'loaded':
      return 'primary'
    case 'sent':
      return 'info'
    case 'cancelled':
      return 'secondary'
    default:
      return 'warning'
  }
}

/** Amount typed by the clerk (`1.234,56`, `12,5`, `12`) → cents, or null. */
export function centsDaTesto(s: string): number | null {
  const t = s.trim().replace(/\s|€/g, '')
  if (!/^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+(,\d{1,2})?$/.test(t)) return null
  const [i, d = ''] = t.replace(/\./g, '').split(',')
  return Number(i) * 100 + Number(d.padEnd(2, '0'))
}
