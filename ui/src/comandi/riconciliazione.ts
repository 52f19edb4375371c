// Typed calls to the Riconciliazione commands (mpd-app `riconciliazione`; types generated in
// ../bindings). The Riconciliazione screen (issue 16) calls them.
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  AvanzamentoFdr,
  EsitoImportazioneFdr,
  EsitoScaricamentoFdr,
  EventoSync,
  FdrVista,
  PagamentoVista,
  RegoleRiconciliazione,
  StatoPagamento,
} from '../bindings'

export type {
  EsitoImportazioneFdr,
  EsitoScaricamentoFdr,
  FdrVista,
  PagamentoVista,
  RegoleRiconciliazione,
  StatoPagamento,
}

export const riconciliazione = {
  /** Imports the FdR files chosen: all of them, or none if one is wrong. */
  importaFdr: (percorsi: string[]) => invoke<EsitoImportazioneFdr>('fdr_importa', { percorsi }),
  /** Downloads the FdR from MyPay since the last complete day, or those MyPay acquired
   * `dal`..`al` (`GG/MM/AAAA` or `AAAA-MM-GG`, both or neither); `su` hears each engine event
   * (a day completed, the flows stored so far in `righe` of phase `rendicontazione`). */
  scaricaFdr: (su: (e: EventoSync) => void, dal?: string, al?: string) => {
    const avanzamento = new Channel<AvanzamentoFdr>()
    avanzamento.onmessage = (m) => su(m.evento)
    return invoke<EsitoScaricamentoFdr>('fdr_scarica', { dal, al, avanzamento })
  },
  /** Stops the running download at the next flow (what was stored stays). */
  annullaScaricamentoFdr: () => invoke<void>('fdr_annulla'),
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
