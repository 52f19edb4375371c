// Dovuti's list groups the options of one position (issue 14): the first of its rows in the
// list stands for the position (its state, what it costs, how many options) until the clerk
// expands it; the others are hidden until then. A debt on its own is a row as always.
import type { RigaDovuto } from './bindings'

/** The row stands for its position: the first of its options in the list order. */
export function capoGruppo(r: RigaDovuto | undefined, prec: RigaDovuto | undefined): boolean {
  return !!r?.posizione && prec?.posizione?.codice !== r.posizione.codice
}

/** An option of a collapsed position other than the row that stands for it. */
export function nascosta(r: RigaDovuto | undefined, prec: RigaDovuto | undefined, espanse: ReadonlySet<string>): boolean {
  return !!r?.posizione && !capoGruppo(r, prec) && !espanse.has(r.posizione.codice)
}

/** The IUDs of the loaded rows of position `codice` (what its row's checkbox selects). */
export function iudDelGruppo(righe: Iterable<RigaDovuto>, codice: string): string[] {
  const out: string[] = []
  for (const r of righe) if (r.posizione?.codice === codice) out.push(r.iud)
  return out
}

/** Bootstrap Italia colour of a position's state badge (the state is also written). */
export function colorePosizione(stato: string): string {
  if (stato === 'pagata') return 'success'
  if (stato === 'annullata') return 'secondary'
  if (stato === 'pagamento doppio') return 'danger'
  if (stato.startsWith('pagata in parte')) return 'info'
  return 'warning'
}
