// The «Rate» part of a position's form (issue 14): the rata unica and the instalments as the
// clerk types them, checked as she types with the rules of mpd-domain `posizione` (the back
// end checks them again on saving), and the changes to send for a position already stored.
import type { CambioRate, ProblemaRata, VistaPosizione } from './bindings'
import { centsDaTesto, dataIso, dataIt, euro } from './format'
import { controllaData, controllaImporto } from './validation'

/** Most instalments a position may have (mpd-domain `MAX_RATE`). */
export const MAX_RATE = 12

/** One instalment in the editor: `numero` is its number as stored (null: a new one). */
export interface RigaRata {
  chiave: string
  numero: number | null
  importo: string
  scadenza: string
}

export interface StatoRate {
  /** The rata unica is offered. */
  unica: boolean
  importoUnica: string
  scadenzaUnica: string
  rate: RigaRata[]
}

/** The id of an editor field: `unica-importo`, `rata-<chiave>-scadenza`. */
export function idCampo(riga: RigaRata | 'unica', campo: 'importo' | 'scadenza'): string {
  return riga === 'unica' ? `unica-${campo}` : `rata-${riga.chiave}-${campo}`
}

let contatore = 0
/** A new, empty instalment row. */
export function nuovaRiga(importo = '', scadenza = ''): RigaRata {
  contatore += 1
  return { chiave: `n${contatore}`, numero: null, importo, scadenza }
}

/** What the editor shows under the rows: each problem by field id, the problems of the whole,
 * and the sum of the instalments against the rata unica. */
export interface Controllo {
  campi: Record<string, string>
  generali: string[]
  somma: number | null
  /** «3 rate, in tutto 240,00 €: uguale alla rata unica». */
  riepilogo: string
}

const dopoMinuscola = (m: string) => m.charAt(0).toLowerCase() + m.slice(1)

/**
 * The position's rules on what the clerk typed: each amount valid and at least 0,01 €, each
 * date a real `gg/mm/aaaa` (required when the payment type wants one), the instalments' due
 * dates strictly ascending, at most 12 instalments, at least one option, and the instalments
 * adding up to the rata unica (with `sconto`, the rata unica may cost less, never more).
 * Messages name the option («Rata 2: …»).
 */
export function controllaRate(s: StatoRate, sconto: boolean, scadenzaObbligatoria = false): Controllo {
  const campi: Record<string, string> = {}
  const generali: string[] = []
  const importo = (id: string, nome: string, v: string): number | null => {
    const e = controllaImporto(v)
    if (e) {
      campi[id] = `${nome}: ${dopoMinuscola(e)}`
      return null
    }
    return centsDaTesto(v)
  }
  const data = (id: string, nome: string, v: string): string | null => {
    if (!v.trim()) {
      if (scadenzaObbligatoria) campi[id] = `${nome}: la scadenza è obbligatoria per questo tipo dovuto`
      return null
    }
    const e = controllaData(v)
    if (e) {
      campi[id] = `${nome}: ${dopoMinuscola(e)}`
      return null
    }
    return dataIso(v)
  }
  if (!s.unica && s.rate.length === 0) {
    generali.push('Indichi almeno una rata unica o una rata')
  }
  if (s.rate.length > MAX_RATE) generali.push(`Una posizione ha al massimo ${MAX_RATE} rate`)
  const unica = s.unica ? importo(idCampo('unica', 'importo'), 'Rata unica', s.importoUnica) : null
  if (s.unica) data(idCampo('unica', 'scadenza'), 'Rata unica', s.scadenzaUnica)
  let somma: number | null = 0
  let prima: { n: number; iso: string } | null = null
  s.rate.forEach((r, i) => {
    const nome = `Rata ${i + 1}`
    const c = importo(idCampo(r, 'importo'), nome, r.importo)
    somma = c === null || somma === null ? null : somma + c
    const iso = data(idCampo(r, 'scadenza'), nome, r.scadenza)
    if (iso && prima && iso <= prima.iso) {
      campi[idCampo(r, 'scadenza')] =
        `${nome}: scade il ${dataIt(iso)}, non dopo la rata ${prima.n} (${dataIt(prima.iso)}); le scadenze delle rate vanno in ordine crescente`
    }
    if (iso) prima = { n: i + 1, iso }
  })
  const n = s.rate.length
  const quante = n === 1 ? '1 rata' : `${n} rate`
  let riepilogo = ''
  if (n === 0) {
    riepilogo = s.unica ? 'Solo la rata unica.' : ''
  } else if (somma === null) {
    riepilogo = `${quante}: la somma si vede quando ogni importo è valido.`
  } else if (!s.unica || unica === null) {
    riepilogo = `${quante}, in tutto ${euro(somma)}.`
  } else if (unica === somma) {
    riepilogo = `${quante}, in tutto ${euro(somma)}: uguale alla rata unica.`
  } else if (unica < somma && sconto) {
    riepilogo = `${quante}, in tutto ${euro(somma)}: la rata unica costa ${euro(somma - unica)} in meno (sconto per il pagamento in unica soluzione).`
  } else {
    const diff = euro(Math.abs(somma - unica))
    riepilogo = `${quante}, in tutto ${euro(somma)}: ${unica > somma ? `${diff} meno` : `${diff} più`} della rata unica.`
    const perche = sconto
      ? 'con lo sconto la rata unica può costare meno delle rate insieme, mai di più'
      : 'le rate devono sommare esattamente la rata unica (questo tipo dovuto non prevede sconti)'
    campi[idCampo('unica', 'importo')] ??= `Rata unica: è ${euro(unica)}, le rate insieme ${euro(somma)}; ${perche}`
  }
  return { campi, generali, somma, riepilogo }
}

