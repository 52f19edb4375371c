// Typed calls to the Riconciliazione commands (mpd-app `riconciliazione` and `tesoreria`; types
// generated in ../bindings). No screen uses them yet (issue 16).
import { invoke } from '@tauri-apps/api/core'

import type {
  EsitoImportazioneFdr,
  EsitoImportazioneTesoreria,
  FdrVista,
  MovimentoVista,
  PagamentoVista,
  RegoleRiconciliazione,
  RegoleTesoreria,
  RiconciliazioneVista,
  StatoPagamento,
} from '../bindings'

export type {
  EsitoImportazioneFdr,
  EsitoImportazioneTesoreria,
  FdrVista,
  MovimentoVista,
  PagamentoVista,
  RegoleRiconciliazione,
  RegoleTesoreria,
  RiconciliazioneVista,
  StatoPagamento,
}

/** The treasury journal's formats. */
export type FormatoTesoreria = 'csv' | 'xls' | 'opi' | 'poste'

export const riconciliazione = {
  /** Imports the FdR files chosen: all of them, or none if one is wrong. */
  importaFdr: (percorsi: string[]) => invoke<EsitoImportazioneFdr>('fdr_importa', { percorsi }),
  /** Every FdR with its quadratura. */
  elencoFdr: () => invoke<FdrVista[]>('fdr_elenco'),
  /** Every payment's state and reason, those in `stato` only when given. */
  pagamenti: (stato?: StatoPagamento) => invoke<PagamentoVista[]>('riconciliazione_pagamenti', { stato }),
  regole: () => invoke<RegoleRiconciliazione>('riconciliazione_regole'),
  salvaRegole: (r: Partial<RegoleRiconciliazione>) =>
    invoke<RegoleRiconciliazione>('riconciliazione_regole_salva', {
      indiceMancantePrimo: r.indice_mancante_primo,
      esito9Rendicontato: r.esito9_rendicontato,
    }),
  /** Imports a treasury journal: the format from its content unless given; `mappatura` holds
   *  a CSV's `campo=colonna` changes. */
  importaTesoreria: (percorso: string, formato?: FormatoTesoreria, mappatura?: string[]) =>
    invoke<EsitoImportazioneTesoreria>('tesoreria_importa', { percorso, formato, mappatura }),
  /** Every treasury entry with its match, or why not and its suggestions. */
  movimentiTesoreria: () => invoke<MovimentoVista[]>('tesoreria_movimenti'),
  /** Payments (those in `stato` only, when given), treasury entries and the totals by state
   *  with their amounts. */
  completa: (stato?: StatoPagamento) => invoke<RiconciliazioneVista>('riconciliazione_completa', { stato }),
  regoleTesoreria: () => invoke<RegoleTesoreria>('tesoreria_regole'),
  salvaRegoleTesoreria: (r: Partial<RegoleTesoreria>) =>
    invoke<RegoleTesoreria>('tesoreria_regole_salva', {
      giorniRendicontazione: r.giorni_rendicontazione,
      giorniIncasso: r.giorni_incasso,
      giorniSuggerimento: r.giorni_suggerimento,
    }),
}
