// Inline checks of the Ente profile form, as the clerk types. They mirror the back end's
// (mpd-core `adesione::modulo::valida`, same field keys and reasons), which stays the authority
// on save; here they only give immediate feedback. Each message names the field and says why.
import { dataIso } from './format'
import type { ModuloEnte } from './comandi/adesione'

/** Upper case without spaces: how codes and IBANs are stored. */
export function compatta(s: string): string {
  return s.replace(/\s+/g, '').toUpperCase()
}

/** IBAN: ISO 13616 mod 97; an Italian one has 27 characters. `null` when valid. */
export function controllaIban(input: string): string | null {
  const iban = compatta(input)
  if (iban.startsWith('IT') && iban.length !== 27) return `un IBAN italiano ha 27 caratteri, questo ne ha ${iban.length}`
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return 'non ha la forma di un IBAN (due lettere, due cifre di controllo, poi il codice del conto)'
  if (iban.startsWith('IT') && !/^IT\d{2}[A-Z]\d{10}[A-Z0-9]{12}$/.test(iban))
    return 'non ha la forma di un IBAN italiano (CIN, ABI, CAB e numero di conto)'
  const moved = iban.slice(4) + iban.slice(0, 4)
  let rest = 0
  for (const ch of moved) {
    const v = ch >= 'A' && ch <= 'Z' ? String(ch.charCodeAt(0) - 55) : ch
    for (const d of v) rest = (rest * 10 + Number(d)) % 97
  }
  if (rest !== 1) return 'le cifre di controllo non corrispondono: ricopiarlo dal documento della banca'
  return null
}

