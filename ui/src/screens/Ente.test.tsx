import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
const open = vi.fn()
vi.mock('@tauri-apps/plugin-dialog', () => ({ open: (...a: unknown[]) => open(...a), save: vi.fn() }))

import Ente from './Ente'
import { problemiCampiInvalidi, quantiInvalidi } from '../campiInvalidi'
import type { Panoramica } from '../api'

const vuoto = { nome: '', codice_fiscale: '', email: '', telefono: '', ruolo: '' }
const modulo = {
  denominazione: 'Comune di Esempio', codice_ipa: 'c_x123', codice_fiscale: '01199250158', codice_segregazione: '12',
  pec: '', indirizzo: '', tipo_ente: 'comune', codice_istat: '', popolazione: '', popolazione_fonte: '', popolazione_data: '',
  modalita: ['base'], legale_rappresentante: '', referente_amministrativo: vuoto, referente_tecnico: vuoto,
  conti: [{ iban: 'IT60X0542811101000000123456', tipo: 'tesoreria', intestatario: '', descrizione: '' }], tipi: [],
  avviso: { settore: 'Ufficio Tributi', info: '', cbill: '', canale_fisico: '', logo: '' },
}
const TARI = {
  codice: 'TARI', descrizione: 'Tassa rifiuti', tassonomia: '9/0101101IM/', attivo: true, cf_anonimo: false,
  scadenza_obbligatoria: false, stampa_data_scadenza: false, importo_predefinito: '', causale_predefinita: '',
  scadenza_predefinita: '', iban: '', capitolo: '', modalita: '',
  conto_postale: '', intestatario_conto_postale: '', autorizzazione_poste: '',
}
const tabelle = {
  tipi_ente: [{ codice: 'comune', nome: 'Comune' }, { codice: 'comune-montano', nome: 'Comune montano' }],
  modalita: [{ codice: 'base', nome: 'Base' }, { codice: 'per-flussi', nome: 'Per flussi' }, { codice: 'presso-ente', nome: "Pagamento iniziato presso l'Ente" }],
}
/** The back end's prefix rule (mpd-domain `taxonomy`) for 9/ only, as `ente_prefissi` answers. */
function prefissi({ tipi }: { tipi: typeof TARI[] }) {
  return tipi.map((t) => !t.tassonomia.startsWith('9/') ? null : {
    prefisso: '9/', invio_rtp: 'inviato', accettato_da_mypay: true,
    significato: "dal 1° marzo 2026 pagoPA invia il dovuto all'app della banca del debitore come richiesta di pagamento (SEPA Request To Pay)",
    dedotto: "se MyPay trasmette il prefisso all'archivio centrale di pagoPA",
    ...(t.modalita === 'presso-ente' && !t.scadenza_obbligatoria
      ? { avviso: 'il codice inizia con 9/: … ma il tipo si paga subito presso l’Ente', avviso_perche: 'un dovuto pagato sul momento allo sportello non ha bisogno di una richiesta di pagamento' }
      : { avviso: null, avviso_perche: null }),
  })
}
const verifica = {
  completo: false,
  problemi: [{ campo: 'ente.pec', gravita: 'errore', messaggio: "manca la PEC dell'Ente", perche: 'la Regione risponde alla PEC' }],
}

beforeEach(() => {
  invoke.mockReset()
  invoke.mockImplementation(async (cmd: string, a?: unknown) => {
    switch (cmd) {
      case 'adesione_tabelle': return tabelle
      case 'ente_modulo': return structuredClone(modulo)
      case 'ente_completezza': return verifica
      case 'adesione_passi': return [{ passo: 'delibera', nome: 'Delibera', data: null, nota: null }]
      case 'tassonomia_elenco': return []
      case 'ente_prefissi': return prefissi((a as { modulo: { tipi: typeof TARI[] } }).modulo)
      case 'ente_documenti': return { cartella: null, file: [], mancanti: verifica.problemi, avvisi: [] }
      case 'ente_salva': return { salvato: true, errori: [], avvisi: [] }
      default: throw new Error(cmd)
    }
  })
})
afterEach(cleanup)

