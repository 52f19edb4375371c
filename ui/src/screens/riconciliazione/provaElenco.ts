// Vitest only: a test double of the back end's payments' list (mpd-app
// `riconciliazione::elenco_pagamenti`, command `riconciliazione_elenco`), built from a plain list
// of payments: the filter (none: the anomalies when there are some, else every payment), the
// page of 50 asked for (the last when past it) and the totals of every payment, each payment's
// amount the receipt's, else the flow's.
import { importoDi, type ElencoPagamenti, type FiltroPagamenti, type PagamentoVista } from '../../comandi/riconciliazione'

type Argomenti = { filtro?: FiltroPagamenti; pagina?: number } | undefined

/** The answer to `riconciliazione_elenco` over `pagamenti` (or what the function gives at each
 * call, for a back end whose data change during the test). */
export function elencoDi(pagamenti: readonly PagamentoVista[] | (() => readonly PagamentoVista[])) {
  return (a: Argomenti): ElencoPagamenti => {
    const tutti = typeof pagamenti === 'function' ? pagamenti() : pagamenti
    const filtro = a?.filtro ?? (tutti.some((p) => p.anomalia) ? 'anomalie' : 'tutti')
    const presi = tutti.filter((p) => filtro === 'tutti' || (filtro === 'anomalie' ? p.anomalia : p.stato === filtro))
    const pagine = Math.max(1, Math.ceil(presi.length / 50))
    const pagina = Math.min(Math.max(0, a?.pagina ?? 0), pagine - 1)
    const totali = new Map<string, ElencoPagamenti['totali'][number]>()
    for (const p of tutti) {
      const t = totali.get(p.stato) ?? { stato: p.stato, etichetta: p.etichetta, anomalia: p.anomalia, numero: 0, importo_cents: 0 }
      t.numero += 1
      t.importo_cents += importoDi(p)
      totali.set(p.stato, t)
    }
    return {
      totali: [...totali.values()],
      filtro,
      numero: presi.length,
      pagina,
      pagine,
      pagamenti: presi.slice(pagina * 50, (pagina + 1) * 50),
    }
  }
}
