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

/**
 * A count or any number in Italian: `1200` → `1.200`, `1234567` → `1.234.567`, `-1500` →
 * `-1.500`, `2,5` for 2.5. The thousands separator always, 4 digits too (`toLocaleString('it-IT')`
 * leaves `1200` ungrouped, as CLDR does for Italian). See ui/WRITING.md.
 */
export function numero(n: number): string {
  if (!Number.isFinite(n)) return ''
  const neg = n < 0
  const [intero, decimali] = Math.abs(n).toString().split('.')
  const grouped = intero.replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${neg ? '-' : ''}${grouped}${decimali ? `,${decimali}` : ''}`
}

/**
 * A count with its noun, singular only for one: `conta(1, 'dovuto', 'dovuti')` → `1 dovuto`,
 * `conta(1200, 'dovuto', 'dovuti')` → `1.200 dovuti`, `conta(0, 'riga', 'righe')` → `0 righe`.
 */
export function conta(n: number, uno: string, molti: string): string {
  return `${numero(n)} ${n === 1 ? uno : molti}`
}

/** Only the word that agrees with a count: `parola(1, 'è', 'sono')`. */
export function parola(n: number, uno: string, molti: string): string {
  return n === 1 ? uno : molti
}

/**
 * A field's message shown under the field itself, without the field's name at its start (the
 * label is just above): under «Denominazione», «Denominazione: obbligatoria» reads
 * «Obbligatoria»; under «Codice IPA», «Codice IPA «c x»: senza spazi» reads ««c x»: senza
 * spazi». Other messages are returned as they are.
 */
export function senzaEtichetta(messaggio: string, etichetta: string): string {
  const e = etichetta.trim().toLowerCase()
  if (!e || !messaggio.toLowerCase().startsWith(e)) return messaggio
  const fine = messaggio.indexOf(': ')
  if (fine < e.length || fine > e.length + 30) return messaggio
  const resto = messaggio.slice(fine + 2)
  // Between the name and the colon: nothing, the value typed, or the same name made precise
  // («Codice fiscale dell'Ente»); «Importo non valido: …» is a sentence and stays whole.
  const mezzo = /^(?: del(?:l['’]|lo |la |l |)[^«:]*?)?\s*(«[^»]*»)?\s*$/.exec(messaggio.slice(e.length, fine))
  if (!mezzo) return messaggio
  if (mezzo[1]) return `${mezzo[1]}: ${resto}`
  return resto.charAt(0).toUpperCase() + resto.slice(1)
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
