// Issue 13 item 14: Bootstrap Italia draws the border of an <input> only for the types it
// lists (text, search, url, date, number…): an input without `type` has no visible border.
// Every input of every screen states its type, checked twice: in the source (inputs shown only
// after a click count too) and in the DOM of each screen as rendered.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, render } from '@testing-library/react'
import type { ComponentType } from 'react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: async () => () => {} }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: vi.fn(), save: vi.fn() }))
vi.mock('react-chartjs-2', () => ({ Bar: (p: { 'aria-label'?: string }) => <div role="img">{p['aria-label']}</div> }))

import Contributo from './Contributo'
import Dovuti from './Dovuti'
import Ente from './Ente'
import Flussi from './Flussi'
import Home from './Home'
import Importa from './Importa'
import Impostazioni from './Impostazioni'
import PrimoAvvio from './PrimoAvvio'
import Rapporto from './Rapporto'
import Ricevute from './Ricevute'
import Sportello from './Sportello'
import type { Panoramica } from '../api'

afterEach(cleanup)

/** The source of every screen, by file name. */
const sorgenti = import.meta.glob<string>(['./*.tsx', '!./*.test.tsx'], { query: '?raw', import: 'default', eager: true })

/** Each `<input …>` tag of a screen's source, with its line. */
function inputDelSorgente(testo: string): { riga: number; tag: string }[] {
  const trovati: { riga: number; tag: string }[] = []
  const re = /<input\b/g
  let m: RegExpExecArray | null
  while ((m = re.exec(testo))) {
    // The tag ends at the first `>` outside braces (attribute values may hold arrows).
    let graffe = 0
    let i = m.index + 6
    for (; i < testo.length; i++) {
      const c = testo[i]
      if (c === '{') graffe++
      else if (c === '}') graffe--
      else if (c === '>' && graffe === 0) break
    }
    trovati.push({ riga: testo.slice(0, m.index).split('\n').length, tag: testo.slice(m.index, i + 1) })
  }
  return trovati
}

const dati = {
  versione: '0', database: '', ente: { ente: { codice_ipa: 'c_x', codice_fiscale: '00123456789', denominazione: 'Comune', codice_segregazione: '12' }, tipi_dovuto: [], extra: {} },
  demo: false, dovuti_per_stato: [], mensile: [], flussi_recenti: [],
  attenzione: { dovuti_scartati: 0, dovuti_pronti: 0, flussi_in_attesa: 0 }, ultima_sincronizzazione: null,
} as unknown as Panoramica

describe('every input has a type (a visible border)', () => {
  it('in the source of every screen', () => {
    const senza: string[] = []
    const file = Object.keys(sorgenti)
    expect(file.length).toBeGreaterThan(10)
    for (const f of file) {
      for (const { riga, tag } of inputDelSorgente(sorgenti[f])) {
        if (!/\stype=/.test(tag)) senza.push(`${f}:${riga}`)
      }
    }
    expect(senza).toEqual([])
  })

  const props = { dati, ricarica: () => {} }
  const schermate: [string, ComponentType<never>, object][] = [
    ['Home', Home as ComponentType<never>, { dati }],
    ['Dovuti', Dovuti as ComponentType<never>, { tipi: [] }],
    ['Importa', Importa as ComponentType<never>, props],
    ['Flussi', Flussi as ComponentType<never>, props],
    ['Ricevute', Ricevute as ComponentType<never>, props],
    ['Rapporto', Rapporto as ComponentType<never>, props],
    ['Sportello', Sportello as ComponentType<never>, props],
    ['Ente', Ente as ComponentType<never>, props],
    ['Contributo', Contributo as ComponentType<never>, props],
    ['Impostazioni', Impostazioni as ComponentType<never>, props],
    ['PrimoAvvio', PrimoAvvio as ComponentType<never>, { onFatto: () => {}, onAnnulla: () => {} }],
  ]
  it.each(schermate)('in the rendered %s', async (_nome, Schermata, p) => {
    // Every command fails: the screens show their forms and their error, never hang.
    invoke.mockImplementation(async (cmd: string) => {
      throw { codice: 'interno', messaggio: `non disponibile nel test: ${cmd}` }
    })
    const S = Schermata as ComponentType<object>
    const { container } = render(<S {...p} />)
    await new Promise((r) => setTimeout(r, 50))
    const senza = [...container.querySelectorAll('input:not([type])')].map((i) => i.outerHTML)
    expect(senza).toEqual([])
  })

  it('the forms named in the issue render their inputs with a type', async () => {
    // Contributo shows its forms once its state is read.
    const risposte: Record<string, unknown> = {
      adesione_tabelle: { tipi_ente: [], modalita: [] },
      contributo_stato: {
        calcolo: null, calcolo_errore: 'manca il tipo di ente nel profilo',
        stima: { righe: [], totale: '0', incompleta: false }, importi: [],
        totali: { richiesto: '0', concesso: '0', incassato: '0' },
        misura: { nome: 'Contributo', atto: 'DGR', versione: '1', da_verificare: [], costi_standard: [], massimale: null, personalizzata: false },
      },
    }
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd in risposte) return risposte[cmd]
      throw { codice: 'interno', messaggio: 'non disponibile' }
    })
    for (const [S, p] of [[Sportello, props], [Contributo, props], [Dovuti, { tipi: [] }]] as [ComponentType<object>, object][]) {
      const { container, unmount } = render(<S {...p} />)
      await new Promise((r) => setTimeout(r, 50))
      const input = [...container.querySelectorAll('input')].filter((i) => i.type !== 'checkbox')
      expect(input.length, S.name).toBeGreaterThan(0)
      for (const i of input) expect(i.getAttribute('type'), i.outerHTML).toBeTruthy()
      unmount()
    }
  })
})
