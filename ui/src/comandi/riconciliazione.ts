// Typed calls to the Riconciliazione commands (mpd-app `riconciliazione`; types generated in
// ../bindings). No screen uses them yet (issue 16, first slice).
import { invoke } from '@tauri-apps/api/core'

import type {
  EsitoImportazioneFdr,
  FdrVista,
  PagamentoVista,
  RegoleRiconciliazione,
  StatoPagamento,
} from '../bindings'

export type { EsitoImportazioneFdr, FdrVista, PagamentoVista, RegoleRiconciliazione, StatoPagamento }

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
}
