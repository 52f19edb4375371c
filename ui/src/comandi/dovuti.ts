// Typed calls to the Dovuti form and bulk commands (src-tauri/src/commands/dovuti.rs).
import { invoke } from '@tauri-apps/api/core'

/** The form's fields (names of the inputs, and of the back end's `CampiDovuto`). */
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
] as const
export type CampoForm = (typeof CAMPI_FORM)[number]
export type Valori = Partial<Record<CampoForm, string>>

/** A problem of a debt, tied to a form field when `chiave` is set. */
export interface Segnalazione {
  codice: string
  chiave: string | null
  campo: string | null
  valore: string | null
  messaggio: string
  grave: boolean
}

export interface SchedaDovuto {
  iud: string
  stato: string
  etichetta: string
  modificabile: boolean
  valori: Valori
  problemi: Segnalazione[]
  origine: string | null
  rifiuto: string | null
  pronto_possibile: boolean
}

export interface EsitoScheda {
  salvato: boolean
  problemi: Segnalazione[]
  scheda: SchedaDovuto
}

export interface EsitoAzione {
  iud: string
  ok: boolean
  messaggio: string
}

export const dovuti = {
  scheda: (iud: string) => invoke<SchedaDovuto>('dovuto_scheda', { iud }),
  salva: (iud: string, campi: Valori, pronto: boolean) =>
    invoke<EsitoScheda>('dovuto_salva', { iud, campi, pronto }),
  pronti: (iuds: string[]) => invoke<EsitoAzione[]>('dovuti_pronti', { iuds }),
  annulla: (iuds: string[]) => invoke<EsitoAzione[]>('dovuti_annulla', { iuds }),
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
    if (ko.length > 5) s += ` e altri ${ko.length - 5}`
  }
  return s
}
