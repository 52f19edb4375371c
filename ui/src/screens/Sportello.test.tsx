import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'

const { invoke, save } = vi.hoisted(() => ({ invoke: vi.fn(), save: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a) }))

import Sportello from './Sportello'
import { problemiCampiInvalidi, quantiInvalidi } from '../campiInvalidi'
import type { Panoramica } from '../api'
import { CONNESSIONE_DEMO } from './provaConnessione'

const dati = {
  demo: true,
  ente: { ente: { codice_ipa: 'c_demo', codice_fiscale: '', denominazione: 'Comune' }, tipi_dovuto: [{ codice: 'TARI', descrizione: 'Tassa rifiuti' }] },
} as unknown as Panoramica

beforeEach(() => {
  invoke.mockReset()
  save.mockReset()
})
afterEach(cleanup)

const scrivi = (name: string, value: string) =>
  fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } })

describe('Sportello', () => {
  it('creates a debt, shows IUV and notice number, opens the notice', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'sportello_duplicati') return []
      if (cmd === 'sportello_crea') {
        expect(args.dovuto).toMatchObject({ codice_pagatore: 'RSSMRA80A01H501U', importo: '12,50', tipo: 'TARI' })
        expect(args.ancheSeDuplicato).toBe(false)
        return { iud: 'SPORT-1', iuv: '01234567890123456', numero_avviso: '301234567890123456', url_avviso: null, pdf: '/d/avvisi/a.pdf' }
      }
      if (cmd === 'sportello_apri_avviso') return null
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '12,50')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect((await screen.findByTestId('sportello-iuv')).textContent).toBe('01234567890123456')
    expect(screen.getByText('3012 3456 7890 1234 56')).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('sportello_apri_avviso', { percorso: '/d/avvisi/a.pdf' })
  })

  it("prints the new debt's pagoPA notice drawn here, where the clerk chooses", async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'sportello_duplicati') return []
      if (cmd === 'sportello_crea')
        return { iud: 'SPORT-1', iuv: '01234567890123456', numero_avviso: '301234567890123456', url_avviso: null, pdf: null }
      if (cmd === 'posizione_avviso') return { file: args.percorso, pagine: 1, opzioni: 1 }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '12,50')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    save.mockResolvedValueOnce('/home/impiegato/avviso-sportello')
    fireEvent.click(await screen.findByTestId('sportello-stampa-avviso'))
    expect(await screen.findByText('Avviso salvato in /home/impiegato/avviso-sportello.pdf (1 pagina).')).toBeTruthy()
    expect(save.mock.calls[0][0]).toMatchObject({ defaultPath: 'avviso-SPORT-1.pdf' })
    expect(invoke).toHaveBeenCalledWith('posizione_avviso', { codice: 'SPORT-1', percorso: '/home/impiegato/avviso-sportello.pdf' })
  })

  it('keeps what was typed and shows the back end errors under their fields', async () => {
    invoke.mockRejectedValue({ codice: 'non_valido', messaggio: 'dovuto non valido: importoDovuto: importo troppo alto' })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '999.999.999,00')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect(await screen.findByText('importo troppo alto')).toBeTruthy()
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).value).toBe('999.999.999,00')
    expect(document.querySelector('[name="importo"]')!.className).toContain('is-invalid')
  })

  // Issue 13, item 16: each invalid field is marked and described by its message.
  it('links every invalid field to its message (aria-invalid, aria-describedby)', async () => {
    invoke.mockRejectedValue({ codice: 'non_valido', messaggio: 'dovuto non valido: importoDovuto: importo troppo alto' })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501X')
    fireEvent.blur(document.querySelector('[name="codice_pagatore"]')!)
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '999.999.999,00')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    await screen.findByText('importo troppo alto')
    const importo = document.querySelector('[name="importo"]')!
    expect(importo.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(importo.getAttribute('aria-describedby')!)!.textContent).toBe('importo troppo alto')
    expect(quantiInvalidi()).toBeGreaterThanOrEqual(1)
    expect(problemiCampiInvalidi()).toEqual([])
  })

  it('links the payment type to its message when the back end refuses it', async () => {
    invoke.mockRejectedValue({ codice: 'non_valido', messaggio: 'dovuto non valido: tipoDovuto: tipo dovuto non attivo' })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '12,00')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    await screen.findByText('tipo dovuto non attivo')
    const tipo = document.querySelector('[name="tipo"]')!
    expect(tipo.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(tipo.getAttribute('aria-describedby')!)!.textContent).toBe('tipo dovuto non attivo')
    expect(problemiCampiInvalidi()).toEqual([])
  })

  it('looks up a citizen: open positions, live payments from MyPay and downloaded ones', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      if (cmd === 'sportello_cerca') {
        expect(args).toEqual({ codice: 'rssmra80a01h501u' })
        return {
          codice: 'RSSMRA80A01H501U',
          aperte: [{ cod_ipa: 'c_demo', ente: 'Comune', url_pagamento: null, iud: 'A1', iuv: '01000000000000001', importo: '25.00', causale: 'TARI', tipo_dovuto: 'TARI', scadenza: null }],
          pagamenti: [{ iuv: '01000000000000003', iud: 'A3', importo_cents: 1000, data_esito: '2026-11-01', psp: 'Poste', esito: 'pagato' }],
          pagamenti_mypay: { pagamenti: [{ iud: 'A2', iuv: '01000000000000002', importo: '12.50', data_esito: '2026-11-27', iur: 'X', codice_esito: '0' }], controllati: 2, non_controllati: 0, errori: [] },
        }
      }
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    fireEvent.change(screen.getByTestId('sportello-cerca-cf'), { target: { value: 'rssmra80a01h501u' } })
    fireEvent.click(screen.getByTestId('sportello-cerca'))
    const pos = await screen.findAllByTestId('sportello-posizione')
    expect(pos.map((p) => p.dataset.iud)).toEqual(['A1'])
    expect(pos[0].textContent).toContain('25,00 €')
    const live = screen.getByTestId('sportello-pagati-mypay')
    expect(live.textContent).toContain('12,50 €')
    expect(live.textContent).toContain('27/11/2026')
    expect(screen.getByText('Pagamenti ricevuti (1)')).toBeTruthy()
  })

  const esito = { iud: 'SPORT-1', iuv: '01234567890123456', numero_avviso: '301234567890123456', url_avviso: null, pdf: null }
  const compila = () => {
    scrivi('codice_pagatore', 'RSSMRA80A01H501U')
    scrivi('anagrafica', 'Mario Rossi')
    scrivi('importo', '12,50')
  }

  it('locks the form on the result after a creation: a second click cannot create a second debt', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'sportello_duplicati') return []
      if (cmd === 'sportello_crea') return esito
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    compila()
    fireEvent.click(screen.getByTestId('sportello-crea'))
    await screen.findByTestId('sportello-risultato')
    expect(screen.getByTestId('sportello-pagatore').textContent).toBe('Mario Rossi (RSSMRA80A01H501U)')
    expect(screen.getByTestId('sportello-importo').textContent).toBe('12,50 €')
    expect(screen.getByText('3012 3456 7890 1234 56')).toBeTruthy()
    // No button to create again; the fields are read-only; submitting the form does nothing.
    expect(screen.queryByTestId('sportello-crea')).toBeNull()
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).readOnly).toBe(true)
    fireEvent.submit(screen.getByTestId('sportello-form'))
    await Promise.resolve()
    expect(invoke.mock.calls.filter(([c]) => c === 'sportello_crea')).toHaveLength(1)
    // "Nuovo dovuto" gives an empty, active form.
    fireEvent.click(screen.getByTestId('sportello-nuovo'))
    expect(screen.queryByTestId('sportello-risultato')).toBeNull()
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).value).toBe('')
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).readOnly).toBe(false)
    expect(screen.getByTestId('sportello-crea')).toBeTruthy()
  })

  it('asks before creating a debt identical to an open one of the same payer', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'sportello_duplicati')
        return [{ iud: 'SPORT-0', stato: 'loaded', etichetta: 'caricato', iuv: '', codice_pagatore: 'RSSMRA80A01H501U', anagrafica: 'Mario Rossi', scadenza: '2026-12-31', importo_cents: 1250, tipo: 'TARI', causale: '', rifiuto: null, da_correggere: false }]
      if (cmd === 'sportello_crea') {
        expect(args.ancheSeDuplicato).toBe(true)
        return esito
      }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    compila()
    fireEvent.click(screen.getByTestId('sportello-crea'))
    const domanda = await screen.findByRole('alertdialog')
    expect(domanda.textContent).toContain(
      'Esiste già un dovuto uguale per questo pagatore (IUD SPORT-0, 12,50 €, scadenza 31/12/2026): crearne un altro?',
    )
    // "Annulla": nothing created, the form as typed.
    fireEvent.click(screen.getByText('Annulla'))
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(invoke).not.toHaveBeenCalledWith('sportello_crea', expect.anything())
    expect((document.querySelector('[name="importo"]') as HTMLInputElement).value).toBe('12,50')
    fireEvent.click(screen.getByTestId('sportello-crea'))
    await screen.findByRole('alertdialog')
    fireEvent.click(screen.getByText('Crea comunque'))
    await screen.findByTestId('sportello-risultato')
    expect(invoke.mock.calls.filter(([c]) => c === 'sportello_crea')).toHaveLength(1)
  })

  it('asks before cancelling on MyPay, naming the payer and the amount', async () => {
    invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
      if (cmd === 'sportello_duplicati') return []
      if (cmd === 'sportello_crea') return esito
      if (cmd === 'sportello_annulla') {
        expect(args).toEqual({ iud: 'SPORT-1' })
        return null
      }
      if (cmd === 'connessione_info') return CONNESSIONE_DEMO
      throw new Error(`inatteso: ${cmd}`)
    })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    compila()
    fireEvent.click(screen.getByTestId('sportello-crea'))
    await screen.findByTestId('sportello-risultato')
    fireEvent.click(screen.getByTestId('sportello-annulla'))
    const domanda = screen.getByRole('alertdialog')
    expect(domanda.textContent).toContain('Annullare su MyPay il dovuto di Mario Rossi di 12,50 €?')
    // Focus on the safe choice; Esc means no.
    expect(document.activeElement?.textContent).toBe('No')
    fireEvent.keyDown(domanda, { key: 'Escape' })
    expect(screen.queryByRole('alertdialog')).toBeNull()
    expect(invoke).not.toHaveBeenCalledWith('sportello_annulla', expect.anything())
    fireEvent.click(screen.getByTestId('sportello-annulla'))
    fireEvent.click(screen.getByText('Sì, annulla su MyPay'))
    expect(await screen.findByText('Dovuto SPORT-1 annullato su MyPay.')).toBeTruthy()
    expect(invoke).toHaveBeenCalledWith('sportello_annulla', { iud: 'SPORT-1' })
  })

  it('does not call MyPay while required fields are missing', async () => {
    invoke.mockResolvedValue({ ambiente: 'demo', indirizzo: 'http://127.0.0.1:1', password_da: 'demo', origine_password: 'demo', demo: true })
    render(<Sportello dati={dati} ricarica={() => {}} />)
    fireEvent.click(screen.getByTestId('sportello-crea'))
    expect(await screen.findAllByText('Obbligatorio')).toHaveLength(3)
    expect(invoke).not.toHaveBeenCalledWith('sportello_crea', expect.anything())
  })
})
