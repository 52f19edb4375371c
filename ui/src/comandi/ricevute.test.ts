import { describe, expect, it } from 'vitest'
import { decodificaRt, indentaXml, testoRiepilogo } from './ricevute'

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)))

describe('decodificaRt', () => {
  it('decodes base64 once or twice, UTF-8 included, and leaves XML alone', () => {
    const xml = '<RT><causale>Tassa è pagata</causale></RT>'
    expect(decodificaRt(b64(xml))).toBe(xml)
    expect(decodificaRt(b64(b64(xml)))).toBe(xml)
    expect(decodificaRt(xml)).toBe(xml)
    expect(decodificaRt(null)).toBe('')
    expect(decodificaRt('%%%')).toBe('%%%')
  })
})

describe('indentaXml', () => {
  it('puts elements on their own lines with text kept inline', () => {
    expect(indentaXml('<?xml version="1.0"?><a><b>1</b><c><d/></c></a>')).toBe(
      ['<?xml version="1.0"?>', '<a>', '  <b>1</b>', '  <c>', '    <d/>', '  </c>', '</a>'].join('\n'),
    )
  })
})

describe('testoRiepilogo', () => {
  const r = { lette: 5, nuove: 4, gia_presenti: 1, pagato: 3, importo_diverso: 1, sconosciuto: 0, doppio: 0, annullate_per_posizione: 0 }
  it('says what came and what to check', () => {
    expect(
      testoRiepilogo({ annullato: false, esito: { esportazioni: [1], file: [], riepilogo: r, cursore: null, in_attesa: false } }),
    ).toBe('Scaricate: 4 ricevute nuove, 1 già presente. Da controllare: 1 con importo diverso.')
    expect(testoRiepilogo({ annullato: true, esito: null })).toContain('annullato')
    const pagata = { ...r, annullate_per_posizione: 3 }
    expect(
      testoRiepilogo({ annullato: false, esito: { esportazioni: [1], file: [], riepilogo: pagata, cursore: null, in_attesa: false } }),
    ).toContain("3 rate annullate: la posizione è stata pagata nell'altro modo.")
  })
})
