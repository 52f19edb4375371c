import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({
  invoke: (...a: unknown[]) => invoke(...a),
  Channel: class {},
}))

import { GruppiDuplicati } from './GruppiDuplicati'
import { segnaPronti } from '../comandi/importa'

const gruppi = [
  { riga: 7, iud_archivio: null, righe: [8], bozze: ['MPD1-0000008'], descrizione: 'Rossi Mario (RSSMRA80A01H501U), 120,50 €' },
  { riga: null, iud_archivio: 'IUD-OLD', righe: [9, 10], bozze: ['MPD1-0000009', 'MPD1-0000010'], descrizione: 'Bianchi Anna (BNCNNA85M41F205X), 80,00 €' },
]

describe('GruppiDuplicati (issue 13: a repeated row is never ready silently)', () => {
  it('names what each group repeats and «Importa comunque» makes its drafts ready', async () => {
    invoke.mockImplementation((cmd: string, args: { bozze: string[] }) =>
      cmd === 'importa_comunque'
        ? Promise.resolve(args.bozze.map((iud, i) => ({ iud, ok: i === 0, messaggio: i === 0 ? 'pronto' : 'resta bozza: 1 problema' })))
        : Promise.reject(new Error(cmd)),
    )
    const onPronti = vi.fn()
    render(<GruppiDuplicati gruppi={gruppi} soloVerifica={false} onPronti={onPronti} />)
    const righe = screen.getAllByTestId('importa-gruppo-duplicati')
    expect(righe[1].getAttribute('data-righe')).toBe('9,10')
    expect(righe[1].getAttribute('data-archivio')).toBe('IUD-OLD')
    expect(righe[0].textContent).toContain('La riga 8 è uguale alla riga 7 del file: Rossi Mario')
    expect(righe[1].textContent).toContain('Le righe 9, 10 sono uguali al dovuto IUD IUD-OLD già in archivio')
    const bottoni = screen.getAllByTestId('importa-comunque')
    expect(bottoni).toHaveLength(2)
    fireEvent.click(bottoni[1])
    const esito = await screen.findByTestId('importa-duplicati-esito')
    expect(invoke).toHaveBeenCalledWith('importa_comunque', { bozze: ['MPD1-0000009', 'MPD1-0000010'] })
    expect(esito.textContent).toContain('1 dovuto pronto per il prossimo flusso')
    expect(esito.textContent).toContain('IUD MPD1-0000010: resta bozza: 1 problema')
    // Only that group was confirmed; the report hears which drafts became ready.
    expect(screen.getAllByTestId('importa-comunque')).toHaveLength(1)
    expect(onPronti).toHaveBeenCalledWith(['MPD1-0000009'])
  })

  it('offers nothing to confirm in a check, and shows nothing without duplicates', () => {
    const { container, rerender } = render(<GruppiDuplicati gruppi={gruppi} soloVerifica={true} />)
    expect(screen.queryByTestId('importa-comunque')).toBeNull()
    expect(container.textContent).toContain('restano bozze finché non conferma')
    rerender(<GruppiDuplicati gruppi={[]} soloVerifica={false} />)
    expect(screen.queryByTestId('importa-duplicati')).toBeNull()
  })
})

describe('segnaPronti (issue 13: the report\'s counts after «Importa comunque»)', () => {
  it('takes the drafts made ready out of the drafts, the rows with errors and their groups', () => {
    const riga = (n: number, iud: string) => ({ riga: n, iud, bozza: true, pagatore: 'X', importo: '1,00 €', problemi: [] })
    const r = {
      file: 'f.xlsx',
      versione: '1_4',
      righe_lette: 10,
      righe_valide: 7,
      importate: 10,
      bozze: 3,
      errori: [riga(8, 'MPD1-0000008'), riga(9, 'MPD1-0000009'), riga(10, 'MPD1-0000010')],
      avvisi: [],
      duplicati: gruppi,
      posizioni: 0,
      opzioni: 0,
    }
    const dopo = segnaPronti(r, ['MPD1-0000009'])
    expect(dopo.bozze).toBe(2)
    expect(dopo.righe_valide).toBe(8)
    expect(dopo.errori.map((e) => e.iud)).toEqual(['MPD1-0000008', 'MPD1-0000010'])
    expect(dopo.duplicati[1].bozze).toEqual(['MPD1-0000010'])
    expect(dopo.duplicati[0].bozze).toEqual(['MPD1-0000008'])
    expect(segnaPronti(r, [])).toBe(r)
  })
})
