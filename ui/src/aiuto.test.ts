// The help's content: every section of the window has its explanation, every term a section
// points to exists, the glossary holds the terms the clerk meets, and its search finds them.
import { describe, expect, it } from 'vitest'
import { AIUTO, GLOSSARIO, aiutoDi, cercaGlossario, voce } from './aiuto'
import { SEZIONI } from './App'

/** Terms the issue asks for by name (issue 13 item 22). */
const RICHIESTI = [
  'dovuto', 'iud', 'iuv', 'numero-avviso', 'codice-avviso', 'avviso', 'flusso', 'tracciato', 'scarto',
  'tipo-dovuto', 'tassonomia', 'codice-fiscale', 'ricevuta', 'iur', 'esito', 'mypay', 'pagopa', 'psp',
  'ente', 'codice-ipa', 'codice-segregazione', 'ambiente', 'bozza', 'pronto', 'caricato', 'rendicontazione',
]

describe('help of the sections', () => {
  it('exists for every section of the window, the first start and the Resoconto', () => {
    const ids = [...SEZIONI.map((s) => s.id), 'primo-avvio']
    for (const id of ids) {
      const a = AIUTO[id]
      expect(a, `help of ${id}`).toBeDefined()
      expect(a.titolo.length, id).toBeGreaterThan(0)
      expect(a.testo.length, `sentences of ${id}`).toBeGreaterThanOrEqual(2)
      expect(a.testo.length, `sentences of ${id}`).toBeLessThanOrEqual(5)
      expect(a.termini.length, `terms of ${id}`).toBeGreaterThan(0)
    }
  })

  it('points only to terms of the glossary, each once', () => {
    for (const [id, a] of Object.entries(AIUTO)) {
      for (const t of a.termini) expect(voce(t), `${id} → ${t}`).toBeDefined()
      expect(new Set(a.termini).size, id).toBe(a.termini.length)
    }
  })

  it('falls back to the Home for an unknown section', () => {
    expect(aiutoDi('non-esiste')).toBe(AIUTO.home)
    expect(aiutoDi('flussi').titolo).toBe('Flussi')
  })
})

describe('glossary', () => {
  it('has 20 to 30 terms with distinct ids and names, the required ones included', () => {
    expect(GLOSSARIO.length).toBeGreaterThanOrEqual(20)
    expect(GLOSSARIO.length).toBeLessThanOrEqual(30)
    expect(new Set(GLOSSARIO.map((v) => v.id)).size).toBe(GLOSSARIO.length)
    expect(new Set(GLOSSARIO.map((v) => v.termine.toLowerCase())).size).toBe(GLOSSARIO.length)
    for (const id of RICHIESTI) expect(voce(id), id).toBeDefined()
  })

  it('keeps every definition short and in the formal register', () => {
    for (const v of GLOSSARIO) {
      expect(v.definizione.length, v.id).toBeLessThanOrEqual(400)
      // "Lei", never "tu": no informal imperatives or possessives.
      expect(v.definizione, v.id).not.toMatch(/\b(tuo|tua|tuoi|scegli|inserisci|premi|puoi)\b/i)
    }
    // Button labels quoted «…» are the screens' own words, whatever their register.
    for (const [id, a] of Object.entries(AIUTO)) {
      for (const t of a.testo) expect(t.replace(/«[^»]*»/g, ''), id).not.toMatch(/\b(tuo|tua|tuoi|scegli|inserisci|premi|puoi|trovi)\b/i)
    }
  })

  it('search: everything for no text, names first, any case and accents, every word', () => {
    expect(cercaGlossario('')).toEqual(GLOSSARIO)
    expect(cercaGlossario('   ')).toEqual(GLOSSARIO)
    expect(cercaGlossario('rt')[0].id).toBe('ricevuta')
    expect(cercaGlossario('Segregazione')[0].id).toBe('codice-segregazione')
    expect(cercaGlossario('IUV')[0].id).toBe('iuv')
    expect(cercaGlossario('iuv').map((v) => v.id)).toContain('numero-avviso')
    expect(cercaGlossario('numero avviso')[0].id).toBe('numero-avviso')
    expect(cercaGlossario('PARTITA iva')[0].id).toBe('codice-fiscale')
    expect(cercaGlossario('collaudo').map((v) => v.id)).toEqual(['ambiente'])
    expect(cercaGlossario('citta').length).toBe(cercaGlossario('città').length)
    expect(cercaGlossario('zzzz')).toEqual([])
  })
})
