// Typed calls to the Sportello commands (mpd-app `sportello`; types generated in ../bindings) and
// the mapping of the back end's validation text onto the form's fields.
import { invoke } from '@tauri-apps/api/core'

import type { DovutoSportello, EsitoSportello, PosizioniPagatore, RigaDovuto } from '../bindings'
import { dataIt, euro } from '../format'

export type { DovutoSportello, EsitoSportello, PosizioniPagatore, RigaDovuto }

/** The fields of the counter form the screen shows. */
export type CampoSportello = 'codice_pagatore' | 'anagrafica' | 'importo' | 'scadenza' | 'tipo' | 'causale' | 'email'

export const sportello = {
  /** The open debts identical to the form (same payer, type, amount and due date). */
  duplicati: (dovuto: DovutoSportello) => invoke<RigaDovuto[]>('sportello_duplicati', { dovuto }),
  /** Refused with `dovuto_duplicato` when an identical open debt exists, unless `ancheSeDuplicato`. */
  crea: (dovuto: DovutoSportello, ancheSeDuplicato: boolean) =>
    invoke<EsitoSportello>('sportello_crea', { dovuto, ancheSeDuplicato }),
  modifica: (iud: string, dovuto: DovutoSportello) =>
    invoke<EsitoSportello>('sportello_modifica', { iud, dovuto }),
  annulla: (iud: string) => invoke<void>('sportello_annulla', { iud }),
  cerca: (codice: string) => invoke<PosizioniPagatore>('sportello_cerca', { codice }),
  apriAvviso: (percorso: string) => invoke<void>('sportello_apri_avviso', { percorso }),
}

/** Names the core uses in its messages → the form's field. */
const CAMPI: Record<string, CampoSportello> = {
  codice: 'codice_pagatore',
  cf: 'codice_pagatore',
  codice_pagatore: 'codice_pagatore',
  codiceIdentificativoUnivoco: 'codice_pagatore',
  anagrafica: 'anagrafica',
  anagraficaPagatore: 'anagrafica',
  nome: 'anagrafica',
  importo: 'importo',
  importoDovuto: 'importo',
  scadenza: 'scadenza',
  dataScadenzaPagamento: 'scadenza',
  tipo: 'tipo',
  tipo_dovuto: 'tipo',
  tipoDovuto: 'tipo',
  causale: 'causale',
  causaleVersamento: 'causale',
  email: 'email',
  emailPagatore: 'email',
}

/** Splits `dovuto non valido: importo: …; causale: …` into messages per field; what names no
 * field of the form stays general. */
export function erroriPerCampo(messaggio: string): {
  campi: Partial<Record<CampoSportello, string>>
  generali: string[]
} {
  const out: { campi: Partial<Record<CampoSportello, string>>; generali: string[] } = {
    campi: {},
    generali: [],
  }
  const m = /^(?:dovuto|modifica) non valid[oa]:\s*(.*)$/s.exec(messaggio)
  if (!m) {
    out.generali.push(messaggio)
    return out
  }
  for (const parte of m[1].split(/;\s*/)) {
    const mm = /^([A-Za-z_]+):\s*(.*)$/s.exec(parte)
    const campo = mm ? CAMPI[mm[1]] : undefined
    if (mm && campo) out.campi[campo] = out.campi[campo] ? `${out.campi[campo]}; ${mm[2]}` : mm[2]
    else if (parte.trim()) out.generali.push(parte.trim())
  }
  return out
}

/** Quick checks while the clerk types (the back end checks everything again). */
export function controllaCampo(nome: CampoSportello, valore: string): string | null {
  const v = valore.trim()
  switch (nome) {
    case 'codice_pagatore':
      if (!v) return 'Obbligatorio'
      if (!/^[A-Za-z0-9]{16}$|^\d{11}$/.test(v.replace(/\s/g, '')))
        return 'Codice fiscale (16 caratteri) o partita IVA (11 cifre)'
      return null
    case 'anagrafica':
      return v ? null : 'Obbligatorio'
    case 'importo':
      if (!v) return 'Obbligatorio'
      return /^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+(,\d{1,2})?$/.test(v) ? null : 'Importo come 1.234,56'
    case 'scadenza':
      return !v || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(v) ? null : 'Data come gg/mm/aaaa'
    case 'email':
      return !v || /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? null : 'Indirizzo email non valido'
    default:
      return null
  }
}

/** The 18-digit notice number grouped as printed on notices: `3012 3456 7890 1234 56`. */
export function numeroAvvisoLeggibile(n: string | null | undefined): string {
  if (!n) return ''
  return n.replace(/(\d{4})(?=\d)/g, '$1 ')
}

/** An amount as the clerk typed it (`1.234,56`, `12`) in cents, or null. */
export function centesimi(importo: string | null | undefined): number | null {
  const v = (importo ?? '').trim().replace(/\s|€/g, '')
  if (!/^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+(,\d{1,2})?$/.test(v)) return null
  return Math.round(Number(v.replace(/\./g, '').replace(',', '.')) * 100)
}

/** The question before creating a debt identical to open ones (the first named). */
export function domandaDuplicato(uguali: RigaDovuto[]): string {
  const d = uguali[0]
  const scadenza = d.scadenza ? `, scadenza ${dataIt(d.scadenza)}` : ', senza scadenza'
  const altri = uguali.length === 2 ? ' e un altro' : uguali.length > 2 ? ` e altri ${uguali.length - 1}` : ''
  return `Esiste già un dovuto uguale per questo pagatore (IUD ${d.iud}, ${euro(d.importo_cents)}${scadenza})${altri}: crearne un altro?`
}

/** The question before cancelling a debt on MyPay, naming the payer and the amount. */
export function domandaAnnulla(anagrafica: string | null | undefined, importo: string | null | undefined): string {
  const c = centesimi(importo)
  const chi = anagrafica?.trim() ? ` di ${anagrafica.trim()}` : ''
  const quanto = c !== null ? ` di ${euro(c)}` : ''
  return `Annullare su MyPay il dovuto${chi}${quanto}?`
}
