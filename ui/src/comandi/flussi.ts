import type { Tono } from '../colori'
// Typed calls to the Flussi commands (src-tauri/src/commands/flussi.rs) and the flow timeline.
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  Avanzamento,
  DaInviare,
  DettaglioFlusso,
  EsitoInvio,
  EventoFlusso,
  FlussoRiga,
  Livello,
  Preparazione,
  RichiestaInvio,
  StatoFlusso,
} from '../bindings'
import { conta } from '../format'

export type { Avanzamento as AvanzamentoInvio, DaInviare, DettaglioFlusso, EsitoInvio, EventoFlusso, FlussoRiga, Preparazione, StatoFlusso }

export const flussi = {
  elenco: () => invoke<FlussoRiga[]>('flussi_elenco'),
  dettaglio: (id: number) => invoke<DettaglioFlusso>('flussi_dettaglio', { id }),
  /** The debts waiting to go, per payment type. */
  daInviare: () => invoke<DaInviare>('flussi_da_inviare'),
  /** Builds flows of the debts waiting to go (of one payment type, or all). */
  prepara: (tipo?: string) => invoke<Preparazione>('flussi_prepara', { tipo: tipo || null }),
  /** Submits the flows named (default: every unfinished flow); `prepara` builds flows from the
   * debts waiting to go first. The outcome of every flow and the summary come back. */
  invia: (opzioni: { ids?: number[]; prepara?: boolean }, su: (a: Avanzamento) => void) => {
    const avanzamento = new Channel<Avanzamento>()
    avanzamento.onmessage = su
    const richiesta: RichiestaInvio = {
      flussi: (opzioni.ids ?? []).map(String),
      prepara: opzioni.prepara ?? false,
      avvisi: false,
    }
    return invoke<EsitoInvio>('flussi_invia', { richiesta, avanzamento })
  },
  annulla: () => invoke<void>('flussi_annulla'),
}

/** A step of the flow's timeline. */
export interface Tappa {
  codice: 'preparato' | 'autorizzato' | 'caricato' | 'elaborazione' | 'esito'
  etichetta: string
  /** ISO timestamp, when known. */
  quando: string | null
  stato: 'fatto' | 'corrente' | 'da_fare' | 'errore'
  nota?: string
}

const ORDINE: Record<StatoFlusso, number> = {
  built: 0,
  authorised: 1,
  uploaded: 2,
  processing: 3,
  done: 4,
  aborted: 4,
}

/** The latest timestamp of an audit action, if recorded. */
function ultimo(eventi: EventoFlusso[], azione: string): string | null {
  for (let i = eventi.length - 1; i >= 0; i--) if (eventi[i].azione === azione) return eventi[i].at
  return null
}

/** The timeline of a flow: prepared, authorised, uploaded, processing, loaded/rejected, each
 * with its time from the store; the flow's state decides what is done (a flow sent back to
 * `built` after an expired token shows its authorisation as to be done again). */
export function costruisciTimeline(f: FlussoRiga, eventi: EventoFlusso[]): Tappa[] {
  const livello = ORDINE[f.stato] ?? 0
  const finale = f.stato === 'done' || f.stato === 'aborted'
  const stato = (i: number): Tappa['stato'] =>
    livello >= i ? 'fatto' : !finale && livello + 1 === i ? 'corrente' : 'da_fare'
  const tappe: Tappa[] = [
    { codice: 'preparato', etichetta: 'Preparato', quando: f.creato_at, stato: 'fatto' },
    { codice: 'autorizzato', etichetta: 'Autorizzato da MyPay', quando: livello >= 1 ? ultimo(eventi, 'flusso.autorizzato') : null, stato: stato(1) },
    { codice: 'caricato', etichetta: 'File caricato su MyPay', quando: livello >= 2 ? ultimo(eventi, 'flusso.caricato') : null, stato: stato(2) },
    { codice: 'elaborazione', etichetta: 'In elaborazione', quando: livello >= 3 ? ultimo(eventi, 'flusso.in_elaborazione') : null, stato: stato(3) },
  ]
  if (f.stato === 'aborted') {
    // Refused as a whole: where it stopped is not known step by step, the refusal is.
    for (const t of tappe.slice(1)) if (t.stato === 'fatto' && !t.quando) t.stato = 'da_fare'
    tappe.push({
      codice: 'esito',
      etichetta: 'Rifiutato da MyPay',
      quando: ultimo(eventi, 'flusso.rifiutato') ?? f.aggiornato_at,
      stato: 'errore',
      nota: f.esito_messaggio ?? undefined,
    })
  } else if (f.stato === 'done') {
    const nota =
      f.scartate > 0
        ? `${conta(f.caricate, 'riga caricata', 'righe caricate')}, ${conta(f.scartate, 'scartata', 'scartate')}`
        : conta(f.caricate, 'riga caricata', 'righe caricate')
    tappe.push({
      codice: 'esito',
      etichetta: f.scartate > 0 && f.caricate === 0 ? 'Scartato' : 'Caricato',
      quando: ultimo(eventi, 'flusso.esito') ?? f.aggiornato_at,
      stato: f.scartate > 0 && f.caricate === 0 ? 'errore' : 'fatto',
      nota,
    })
  } else {
    tappe.push({ codice: 'esito', etichetta: 'Caricato o scartato', quando: null, stato: 'da_fare' })
  }
  return tappe
}

/** ISO timestamp → `27/11/2026 11:15` in local time (by hand: no ICU needed). */
export function dataOraIt(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getDate())}/${p(d.getMonth() + 1)}/${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** What "re-send" does for a flow: resume an unfinished one, or build and send the corrected
 * debts (rejected rows fixed in Dovuti, or the debts of a refused file). */
export function azioneReinvio(f: FlussoRiga): 'riprendi' | 'correzioni' | null {
  if (f.stato !== 'done' && f.stato !== 'aborted') return 'riprendi'
  if (f.stato === 'aborted' || f.scartate > 0) return 'correzioni'
  return null
}

/** How a flow's state shows (issue 13, item 16: never by colour alone): the badge's tone, an
 * icon (decorative: the words say it) and, for a processed flow, a note in words telling a
 * flow loaded whole from one with rejected rows. */
export function esitoFlusso(f: { stato: string; scartate: number }): {
  colore: Tono
  icona: string
  nota: string | null
} {
  if (f.stato === 'aborted') return { colore: 'danger', icona: '✕', nota: null }
  if (f.stato === 'done') {
    return f.scartate > 0
      ? { colore: 'warning', icona: '⚠', nota: f.scartate === 1 ? 'con 1 riga scartata' : `con ${f.scartate.toLocaleString('it-IT')} righe scartate` }
      : { colore: 'success', icona: '✓', nota: 'senza scarti' }
  }
  return { colore: 'info', icona: '◐', nota: null }
}

/** The Alert colour of a summary's level. */
export function coloreLivello(l: Livello): 'success' | 'warning' | 'danger' {
  return l === 'successo' ? 'success' : l === 'avviso' ? 'warning' : 'danger'
}
