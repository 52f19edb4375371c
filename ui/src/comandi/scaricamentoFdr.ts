// «Scarica i flussi da MyPay» on the Riconciliazione screen (issue 16 item 6): the download's
// progress folded from the engine's events (a `step` per acquisition day completed, a
// `progress` of phase `rendicontazione` with the flows stored so far in `righe`), the days the
// clerk may choose, whether the connection is set up at all, and the outcome in words. Pure
// functions, tested by Vitest; the component is screens/riconciliazione/ScaricaFdr.tsx.

import type { Codice, EsitoScaricamentoFdr, EventoSync, Impostazioni, Livello } from '../bindings'
import { conta, dataIso, dataIt, numero, parola } from '../format'
import type { SezioneId } from '../navigazione'
import { descriviEvento } from './avanzamento'

/** How far a download is. */
export interface AvanzamentoScarico {
  attivo: boolean
  /** Acquisition days completed (each is saved: the next download starts after the last). */
  giorni: number
  /** Flows stored so far (new, or newer versions of stored ones). */
  flussi: number
  /** Days asked, when the clerk chose them; null for the download since the last day. */
  totaleGiorni: number | null
  /** The last thing that happened, in words. */
  ultimo: string
  /** The clerk pressed «Annulla»: it stops at the next flow. */
  annullando: boolean
}

export const SCARICO_INIZIALE: AvanzamentoScarico = {
  attivo: false,
  giorni: 0,
  flussi: 0,
  totaleGiorni: null,
  ultimo: '',
  annullando: false,
}

/** A download starting (over `totaleGiorni` days when chosen). */
export function inizia(totaleGiorni: number | null = null): AvanzamentoScarico {
  return { ...SCARICO_INIZIALE, attivo: true, totaleGiorni, ultimo: 'Connessione a MyPay…' }
}

/** Folds one engine event into the progress. */
export function aggiornaScarico(s: AvanzamentoScarico, e: EventoSync): AvanzamentoScarico {
  switch (e.tipo) {
    case 'step':
      // «Flussi di rendicontazione del 14/05/2026: giorno completo».
      return { ...s, giorni: s.giorni + 1, ultimo: descriviEvento(e) }
    case 'progress':
      if (e.fase !== 'rendicontazione') return s
      return { ...s, flussi: Math.max(s.flussi, e.righe), ultimo: `${conta(e.righe, 'flusso salvato', 'flussi salvati')} finora` }
    default:
      return { ...s, ultimo: descriviEvento(e) }
  }
}

/** The bar's share: known only when the clerk chose the days (the download since the last day
 * does not know how many it will ask until it ends). */
export function percentualeScarico(s: AvanzamentoScarico): number | null {
  if (!s.totaleGiorni || s.totaleGiorni <= 0) return null
  return Math.max(0, Math.min(100, Math.round((s.giorni / s.totaleGiorni) * 100)))
}

/** «3 giorni completati su 10 · 5 flussi salvati». */
export function testoScarico(s: AvanzamentoScarico): string {
  const giorni =
    conta(s.giorni, 'giorno completato', 'giorni completati') + (s.totaleGiorni != null ? ` su ${numero(s.totaleGiorni)}` : '')
  return `${giorni} · ${conta(s.flussi, 'flusso salvato', 'flussi salvati')}`
}

/** The days typed in «Scegli i giorni», checked: a message per field that is wrong, else the
 * two days as `YYYY-MM-DD`. */
export interface GiorniScelti {
  errori: { dal?: string; al?: string }
  dal?: string
  al?: string
}

/** The most days asked at once (two questions to MyPay each). */
export const MAX_GIORNI = 366

const GIORNO_MS = 86_400_000

/** Days from `a` to `b` (`YYYY-MM-DD`), both included. */
export function giorniTra(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / GIORNO_MS) + 1
}

/** Checks «dal» and «al» (`gg/mm/aaaa`, as every date of the window) against `oggi`
 * (`YYYY-MM-DD`): both required, real dates, not in the future, «al» not before «dal», at most
 * [`MAX_GIORNI`] days. The messages are shown after the field's name («Dal: …»). */