/** The check digit of an 11-digit fiscal code / partita IVA from its first 10 digits. */
export function cifraControlloPiva(first10: string): number {
  let sum = 0
  for (let i = 0; i < 10; i++) {
    let d = Number(first10[i])
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return (10 - (sum % 10)) % 10
}

/** A wrong check digit or character: the code must be copied again from the document. Never
 * the expected character (issue 13): "fixing" the last one turns a typo in the middle into
 * someone else's valid code. The same sentences as mpd-domain's `PIVA_CONTROLLO`/`CF_CONTROLLO`. */
export const PIVA_CONTROLLO =
  "la cifra di controllo (l'ultima) non corrisponde alle altre: almeno una cifra è sbagliata. Va ricopiata dal documento (visura, fattura, atto); correggerla a intuito può dare il numero di un altro soggetto"
export const CF_CONTROLLO =
  "il carattere di controllo (l'ultimo) non corrisponde agli altri: almeno un carattere è sbagliato. Va ricopiato dal documento (tessera sanitaria o carta d'identità); correggerlo a intuito può dare il codice di un'altra persona"

/** Numeric fiscal code of a body (11 digits with the check digit). `null` when valid. */
export function controllaPiva(input: string): string | null {
  const cf = input.trim()
  if (!/^\d*$/.test(cf)) return 'deve contenere solo cifre (11 cifre, senza spazi né lettere)'
  if (cf.length !== 11) return `deve avere esattamente 11 cifre, ne ha ${cf.length}`
  const expected = cifraControlloPiva(cf)
  if (expected !== Number(cf[10]))
    return PIVA_CONTROLLO
  if (/^0{7}/.test(cf)) return 'le prime 7 cifre non possono essere tutte zero: non è una partita IVA reale'
  return null
}

const DISPARI: Record<string, number> = {}
;'1,0,5,7,9,13,15,17,19,21'.split(',').forEach((v, i) => (DISPARI[String(i)] = Number(v)))
;'1,0,5,7,9,13,15,17,19,21,2,4,18,20,11,3,6,8,12,14,16,10,22,25,24,23'
  .split(',')
  .forEach((v, i) => (DISPARI[String.fromCharCode(65 + i)] = Number(v)))

/** A person's 16-character codice fiscale (omocodia allowed). `null` when valid. */
export function controllaCf16(input: string): string | null {
  const cf = compatta(input)
  if (cf.length !== 16) return `deve avere 16 caratteri, ne ha ${cf.length}`
  const o = '[0-9LMNPQRSTUV]'
  if (!new RegExp(`^[A-Z]{6}${o}{2}[ABCDEHLMPRST]${o}{2}[A-Z]${o}{3}[A-Z]$`).test(cf))
    return 'non ha la forma di un codice fiscale (6 lettere, anno, mese, giorno, comune, carattere di controllo)'
  let sum = 0
  for (let i = 0; i < 15; i++) {
    const c = cf[i]
    sum += i % 2 === 0 ? DISPARI[c] : c >= 'A' ? c.charCodeAt(0) - 65 : Number(c)
  }
  const expected = String.fromCharCode(65 + (sum % 26))
  if (expected !== cf[15]) return CF_CONTROLLO
  return null
}

/** A plausible e-mail or PEC address. */
export function emailPlausibile(s: string): boolean {
  const parts = s.trim().split('@')
  if (parts.length !== 2 || !parts[0] || /\s/.test(s.trim())) return false
  const dom = parts[1]
  return dom.includes('.') && !dom.startsWith('.') && !dom.endsWith('.')
}

/** Inhabitants as typed (`4.200`) → number, or null. */
export function abitanti(s: string): number | null {
  const t = s.replace(/[.\s\u00a0]/g, '')
  return /^\d+$/.test(t) ? Number(t) : null
}

/** `dd/mm/yyyy` or `yyyy-mm-dd` → ISO, or null. */
function iso(s: string): string | null {
  const t = s.trim()
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return dataIso(`${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)}`)
  return dataIso(t)
}

/** The population rule: a population needs a reference date, which is a real, past date. */
export function controllaPopolazione(popolazione: string, data: string, oggiIso: string): Record<string, string> {
  const e: Record<string, string> = {}
  const pop = popolazione.trim()
  if (pop) {
    if (abitanti(pop) === null) e.popolazione = `Popolazione «${pop}»: deve essere un numero intero di abitanti`
    else if (!data.trim())
      e.popolazione_data =
        'Data di riferimento della popolazione: obbligatoria quando si indica la popolazione (le soglie del contributo valgono per un dato ufficiale a una data precisa)'
  }
  const d = data.trim()
  if (d) {
    const i = iso(d)
    if (!i) e.popolazione_data = `Data di riferimento della popolazione «${d}»: non è una data, scrivere gg/mm/aaaa`
    else if (i > oggiIso)
      e.popolazione_data = `Data di riferimento della popolazione «${d}»: è nel futuro, indicare la data del dato ufficiale`
  }
  return e
}

/** The Ente's own codes (also the first-start wizard's). */
export function validaCodiciEnte(m: {
  denominazione: string
  codice_ipa: string
  codice_fiscale: string
  codice_segregazione: string
}): Record<string, string> {
  const e: Record<string, string> = {}
  if (!m.denominazione.trim()) e.denominazione = 'Denominazione: obbligatoria (es. «Comune di Esempio»)'
  const ipa = m.codice_ipa.trim()
  if (!ipa) e.codice_ipa = "Codice IPA: obbligatorio, è il codice dell'Ente nell'Indice della PA (es. «c_a123»)"
  else if (/[-\s]/.test(ipa))
    e.codice_ipa = `Codice IPA «${ipa}»: senza spazi né trattini (il trattino separa le parti del nome dei flussi)`
  const cf = m.codice_fiscale.trim()
  if (!cf) e.codice_fiscale = "Codice fiscale dell'Ente: obbligatorio, 11 cifre"
  else {
    const err = controllaPiva(cf)
    if (err) e.codice_fiscale = `Codice fiscale dell'Ente «${cf}»: ${err}`
  }
  const seg = m.codice_segregazione.trim()
  if (!/^\d{2}$/.test(seg))
    e.codice_segregazione = `Codice di segregazione «${seg}»: servono esattamente due cifre (es. «12»), come assegnato da MyPay`
  return e
}

const TASSONOMIA = /^9\/\d{7}[A-Z]{2}\/$/

/** A text longer than the notice prints (mpd-avviso's limits). */
function lungo(nome: string, v: string, max: number): string | null {
  const n = [...v.trim()].length
  return n > max ? `${nome}: è lungo ${n} caratteri, l'avviso pagoPA ne stampa al massimo ${max}` : null
}

/** The notice's fields of the profile (mpd-core `ente_file::avviso`, same keys and reasons). */
export function validaAvviso(m: ModuloEnte): Record<string, string> {
  const e: Record<string, string> = {}
  const a = m.avviso
  for (const [k, nome, max] of [
    ['settore', 'Settore o ufficio', 50],
    ['info', 'Contatti', 100],
    ['canale_fisico', "Sportello dell'Ente", 50],
  ] as const) {
    const err = lungo(nome, a[k], max)
    if (err) e[`avviso.${k}`] = err
  }
  const cbill = a.cbill.replace(/\s+/g, '').toUpperCase()
  if (cbill && !/^[A-Z0-9]{5}$/.test(cbill))
    e['avviso.cbill'] = `Codice CBILL «${cbill}»: sono 5 lettere o cifre (es. «A0EDT»), come assegnato dalla banca tesoriera`
  m.tipi.forEach((t, i) => {
    const nome = t.codice.trim() ? `Tipo dovuto «${t.codice.trim()}»` : `Tipo dovuto n. ${i + 1}`
    const numero = t.conto_postale.trim()
    const intestatario = t.intestatario_conto_postale.trim()
    const aut = t.autorizzazione_poste.trim()
    if (!numero && !intestatario && !aut) return
    if (!numero)
      e[`tipi.${i}.conto_postale`] = `${nome}, Conto corrente postale: obbligatorio quando si indicano l'intestatario o l'autorizzazione di Poste`
    else if (!/^\d{1,12}$/.test(numero.replace(/\s+/g, '')))
      e[`tipi.${i}.conto_postale`] = `${nome}, Conto corrente postale «${numero}»: sono 12 cifre (gli zeri iniziali si possono omettere)`
    if (!intestatario)
      e[`tipi.${i}.intestatario_conto_postale`] = `${nome}, Intestatario del conto postale: obbligatorio con il conto (è stampato sul bollettino)`
    else {
      const err = lungo('Intestatario del conto postale', intestatario, 50)
      if (err) e[`tipi.${i}.intestatario_conto_postale`] = `${nome}, ${err}`
    }
    if (!aut)
      e[`tipi.${i}.autorizzazione_poste`] = `${nome}, Autorizzazione di Poste alla stampa in proprio: obbligatoria con il conto (es. «AUT. DB/SISB/E 123456 DEL 01/02/2026»)`
    else {
      const err = lungo('Autorizzazione di Poste alla stampa in proprio', aut, 100)
      if (err) e[`tipi.${i}.autorizzazione_poste`] = `${nome}, ${err}`
    }
  })
  return e
}

/** Every field of the form; keys as the back end's (`conti.0.iban`, `tipi.1.tassonomia`…). */
export function validaModulo(m: ModuloEnte, oggiIso: string, cfRegistrato?: string): Record<string, string> {
  const e: Record<string, string> = { ...validaCodiciEnte(m) }
  // The code already stored is the one MyPay registered: a check-digit failure on it is only
  // a warning (the back end says so on save; the documents check still refuses it).
  if (e.codice_fiscale && cfRegistrato && m.codice_fiscale.trim() === cfRegistrato && e.codice_fiscale.endsWith(PIVA_CONTROLLO))
    delete e.codice_fiscale
  const pec = m.pec.trim()
  if (pec && !emailPlausibile(pec)) e.pec = `PEC «${pec}»: non è un indirizzo di posta valido`
  const istat = m.codice_istat.trim()
  if (istat && !/^\d{6}$/.test(istat)) e.codice_istat = `Codice ISTAT «${istat}»: deve avere 6 cifre (es. «013075»)`
  Object.assign(e, controllaPopolazione(m.popolazione, m.popolazione_data, oggiIso))
  for (const [key, nome, r] of [
    ['referente_amministrativo', 'Referente amministrativo', m.referente_amministrativo],
    ['referente_tecnico', 'Referente tecnico', m.referente_tecnico],
  ] as const) {
    const cf = compatta(r.codice_fiscale)
    const errCf = cf ? controllaCf16(cf) : null
    if (errCf) e[`${key}.codice_fiscale`] = `${nome}, codice fiscale «${cf}»: ${errCf}`
    const mail = r.email.trim()
    if (mail && !emailPlausibile(mail)) e[`${key}.email`] = `${nome}, email «${mail}»: non è un indirizzo di posta valido`
  }
  m.conti.forEach((c, i) => {
    const n = i + 1
    const iban = compatta(c.iban)
    if (!iban) e[`conti.${i}.iban`] = `Conto n. ${n}, IBAN: obbligatorio`
    else {
      const err = controllaIban(iban)
      if (err) e[`conti.${i}.iban`] = `Conto n. ${n}, IBAN «${iban}»: ${err}`
    }
  })
  const visti: string[] = []
  m.tipi.forEach((t, i) => {
    const codice = t.codice.trim()
    const nome = codice ? `Tipo dovuto «${codice}»` : `Tipo dovuto n. ${i + 1}`
    if (!codice || /\s/.test(codice) || codice.length > 64)
      e[`tipi.${i}.codice`] = `${nome}, codice: obbligatorio, senza spazi, al massimo 64 caratteri`
    else if (codice === 'MARCA_BOLLO_DIGITALE')
      e[`tipi.${i}.codice`] = `${nome}, codice: MARCA_BOLLO_DIGITALE non si può usare nei flussi di dovuti`
    else if (visti.includes(codice)) e[`tipi.${i}.codice`] = `${nome}, codice: già usato da un altro tipo dovuto`
    visti.push(codice)
    if (!t.descrizione.trim()) e[`tipi.${i}.descrizione`] = `${nome}, descrizione: obbligatoria`
    if (!TASSONOMIA.test(t.tassonomia.trim()))
      e[`tipi.${i}.tassonomia`] = `${nome}, codice tassonomico «${t.tassonomia.trim()}»: sceglierlo dall'elenco pagoPA (forma 9/0101100IM/)`
    const iban = compatta(t.iban)
    const errIban = iban ? controllaIban(iban) : null
    if (errIban) e[`tipi.${i}.iban`] = `${nome}, IBAN «${iban}»: ${errIban}`
    const imp = t.importo_predefinito.trim()
    if (imp) {
      const ok = /^\d{1,3}(\.\d{3})*(,\d{1,2})?$|^\d+([,.]\d{1,2})?$/.test(imp.replace(/\s|€/g, ''))
      if (!ok) e[`tipi.${i}.importo_predefinito`] = `${nome}, importo predefinito «${imp}»: scrivere ad esempio 120,50`
      else if (Number(imp.replace(/\s|€|\./g, '').replace(',', '.')) <= 0)
        e[`tipi.${i}.importo_predefinito`] = `${nome}, importo predefinito «${imp}»: deve essere maggiore di zero`
    }
    const sc = t.scadenza_predefinita.trim()
    if (sc && !iso(sc)) e[`tipi.${i}.scadenza_predefinita`] = `${nome}, scadenza predefinita «${sc}»: non è una data, scrivere gg/mm/aaaa`
  })
  Object.assign(e, validaAvviso(m))
  return e
}

/** Today as `yyyy-mm-dd` (local calendar). */
export function oggiIso(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

/** The completeness check names fields as the profile file does; the clerk reads these. */
const ETICHETTE: Record<string, string> = {
  'ente.codice_fiscale': "Codice fiscale dell'Ente",
  'ente.pec': 'PEC',
  'ente.indirizzo': 'Sede',
  'adesione.tipo_ente': 'Tipo di ente',
  'adesione.codice_istat': 'Codice ISTAT',
  'adesione.popolazione': 'Popolazione residente',
  'adesione.popolazione_data': 'Data della popolazione',
  'adesione.popolazione_fonte': 'Fonte della popolazione',
  'adesione.modalita': 'Modalità di adesione',
  'adesione.legale_rappresentante': 'Legale rappresentante',
  'referenti.amministrativo': 'Referente amministrativo',
  'referenti.tecnico': 'Referente tecnico',
  conti: 'Conti di accredito',
  tipi_dovuto: 'Tipi dovuto',
}

/** `conti[1].iban` → `Conto n. 1, IBAN`; `tipi_dovuto «TARI».iban` → `Tipo dovuto «TARI», IBAN`. */
export function etichettaCampo(campo: string): string {
  if (ETICHETTE[campo]) return ETICHETTE[campo]
  const ref = /^referenti\.(amministrativo|tecnico)\.(\w+)$/.exec(campo)
  if (ref) return `Referente ${ref[1]}, ${ref[2].replace('_', ' ')}`
  const conto = /^conti\[(\d+)\]\.(\w+)$/.exec(campo)
  if (conto) return `Conto n. ${conto[1]}, ${conto[2] === 'iban' ? 'IBAN' : conto[2]}`
  const tipo = /^tipi_dovuto («[^»]*»)\.(\w+)$/.exec(campo)
  if (tipo) {
    const k = tipo[2] === 'dati_specifici_riscossione' ? 'codice tassonomico' : tipo[2] === 'iban' ? 'IBAN' : tipo[2]
    return `Tipo dovuto ${tipo[1]}, ${k}`
  }
  return campo
}
