// Typed calls to the Riconciliazione commands (mpd-app `riconciliazione`; types generated in
// ../bindings). No screen uses them yet (issue 16).
import { invoke } from '@tauri-apps/api/core'

import type {
  CapitoloTipo,
  EsitoEsportazione,
  EsitoImportazioneFdr,
  FdrVista,
  PagamentoVista,
  RegoleRiconciliazione,
  PropostaReversale,
  StatoPagamento,
  Totali,
} from '../bindings'

export type {
  CapitoloTipo,
  EsitoEsportazione,
  EsitoImportazioneFdr,
  FdrVista,
  PagamentoVista,
  PropostaReversale,
  RegoleRiconciliazione,
  StatoPagamento,
  Totali,
}

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

/** The finance office's outputs (mpd-app `contabilita`). */
export const contabilita = {
  /** Collected amounts by payment type, chapter, accertamento and month. */
  totali: () => invoke<Totali>('riconciliazione_totali'),
  /** The reversal proposals of the treasury's provisional receipts. */
  proposte: () => invoke<PropostaReversale[]>('riconciliazione_proposte'),
  /** Saves the reversal proposals as .xlsx or .csv (by the path's extension). */
  salvaProposte: (percorso: string) =>
    invoke<EsitoEsportazione>('riconciliazione_salva_proposte', { percorso }),
  /** The reconciliation workbook: Riepilogo, Pagamenti, Anomalie, Proposte di reversale. */
  esporta: (percorso: string) => invoke<EsitoEsportazione>('riconciliazione_esporta', { percorso }),
  /** MyPivot's export, tracciato 1.4 (141 columns with the Ente's debts, else 120), as a zip. */
  esportaMyPivot: (percorso: string, conNotifiche: boolean, finestra: boolean) =>
    invoke<EsitoEsportazione>('riconciliazione_esporta_mypivot', { percorso, conNotifiche, finestra }),
  /** Each payment type's default chapter. */
  capitoliTipi: () => invoke<CapitoloTipo[]>('capitoli_tipi'),
  /** Sets (an empty chapter removes) a payment type's default chapter. */
  salvaCapitoloTipo: (capitolo: CapitoloTipo) => invoke<CapitoloTipo[]>('capitolo_tipo_salva', { capitolo }),
}