export function controllaGiorni(dal: string, al: string, oggi: string): GiorniScelti {
  const errori: GiorniScelti['errori'] = {}
  const uno = (campo: 'dal' | 'al', testo: string): string | undefined => {
    const iso = dataIso(testo)
    if (!testo.trim()) errori[campo] = 'manca la data: la scriva come gg/mm/aaaa.'
    else if (!iso) errori[campo] = 'data non valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026.'
    else if (iso > oggi) errori[campo] = `è una data futura: MyPay elenca i flussi acquisiti fino a oggi (${dataIt(oggi)}).`
    else return iso
    return undefined
  }
  const isoDal = uno('dal', dal)
  const isoAl = uno('al', al)
  if (isoDal && isoAl) {
    if (isoAl < isoDal) errori.al = `è precedente alla data iniziale (${dataIt(isoDal)}).`
    else if (giorniTra(isoDal, isoAl) > MAX_GIORNI)
      errori.al = `al più ${numero(MAX_GIORNI)} giorni alla volta: scelga un periodo più breve.`
  }
  if (errori.dal || errori.al) return { errori }
  return { errori, dal: isoDal, al: isoAl }
}

/** Why a download cannot start with the settings as they are, and where to fix it; null when
 * nothing is missing (the demo needs nothing). */
export function connessioneMancante(i: Impostazioni): { testo: string; sezione: SezioneId } | null {
  if (!i.codice_ipa)
    return {
      testo: "Per scaricare i flussi da MyPay serve il profilo dell'Ente: lo carichi nella schermata «Ente e adesione».",
      sezione: 'ente',
    }
  if (i.ambiente === 'demo') return null
  if (!i.urls.find((u) => u.ambiente === i.ambiente)?.url)
    return {
      testo: `Per scaricare i flussi serve l'indirizzo di MyPay dell'ambiente ${i.ambiente}: lo imposti nella schermata «Impostazioni».`,
      sezione: 'impostazioni',
    }
  if (i.piattaforma === 'pu') {
    if (!i.client_id)
      return {
        testo:
          "Per scaricare i flussi dalla Piattaforma Unitaria serve l'identificativo del client dell'Ente: lo imposti nella schermata «Impostazioni».",
        sezione: 'impostazioni',
      }
    if (!i.password.origine)
      return {
        testo:
          'Per scaricare i flussi dalla Piattaforma Unitaria serve il segreto del client dell\u2019Ente: lo salvi nella schermata «Impostazioni».',
        sezione: 'impostazioni',
      }
    return null
  }
  if (!i.password.origine)
    return {
      testo:
        'Per scaricare i flussi da MyPay serve la password del servizio dell\u2019Ente, che non è ancora salvata su questo computer: la salvi nella schermata «Impostazioni».',
      sezione: 'impostazioni',
    }
  return null
}

/** The window's hints for this download's errors, where the general one names another screen
 * (MyPay unreachable: «Invia a MyPay» of Flussi). */
export const SUGGERIMENTI_SCARICO: Partial<Record<Codice, string | null>> = {
  mypay_non_raggiunto: 'Quando MyPay torna raggiungibile, prema di nuovo «Scarica i flussi da MyPay».',
}

/** The errors whose cure is in a settings screen: the panel offers to go there. */
export const CODICI_IMPOSTAZIONI: Partial<Record<Codice, SezioneId>> = {
  password_mancante: 'impostazioni',
  password_rifiutata: 'impostazioni',
  impostazioni: 'impostazioni',
  credenziali_pu: 'impostazioni',
  ente_mancante: 'ente',
  profilo_ente: 'ente',
}

/** The outcome shown in the screen's live area: the summary of the application layer and, one
 * per line, the days (when chosen), the last complete day, each flow set aside with its reason
 * and file, the quadrature kept. */
export function esitoScarico(r: EsitoScaricamentoFdr, giorniScelti: boolean): { livello: Livello; testo: string; dettagli: string[] } {
  const dettagli: string[] = []
  if (!r.annullato) {
    if (giorniScelti && r.dal && r.al)
      dettagli.push(
        r.dal === r.al
          ? `Giorno di acquisizione controllato: ${dataIt(r.dal)}.`
          : `Giorni di acquisizione controllati: dal ${dataIt(r.dal)} al ${dataIt(r.al)}.`,
      )
    if (r.fino_a) dettagli.push(`Flussi completi fino al giorno di acquisizione ${dataIt(r.fino_a)}.`)
  }
  for (const s of r.scartati)
    dettagli.push(`Messo da parte il flusso ${s.iuf} (giorno di acquisizione ${dataIt(s.giorno)}): ${s.motivo}. Il file è conservato in ${s.file}.`)
  if (r.quadrature > 0)
    dettagli.push(
      `${conta(r.quadrature, 'flusso di quadratura', 'flussi di quadratura')} ${parola(r.quadrature, 'conservato', 'conservati')} nella cartella dei dati, ${parola(r.quadrature, 'non letto', 'non letti')}.`,
    )
  return { livello: r.riepilogo.livello, testo: r.riepilogo.testo, dettagli }
}

/** A message shown alone starts with a capital letter (ui/WRITING.md). */
export function maiuscola(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s
}
