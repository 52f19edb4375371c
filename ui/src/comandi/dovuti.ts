// Typed calls to the Dovuti commands (src-tauri/src/commands/dovuti.rs, mpd-app `dovuti`):
// the page of the list, the edit form and the bulk actions. Types are generated (../bindings).
import { invoke } from '@tauri-apps/api/core'

import type {
  AvvisoStampato,
  BozzeEliminate,
  CampiDovuto,
  EsitoAzione,
  EsitoScheda,
  FiltroDovuti,
  PaginaDovuti,
  RigaDovuto,
  SchedaDovuto,
  Segnalazione,
  StatoDovuto,
  VistaPosizione,
} from '../bindings'
import { conta, numero } from '../format'

export type { BozzeEliminate, CampiDovuto, EsitoAzione, EsitoScheda, FiltroDovuti, PaginaDovuti, RigaDovuto, SchedaDovuto, Segnalazione, StatoDovuto }

/** A form field (a key of the back end's `CampiDovuto`). */
export type CampoForm = keyof CampiDovuto
export type Valori = CampiDovuto

/** The form's fields, in the order the form shows them. */
export const CAMPI_FORM = [
  'codice_pagatore',
  'tipo_pagatore',
  'anagrafica',
  'importo',
  'scadenza',
  'tipo',
  'causale',
  'email',
  'indirizzo',
  'civico',
  'cap',
  'localita',
  'provincia',
  'nazione',
  'iuv',
] as const satisfies readonly CampoForm[]
// Every field of the generated `CampiDovuto` is in the list (tsc fails when Rust adds one).
type Mancanti = Exclude<CampoForm, (typeof CAMPI_FORM)[number]>
const tutti: [Mancanti] extends [never] ? true : Mancanti = true
void tutti

export const dovuti = {
  /** One page of the filtered list; the total on the first page only. */
  pagina: (richiesta: FiltroDovuti) => invoke<PaginaDovuti>('dovuti_pagina', { richiesta }),
  scheda: (iud: string) => invoke<SchedaDovuto>('dovuto_scheda', { iud }),
  /** The position (rata unica and instalments) of a debt, or null for a debt on its own. */
  posizione: (iud: string) => invoke<VistaPosizione | null>('dovuto_posizione', { iud }),
  /** Writes a position's pagoPA notice as PDF. */
  avvisoPosizione: (codice: string, percorso: string) =>
    invoke<AvvisoStampato>('posizione_avviso', { codice, percorso }),
  salva: (iud: string, campi: CampiDovuto, pronto: boolean) =>
    invoke<EsitoScheda>('dovuto_salva', { iud, campi, pronto }),
  pronti: (iuds: string[]) => invoke<EsitoAzione[]>('dovuti_pronti', { iuds }),
  annulla: (iuds: string[]) => invoke<EsitoAzione[]>('dovuti_annulla', { iuds }),
  /** «Segna come pronti» on every debt of the filter; `attesi` is the count the clerk saw (the
   * back end refuses if the filter now matches another number). */
  prontiFiltro: (filtro: FiltroDovuti, attesi: number) =>
    invoke<EsitoAzione[]>('dovuti_pronti_filtro', { filtro, attesi }),
  /** «Annulla» on every debt of the filter (as `prontiFiltro`). */
  annullaFiltro: (filtro: FiltroDovuti, attesi: number) =>
    invoke<EsitoAzione[]>('dovuti_annulla_filtro', { filtro, attesi }),
  /** Every debt of the filter (not only the rows loaded) to an Excel file; how many. */
  esporta: (filtro: FiltroDovuti, percorso: string) => invoke<number>('dovuti_esporta', { filtro, percorso }),
  /** «Elimina bozze»: drafts never sent are deleted; the others refused with the reason. */
  eliminaBozze: (iuds: string[]) => invoke<BozzeEliminate>('dovuti_elimina_bozze', { iuds }),
  /** The next draft with problems after `iud` (going round), or null. */
  successivaDaCorreggere: (iud: string) =>
    invoke<string | null>('dovuti_successiva_da_correggere', { iud }),
}


/** «1 dovuto», «351 dovuti», «1.200 dovuti». */
export function quantiDovuti(n: number): string {
  return conta(n, 'dovuto', 'dovuti')
}


/** «Eliminare 3 bozze? Non si potranno recuperare.» (Italian singular and plural). */
export function domandaEliminaBozze(n: number): string {
  return n === 1
    ? 'Eliminare 1 bozza? Non si potrà recuperare.'
    : `Eliminare ${numero(n)} bozze? Non si potranno recuperare.`
}

/** «2 bozze eliminate, 1 dovuto non eliminato: X (motivo)». */
export function riassuntoEliminazione(r: BozzeEliminate): string {
  const n = r.eliminate.length
  let s = conta(n, 'bozza eliminata', 'bozze eliminate')
  const ko = r.rifiutate
  if (ko.length) {
    s += `, ${conta(ko.length, 'dovuto non eliminato', 'dovuti non eliminati')}: `
    s += ko.slice(0, 5).map((e) => `${e.iud} (${e.motivo})`).join('; ')
    if (ko.length > 5) s += ` e altri ${numero(ko.length - 5)}`
  }
  return s
}

/** Only the fields the clerk changed (what the back end applies over the stored debt). */
export function modificati(originali: Valori, attuali: Valori): Valori {
  const out: Valori = {}
  for (const k of CAMPI_FORM) {
    const a = attuali[k] ?? ''
    if (a !== (originali[k] ?? '')) out[k] = a
  }
  return out
}

/** «3 pronti, 1 non pronto: …» for the outcome of a bulk action. */
export function riassunto(esiti: EsitoAzione[], fatto: string, nonFatto: string): string {
  const ok = esiti.filter((e) => e.ok).length
  const ko = esiti.filter((e) => !e.ok)
  let s = `${ok} ${fatto}`
  if (ko.length) {
    s += `, ${ko.length} ${nonFatto}: ` + ko.slice(0, 5).map((e) => `${e.iud} (${e.messaggio})`).join('; ')
    if (ko.length > 5) s += ` e altri ${numero(ko.length - 5)}`
  }
  return s
}
