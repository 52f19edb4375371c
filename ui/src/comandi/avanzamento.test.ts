import { describe, expect, it } from 'vitest'
import { AVANZAMENTO_INIZIALE, MAX_RIGHE, aggiorna, concludi, descriviEvento, formattaByte, percentuale } from './avanzamento'

describe('formattaByte', () => {
  it('uses Italian decimals and sensible units', () => {
    expect(formattaByte(512)).toBe('512 byte')
    expect(formattaByte(1536)).toBe('1,5 kB')
    expect(formattaByte(2_500_000)).toBe('2,5 MB')
    expect(formattaByte(3_200_000_000)).toBe('3,2 GB')
    expect(formattaByte(-1)).toBe('')
  })
})

describe('progress events', () => {
  it('describes each event in Italian', () => {
    expect(descriviEvento({ tipo: 'step', oggetto: 'F1', passo: 'caricato' })).toBe('F1: caricato')
    expect(descriviEvento({ tipo: 'waiting', oggetto: 'F1', stato: 'IMPORT_IN_ELAB' })).toBe('F1: MyPay lo sta elaborando')
    expect(descriviEvento({ tipo: 'progress', fase: 'ricevute', byte: 0, totale: null, righe: 7000 })).toBe('Ricevute: 7.000 righe')
    expect(descriviEvento({ tipo: 'progress', fase: 'caricamento', byte: 500_000, totale: 1_000_000, righe: 0 })).toBe(
      'Caricamento del flusso: 500,0 kB di 1,0 MB',
    )
    expect(descriviEvento({ tipo: 'retry', operazione: 'invio', tentativo: 2, errore: 'timeout', attesa_ms: 1500 })).toContain(
      'tentativo 2 non riuscito (timeout); nuovo tentativo tra 1,5 s',
    )
  })

  it('computes a percentage only when the total is known', () => {
    expect(percentuale({ tipo: 'progress', fase: 'x', byte: 250, totale: 1000, righe: 0 })).toBe(25)
    expect(percentuale({ tipo: 'progress', fase: 'x', byte: 2000, totale: 1000, righe: 0 })).toBe(100)
    expect(percentuale({ tipo: 'progress', fase: 'x', byte: 250, totale: null, righe: 0 })).toBeNull()
    expect(percentuale({ tipo: 'step', oggetto: 'a', passo: 'b' })).toBeNull()
  })

  it('folds events: keeps the last percentage, replaces repeated progress lines, caps the log', () => {
    let s = { ...AVANZAMENTO_INIZIALE, attivo: true }
    s = aggiorna(s, { tipo: 'progress', fase: 'ricevute', byte: 100, totale: 400, righe: 0 })
    s = aggiorna(s, { tipo: 'progress', fase: 'ricevute', byte: 200, totale: 400, righe: 0 })
    expect(s.percentuale).toBe(50)
    expect(s.registro).toHaveLength(1)
    s = aggiorna(s, { tipo: 'step', oggetto: 'export 1', passo: 'scaricato' })
    expect(s.percentuale).toBe(50)
    expect(s.byte).toBe(200)
    for (let i = 0; i < 20; i++) s = aggiorna(s, { tipo: 'step', oggetto: `F${i}`, passo: 'caricato' })
    expect(s.registro).toHaveLength(MAX_RIGHE)
    expect(s.registro[MAX_RIGHE - 1]).toBe('F19: caricato')
    expect(s.attivo).toBe(true)
  })

  it('at the end, no longer announces a new attempt that will not come', () => {
    let s = { ...AVANZAMENTO_INIZIALE, attivo: true }
    s = aggiorna(s, { tipo: 'step', oggetto: 'F1', passo: 'autorizzato' })
    s = aggiorna(s, { tipo: 'retry', operazione: 'invio del flusso', tentativo: 6, errore: 'MyPay non risponde', attesa_ms: 29_600 })
    expect(s.testo).toContain('nuovo tentativo tra 29,6 s')
    const fine = concludi(s)
    expect(fine.attivo).toBe(false)
    expect(fine.testo).toBe('invio del flusso: tentativo 6 non riuscito (MyPay non risponde)')
    expect(fine.registro.join('\n')).not.toContain('nuovo tentativo')
    expect(fine.registro[0]).toBe('F1: autorizzato')
    // Ended after a success: the last line stays as it was.
    const ok = concludi(aggiorna(s, { tipo: 'step', oggetto: 'F1', passo: 'esiti applicati' }))
    expect(ok.testo).toBe('F1: esiti applicati')
    expect(ok.attivo).toBe(false)
  })
})
