// The writing rules of ui/WRITING.md that a scan can keep (issue 13 items 17 and 18): the
// window addresses the clerk as «Lei», never with «tu», and shows no code of MyPay, no
// environment variable, no TOML syntax, no internal name.
import { describe, expect, it } from 'vitest'

/** The source of every non-test module of the window. */
const sorgenti = import.meta.glob<string>(
  ['./**/*.ts', './**/*.tsx', '!./**/*.test.ts', '!./**/*.test.tsx', '!./bindings.ts', '!./test-setup.ts'],
  { query: '?raw', import: 'default', eager: true },
)

/**
 * The text a clerk may read: string literals (quotes, template literals) and JSX text, with
 * comments dropped and «…» quotations of a button's or screen's name left out (a label such as
 * «Scegli file…» is quoted as it is written on the button).
 */
export function testiDelSorgente(sorgente: string): string[] {
  const senzaCommenti = sorgente.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/[^\n]*/g, '$1')
  const testi: string[] = []
  const re = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`|>([^<>{}]+)</g
  let m: RegExpExecArray | null
  while ((m = re.exec(senzaCommenti))) {
    const t = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').replace(/«[^»]*»/g, '«»')
    if (/[a-zà-ù]{2,} [a-zà-ù]{2,}/i.test(t)) testi.push(t.replace(/\s+/g, ' ').trim())
  }
  return testi
}

/** Words that can only be «tu» (second person singular; «controlla», «indica» can be a third
 * person: «il profilo si controlla»). */
const INFORMALE =
  /\b(tuo|tua|tuoi|tue|puoi|devi|vuoi|hai|correggi|correggila|correggile|scrivi|riprova|attendi|modificalo|annullala|creane|invialo|salvalo|aprilo|togli|chiedi|segnala|premi|inserisci|fai|trascina|clicca|vedi|scrivila|scrivilo|compilalo|importalo|caricalo|indicalo|modificale|ricaricale|aggiungila|correggilo)\b/i

/** What the window never shows (item 17). */
const TECNICISMI = /PAA_[A-Z]|MyBox|\[\[|MYPAY_[A-Z]|ExitStatus|Launcher gio|\bexport \d/

function trova(re: RegExp): string[] {
  const trovati: string[] = []
  for (const [file, sorgente] of Object.entries(sorgenti)) {
    for (const t of testiDelSorgente(sorgente)) if (re.test(t)) trovati.push(`${file}: ${t.slice(0, 100)}`)
  }
  return trovati
}

describe('the window’s words', () => {
  it('reads the sources', () => {
    expect(Object.keys(sorgenti).length).toBeGreaterThan(20)
    expect(testiDelSorgente("const a = 'Non salvato: corregga i campi' // scrivi qui")).toEqual(['Non salvato: corregga i campi'])
    expect(testiDelSorgente('<p>Trascina qui il foglio</p>')).toEqual(['Trascina qui il foglio'])
    expect(testiDelSorgente("x = 'Con «Configura il tuo Ente» inserisca tre dati'")).toEqual(['Con «» inserisca tre dati'])
  })

  it('address the clerk as «Lei», never with «tu»', () => {
    expect(INFORMALE.test('Ogni riga è salvata: fai clic per aprirla')).toBe(true)
    expect(INFORMALE.test('non è un importo: scriva solo cifre')).toBe(false)
    expect(trova(INFORMALE)).toEqual([])
  })

  it('show no code of MyPay, environment variable, TOML section or internal name', () => {
    expect(TECNICISMI.test('Caricato su MyBox')).toBe(true)
    expect(TECNICISMI.test('Richiesta delle ricevute n. 1')).toBe(false)
    expect(trova(TECNICISMI)).toEqual([])
  })
})
