// Maps the back end's findings (`{campo, messaggio, grave}`) onto the form's fields, so that
// each message shows under the input it is about.
import { CF_CONTROLLO, PIVA_CONTROLLO } from './validazioneEnte'
import { centsDaTesto, dataIso } from './format'

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

// ---------------------------------------------------------------------------------------
// Client-side checks of the debt form, run as the clerk types (cheap ones only: the back end
// applies MyPay's rules and ours on save, and its findings replace these).


const DISPARI: Record<string, number> = {
  '0': 1, '1': 0, '2': 5, '3': 7, '4': 9, '5': 13, '6': 15, '7': 17, '8': 19, '9': 21,
  A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15, H: 17, I: 19, J: 21, K: 2, L: 4, M: 18,
  N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23,
}

/** The check letter of the first 15 characters of a codice fiscale. */
export function carattereControllo(primi15: string): string {
  let somma = 0
  for (let i = 0; i < 15; i++) {
    const c = primi15[i]
    if (i % 2 === 0) somma += DISPARI[c] ?? 0
    else somma += /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65
  }
  return String.fromCharCode(65 + (somma % 26))
}

/** What spreadsheets and copy-paste leave in codes: spaces of every kind, zero-width marks. */
export function pulisciCodice(s: string): string {
  return s.replace(/[\s\u00a0\u200b\u200c\u200d\u2060\ufeff]/g, '').toUpperCase()
}

const CF16 = /^[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/

/** A codice fiscale (16) or partita IVA (11): null when plausible, else the Italian message. */
export function controllaCodiceFiscale(s: string): string | null {
  const c = pulisciCodice(s)
  if (!c) return 'Il codice fiscale o la partita IVA è obbligatorio'
  if (c === 'ANONIMO') return null
  if (/^\d{11}$/.test(c)) {
    let somma = 0
    for (let i = 0; i < 10; i++) {
      let d = Number(c[i])
      if (i % 2 === 1) {
        d *= 2
        if (d > 9) d -= 9
      }
      somma += d
    }
    return (10 - (somma % 10)) % 10 === Number(c[10])
      ? null
      : `Partita IVA errata: ${PIVA_CONTROLLO}`
  }
  if (c.length !== 16) {
    return `Il codice fiscale ha 16 caratteri (la partita IVA 11 cifre): qui ne sono stati scritti ${c.length}`
  }
  if (!CF16.test(c)) return 'Codice fiscale non valido: controlli lettere e cifre (es. RSSMRA80A01H501U)'
  if (carattereControllo(c.slice(0, 15)) !== c[15]) return `Codice fiscale errato: ${CF_CONTROLLO}`
  return null
}

/** An amount as Italians type it (`1.234,56`): null when valid and positive. */
export function controllaImporto(s: string): string | null {
  if (!s.trim()) return 'L\u2019importo è obbligatorio'
  const c = centsDaTesto(s)
  if (c === null) return 'Importo non valido: scriva ad esempio 1.234,56 (virgola per i decimali, al più due)'
  if (c <= 0) return 'L\u2019importo deve essere maggiore di zero'
  if (c > 99_999_999_999) return 'Importo troppo grande: al massimo 999.999.999,99'
  return null
}

/** A due date `gg/mm/aaaa` (empty allowed: the payment type says if it is required). */
export function controllaData(s: string): string | null {
  if (!s.trim()) return null
  return dataIso(s) ? null : 'Data non valida: la scriva come gg/mm/aaaa, ad esempio 31/12/2026'
}

export function controllaEmail(s: string): string | null {
  if (!s.trim()) return null
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.trim()) ? null : 'Indirizzo e-mail non valido'
}

/** Client-side messages per form field (only the fields with a problem). */
export function controlliForm(v: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  const metti = (k: string, m: string | null) => {
    if (m) out[k] = m
  }
  metti('codice_pagatore', controllaCodiceFiscale(v.codice_pagatore ?? ''))
  if (!(v.anagrafica ?? '').trim()) out.anagrafica = 'Il nome del pagatore è obbligatorio'
  metti('importo', controllaImporto(v.importo ?? ''))
  metti('scadenza', controllaData(v.scadenza ?? ''))
  metti('email', controllaEmail(v.email ?? ''))
  if ((v.causale ?? '').length > 1024) out.causale = 'Causale troppo lunga'
  const cap = (v.cap ?? '').trim()
  if (cap && (v.nazione ?? 'IT').toUpperCase() in { '': 1, IT: 1 } && !/^\d{5}$/.test(cap)) {
    out.cap = 'Il CAP italiano ha 5 cifre'
  }
  const pr = (v.provincia ?? '').trim()
  if (pr && !/^[A-Za-z]{2}$/.test(pr)) out.provincia = 'Sigla della provincia: due lettere (es. VE)'
  return out
}

/** The back end's findings grouped by form field (`chiave`): errors and warnings apart; the
 * rest as general messages. */
export function perCampo(
  problemi: { chiave: string | null; campo: string | null; messaggio: string; grave: boolean }[],
): { campi: Record<string, string[]>; avvisi: Record<string, string[]>; generali: string[]; bloccanti: boolean } {
  const campi: Record<string, string[]> = {}
  const avvisi: Record<string, string[]> = {}
  const generali: string[] = []
  let bloccanti = false
  for (const p of problemi) {
    if (p.grave) bloccanti = true
    if (p.chiave && p.chiave !== 'iud') ((p.grave ? campi : avvisi)[p.chiave] ??= []).push(p.messaggio)
    else generali.push((p.campo ? `${p.campo}: ` : '') + (p.grave ? p.messaggio : `Attenzione: ${p.messaggio}`))
  }
  return { campi, avvisi, generali, bloccanti }
}