describe('Ente e adesione', () => {
  it('offers the kinds of Ente and the modes the back end lists', async () => {
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    expect(await screen.findByRole('option', { name: 'Comune montano' })).toBeTruthy()
    expect(await screen.findByLabelText('Per flussi')).toBeTruthy()
  })

  it('shows what is missing with the field name and why it matters', async () => {
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    const box = await screen.findByTestId('ente-completezza')
    expect(box.getAttribute('data-completo')).toBe('false')
    expect(box.textContent).toContain('PEC')
    expect(box.textContent).toContain('Perché conta: la Regione risponde alla PEC')
  })

  it('flags a wrong IBAN as typed and does not save while it is wrong', async () => {
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    const iban = await screen.findByLabelText('IBAN n. 1')
    fireEvent.change(iban, { target: { value: 'IT61X0542811101000000123456' } })
    expect(await screen.findByText(/Conto n\. 1, IBAN .*controllo/)).toBeTruthy()
    fireEvent.click(screen.getByTestId('ente-salva'))
    expect(await screen.findByTestId('ente-salvataggio')).toBeTruthy()
    expect(invoke).not.toHaveBeenCalledWith('ente_salva', expect.anything())
    fireEvent.change(iban, { target: { value: 'IT60 X054 2811 1010 0000 0123 456' } })
    fireEvent.click(screen.getByTestId('ente-salva'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('ente_salva', expect.anything()))
  })

  it('refuses the documents of an incomplete profile and says so', async () => {
    open.mockResolvedValue('/tmp/documenti')
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    fireEvent.click(await screen.findByTestId('ente-documenti'))
    expect((await screen.findByTestId('ente-documenti-rifiutati')).textContent).toContain('1 cosa da completare')
    expect(invoke).toHaveBeenCalledWith('ente_documenti', { cartella: '/tmp/documenti', apri: true })
  })

  // Issue 14, item 4: the profile's notice fields (office, contacts, CBILL, desk, logo, and a
  // payment type's postal account) are in the form, checked as typed and saved with it.
  it("edits the notice's fields, checks them as typed and saves them with the profile", async () => {
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation(async (cmd: string, a: unknown) => {
      if (cmd === 'ente_modulo') return { ...structuredClone(modulo), tipi: [{ ...TARI }] }
      if (cmd === 'ente_logo') return 'logo-ente.png'
      return base(cmd, a)
    })
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    expect(((await screen.findByLabelText('Settore o ufficio')) as HTMLInputElement).value).toBe('Ufficio Tributi')
    const cbill = screen.getByLabelText('Codice CBILL')
    fireEvent.change(cbill, { target: { value: 'A0E' } })
    expect((await screen.findByText(/sono 5 lettere o cifre/)).id).toBe(cbill.getAttribute('aria-describedby'))
    expect(cbill.getAttribute('aria-invalid')).toBe('true')
    fireEvent.change(cbill, { target: { value: 'a0edt' } })
    fireEvent.change(screen.getByLabelText('Contatti (sito, telefono, email)'), { target: { value: 'tributi@comune.esempio.it' } })
    // An account without its authorisation: the missing field is named.
    fireEvent.change(screen.getByLabelText('Conto corrente postale'), { target: { value: '1234567' } })
    fireEvent.change(screen.getByLabelText('Intestatario del conto postale'), { target: { value: 'Comune di Esempio' } })
    fireEvent.click(screen.getByTestId('ente-salva'))
    expect((await screen.findByTestId('ente-salvataggio')).textContent).toMatch(/Autorizzazione di Poste alla stampa in proprio: obbligatoria con il conto/)
    const aut = screen.getByLabelText('Autorizzazione di Poste (stampa in proprio)')
    expect(aut.getAttribute('aria-invalid')).toBe('true')
    expect(invoke).not.toHaveBeenCalledWith('ente_salva', expect.anything())
    fireEvent.change(screen.getByLabelText('Autorizzazione di Poste (stampa in proprio)'), { target: { value: 'AUT. DB/SISB/E 123456 DEL 01/02/2026' } })
    // The logo: chosen with the dialog, copied by the back end, its name kept in the form.
    open.mockResolvedValue('/home/ufficio/stemma.png')
    fireEvent.click(screen.getByRole('button', { name: /Scegli il logo/ }))
    await waitFor(() => expect(screen.getByTestId('ente-avviso-logo').textContent).toBe('logo-ente.png'))
    expect(invoke).toHaveBeenCalledWith('ente_logo', { percorsoFile: '/home/ufficio/stemma.png' })
    fireEvent.click(screen.getByTestId('ente-salva'))
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('ente_salva', expect.anything()))
    const salvato = invoke.mock.calls.find((c) => c[0] === 'ente_salva')![1].modulo
    expect(salvato.avviso).toEqual({ settore: 'Ufficio Tributi', info: 'tributi@comune.esempio.it', cbill: 'a0edt', canale_fisico: '', logo: 'logo-ente.png' })
    expect(salvato.tipi[0]).toMatchObject({ conto_postale: '1234567', intestatario_conto_postale: 'Comune di Esempio', autorizzazione_poste: 'AUT. DB/SISB/E 123456 DEL 01/02/2026' })
  })

  it('shows why a logo was refused under the logo', async () => {
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation(async (cmd: string, a: unknown) => {
      if (cmd === 'ente_logo') throw { codice: 'non_valido', messaggio: 'Logo: il file non è un\'immagine PNG o JPEG' }
      return base(cmd, a)
    })
    open.mockResolvedValue('/home/ufficio/stemma.gif')
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    fireEvent.click(await screen.findByRole('button', { name: /Scegli il logo/ }))
    expect(await screen.findByText(/Logo: il file non è un'immagine PNG o JPEG/)).toBeTruthy()
    expect(screen.getByTestId('ente-avviso-logo').textContent).toBe('nessun logo')
  })

  // Issue 13, item 16: each invalid field (a text field, a payment type's taxonomy code) is
  // marked and described by its own message.
  it('links every invalid field to its message (aria-invalid, aria-describedby)', async () => {
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation(async (cmd: string, a: unknown) => {
      if (cmd === 'ente_modulo')
        return { ...structuredClone(modulo), tipi: [{ ...TARI }] }
      if (cmd === 'ente_salva')
        return { salvato: false, errori: [{ campo: 'tipi.0.tassonomia', messaggio: 'codice tassonomico non valido' }, { campo: 'pec', messaggio: 'PEC non valida' }], avvisi: [] }
      return base(cmd, a)
    })
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    const iban = await screen.findByLabelText('IBAN n. 1')
    fireEvent.change(iban, { target: { value: 'IT61X0542811101000000123456' } })
    await screen.findByText(/Conto n\. 1, IBAN .*controllo/)
    expect(iban.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(iban.getAttribute('aria-describedby')!)!.textContent).toMatch(/IBAN .*controllo/)
    fireEvent.change(iban, { target: { value: 'IT60X0542811101000000123456' } })
    fireEvent.click(screen.getByTestId('ente-salva'))
    await screen.findAllByText('codice tassonomico non valido')
    const tassonomia = document.getElementById('ente-tipi-0-tassonomia')!
    expect(tassonomia.getAttribute('aria-invalid')).toBe('true')
    // The error first, then what the prefix means.
    const descritto = tassonomia.getAttribute('aria-describedby')!.split(' ')
    expect(document.getElementById(descritto[0])!.textContent).toBe('codice tassonomico non valido')
    expect(descritto[1]).toBe('ente-tipi-0-prefisso')
    expect(quantiInvalidi()).toBeGreaterThanOrEqual(2)
    expect(problemiCampiInvalidi()).toEqual([])
  })

  // Issue 15, item 5: each type's taxonomy prefix and what it means for the request to pay in
  // the debtor's bank app, and a warning when the prefix looks unintended for the type's use.
  it("shows each payment type's prefix, what it means, and warns when it looks unintended", async () => {
    const base = invoke.getMockImplementation()!
    invoke.mockImplementation(async (cmd: string, a: unknown) => {
      if (cmd === 'ente_modulo') return { ...structuredClone(modulo), tipi: [{ ...TARI }] }
      return base(cmd, a)
    })
    render(<Ente dati={{} as Panoramica} ricarica={() => {}} />)
    const prefisso = await screen.findByTestId('ente-tipi-0-prefisso')
    expect(prefisso.textContent).toMatch(/^Prefisso 9\/: dal 1° marzo 2026 pagoPA invia il dovuto all'app della banca del debitore/)
    expect(prefisso.textContent).toContain('Da verificare: se MyPay trasmette il prefisso')
    expect(prefisso.getAttribute('data-invio')).toBe('inviato')
    expect(screen.queryByTestId('ente-tipi-0-prefisso-avviso')).toBeNull()
    const tassonomia = document.getElementById('ente-tipi-0-tassonomia')!
    expect(tassonomia.getAttribute('aria-describedby')!.split(' ')).toContain('ente-tipi-0-prefisso')
    // The type is paid at once at the Ente: the same prefix now looks unintended.
    fireEvent.change(screen.getByLabelText('Modalità di attivazione'), { target: { value: 'presso-ente' } })
    const avviso = await screen.findByTestId('ente-tipi-0-prefisso-avviso')
    expect(avviso.textContent).toMatch(/^Prefisso forse non voluto: il codice inizia con 9\/: .*si paga subito presso l’Ente\. Perché: un dovuto pagato sul momento/)
    expect(invoke).toHaveBeenCalledWith('ente_prefissi', { modulo: expect.objectContaining({ tipi: [expect.objectContaining({ modalita: 'presso-ente' })] }) })
    expect(tassonomia.getAttribute('aria-describedby')!.split(' ')).toEqual(['ente-tipi-0-tassonomia-aiuto', 'ente-tipi-0-prefisso', 'ente-tipi-0-prefisso-avviso'])
    // A due date makes it a debt worth a request to pay: the warning goes.
    fireEvent.click(document.getElementById('ente-tipi-0-scadenza_obbligatoria')!)
    await waitFor(() => expect(screen.queryByTestId('ente-tipi-0-prefisso-avviso')).toBeNull())
    expect(screen.getByTestId('ente-tipi-0-prefisso')).toBeTruthy()
  })
})