/** The editor's content for a stored position: its options not cancelled. */
export function statoDaPosizione(p: VistaPosizione): StatoRate {
  const vive = p.opzioni.filter((o) => o.stato !== 'annullato')
  const unica = vive.find((o) => o.rata === 0)
  const importo = (c: number) => euro(c).replace(/\s*€$/, '')
  return {
    unica: !!unica,
    importoUnica: unica ? importo(unica.importo_cents) : '',
    scadenzaUnica: unica ? dataIt(unica.scadenza) : '',
    rate: vive
      .filter((o) => o.rata > 0)
      .map((o) => ({ chiave: `s${o.rata}`, numero: o.rata, importo: importo(o.importo_cents), scadenza: dataIt(o.scadenza) })),
  }
}

/** A position whose options can still change: none paid, none waiting for MyPay's outcome,
 * one at least not cancelled. */
export function modificabile(p: VistaPosizione): boolean {
  return (
    p.opzioni.some((o) => o.stato !== 'annullato') && !p.opzioni.some((o) => o.stato === 'pagato' || o.stato === 'inviato')
  )
}

/** The changes that turn the stored position `p` into what the editor holds. */
export function cambiDa(p: VistaPosizione, s: StatoRate): CambioRate[] {
  const cambi: CambioRate[] = []
  const vive = p.opzioni.filter((o) => o.stato !== 'annullato')
  const cambiata = (rata: number, importo: string, scadenza: string) => {
    const o = vive.find((x) => x.rata === rata)
    if (!o) return
    const c: CambioRate = { cambio: 'modifica', rata }
    if (centsDaTesto(importo) !== o.importo_cents) c.importo = importo.trim()
    if ((dataIso(scadenza) ?? scadenza.trim()) !== o.scadenza) c.scadenza = scadenza.trim()
    if (c.importo !== undefined || c.scadenza !== undefined) cambi.push(c)
  }
  const unicaPrima = vive.some((o) => o.rata === 0)
  if (unicaPrima && !s.unica) cambi.push({ cambio: 'rimuovi', rata: 0 })
  for (const o of vive.filter((x) => x.rata > 0)) {
    if (!s.rate.some((r) => r.numero === o.rata)) cambi.push({ cambio: 'rimuovi', rata: o.rata })
  }
  if (unicaPrima && s.unica) cambiata(0, s.importoUnica, s.scadenzaUnica)
  for (const r of s.rate) {
    if (r.numero !== null) cambiata(r.numero, r.importo, r.scadenza)
    else cambi.push({ cambio: 'aggiungi', importo: r.importo.trim(), ...(r.scadenza.trim() ? { scadenza: r.scadenza.trim() } : {}) })
  }
  return cambi
}

/** The back end's problems of a position, at the editor's fields (the instalment `n` is the
 * editor's `n`-th row: the back end numbers them as the editor shows them) or, for the payer's
 * fields, at `campiPagatore`; the rest as general messages. Each names its option. */
export function problemiAlForm(
  problemi: ProblemaRata[],
  s: StatoRate,
  campiPagatore: readonly string[] = [],
): { campi: Record<string, string>; generali: string[] } {
  const campi: Record<string, string> = {}
  const generali: string[] = []
  for (const p of problemi) {
    const nome = p.etichetta ? p.etichetta.charAt(0).toUpperCase() + p.etichetta.slice(1) : 'Posizione'
    const testo = `${nome}: ${p.messaggio}`
    if (p.campo && campiPagatore.includes(p.campo)) {
      // The same payer on every option: said once.
      campi[p.campo] ??= p.messaggio
      continue
    }
    const riga = p.rata === 0 ? 'unica' : p.rata !== null ? s.rate[p.rata - 1] : undefined
    if (riga && (p.campo === 'importo' || p.campo === 'scadenza')) {
      const id = idCampo(riga, p.campo)
      campi[id] = campi[id] ? `${campi[id]}; ${p.messaggio}` : testo
    } else if (!generali.includes(testo)) {
      generali.push(testo)
    }
  }
  return { campi, generali }
}
