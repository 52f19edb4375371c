// Progress of the long work that talks to MyPay (submission, receipts): the engine's events as
// the back end sends them over a Channel, and their Italian description for the progress bar.

import { conta, numero } from '../format'

/** One event of the sync engine (mpd-client `Event`). */
export type EventoSync =
  | { tipo: 'step'; oggetto: string; passo: string }
  | { tipo: 'progress'; fase: string; byte: number; totale: number | null; righe: number }
  | { tipo: 'retry'; operazione: string; tentativo: number; errore: string; attesa_ms: number }
  | { tipo: 'waiting'; oggetto: string; stato: string }

/** `1536` → `1,5 kB`; bytes in Italian decimal notation. */
export function formattaByte(n: number): string {
  if (!Number.isFinite(n) || n < 0) return ''
  if (n < 1000) return `${n} byte`
  const unita = ['kB', 'MB', 'GB']
  let v = n / 1000
  let i = 0
  while (v >= 1000 && i < unita.length - 1) {
    v /= 1000
    i++
  }
  return `${v.toFixed(1).replace('.', ',')} ${unita[i]}`
}

/** `12345` → `12.345` (whole numbers; `numero` of format.ts). */
export function formattaNumero(n: number): string {
  return numero(Math.trunc(n))
}

/** MyPay's processing states, in words. */
const STATI_MYPAY: Record<string, string> = {
  LOAD_IMPORT: 'in coda presso MyPay',
  IMPORT_IN_ELAB: 'MyPay lo sta elaborando',
  EXPORT_IN_ELAB: 'MyPay sta preparando le ricevute',
  LOAD_EXPORT: 'in coda presso MyPay',
}

/** Engine phases, in words. */
const FASI: Record<string, string> = {
  caricamento: 'Caricamento del flusso',
  esiti: 'Scaricamento degli esiti',
  avvisi: 'Scaricamento degli avvisi',
  ricevute: 'Ricevute',
}

/** The line shown under the progress bar for an event. */
export function descriviEvento(e: EventoSync): string {
  switch (e.tipo) {
    case 'step':
      return `${e.oggetto}: ${e.passo}`
    case 'waiting':
      return `${e.oggetto}: ${STATI_MYPAY[e.stato] ?? e.stato}`
    case 'retry':
      return `${tentativoFallito(e)}; nuovo tentativo tra ${(e.attesa_ms / 1000).toFixed(1).replace('.', ',')} s`
    case 'progress': {
      const fase = FASI[e.fase] ?? e.fase
      const parti: string[] = []
      if (e.totale && e.totale > 0) parti.push(`${formattaByte(e.byte)} di ${formattaByte(e.totale)}`)
      else if (e.byte > 0) parti.push(formattaByte(e.byte))
      if (e.righe > 0) parti.push(conta(e.righe, 'riga', 'righe'))
      return parti.length ? `${fase}: ${parti.join(', ')}` : fase
    }
  }
}

/** A failed attempt, without the announcement of the next one. */
function tentativoFallito(e: Extract<EventoSync, { tipo: 'retry' }>): string {
  return `${e.operazione}: tentativo ${numero(e.tentativo)} non riuscito (${e.errore})`
}

/** Where the bar is: a percentage when the event knows the total, otherwise null (the bar
 * then shows as indeterminate). */
export function percentuale(e: EventoSync): number | null {
  if (e.tipo !== 'progress' || !e.totale || e.totale <= 0) return null
  return Math.max(0, Math.min(100, Math.round((e.byte / e.totale) * 100)))
}

/** State of a progress bar, updated event by event. */
export interface StatoAvanzamento {
  attivo: boolean
  /** 0–100, or null while nothing measurable is known. */
  percentuale: number | null
  testo: string
  /** The last lines, newest last (at most `MAX_RIGHE`). */
  registro: string[]
  byte: number
  righe: number
  /** After a failed attempt, its line without "nuovo tentativo tra…" (for [`concludi`]). */
  tentativo?: string | null
}

export const MAX_RIGHE = 8

export const AVANZAMENTO_INIZIALE: StatoAvanzamento = {
  attivo: false,
  percentuale: null,
  testo: '',
  registro: [],
  byte: 0,
  righe: 0,
}

/** Folds one event into the progress state. */
export function aggiorna(s: StatoAvanzamento, e: EventoSync): StatoAvanzamento {
  const testo = descriviEvento(e)
  const p = percentuale(e)
  const registro =
    e.tipo === 'progress' && s.registro.length && s.testo.startsWith((FASI[e.fase] ?? e.fase) + ':')
      ? [...s.registro.slice(0, -1), testo]
      : [...s.registro, testo].slice(-MAX_RIGHE)
  return {
    attivo: s.attivo,
    percentuale: p ?? s.percentuale,
    testo,
    registro,
    byte: e.tipo === 'progress' ? Math.max(s.byte, e.byte) : s.byte,
    righe: e.tipo === 'progress' ? Math.max(s.righe, e.righe) : s.righe,
    tentativo: e.tipo === 'retry' ? tentativoFallito(e) : null,
  }
}

/** The work ended (issue 13): the bar stops, and a last line announcing a new attempt that
 * will not come ("nuovo tentativo tra 29,6 s" under a send that gave up) keeps only the
 * failure. */
export function concludi(s: StatoAvanzamento): StatoAvanzamento {
  if (!s.tentativo) return { ...s, attivo: false }
  return {
    ...s,
    attivo: false,
    testo: s.tentativo,
    registro: [...s.registro.slice(0, -1), s.tentativo],
    tentativo: null,
  }
}
