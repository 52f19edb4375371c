// Maps the back end's findings (`{campo, messaggio, grave}`) onto the form's fields, so that
// each message shows under the input it is about.

export interface Problema {
  codice: string
  campo: string | null
  valore?: string | null
  messaggio: string
  grave: boolean
}

/** Back-end column names (tracciato and DebtInput) → the form field that shows them. */
const CAMPI: Record<string, string> = {
  codiceIdentificativoUnivoco: 'cf',
  cf: 'cf',
  anagraficaPagatore: 'nome',
  nome: 'nome',
  importo: 'importo',
  importoDovuto: 'importo',
  dataScadenzaPagamento: 'scadenza',
  scadenza: 'scadenza',
  tipoDovuto: 'tipo',
  tipo: 'tipo',
  causaleVersamento: 'causale',
  causale: 'causale',
  email: 'email',
  emailPagatore: 'email',
}

export interface ErroriForm {
  /** Messages per form field. */
  campi: Record<string, string[]>
  /** Messages not tied to a field of the form. */
  generali: string[]
  bloccanti: boolean
}

export function mappaProblemi(problemi: Problema[]): ErroriForm {
  const out: ErroriForm = { campi: {}, generali: [], bloccanti: false }
  for (const p of problemi) {
    if (p.grave) out.bloccanti = true
    const campo = p.campo ? CAMPI[p.campo] : undefined
    const testo = p.grave ? p.messaggio : `Attenzione: ${p.messaggio}`
    if (campo) (out.campi[campo] ??= []).push(testo)
    else out.generali.push(p.campo ? `${p.campo}: ${testo}` : testo)
  }
  return out
}
