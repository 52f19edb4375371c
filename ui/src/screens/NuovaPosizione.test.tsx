import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'

const { invoke } = vi.hoisted(() => ({ invoke: vi.fn() }))
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))

import { NuovaPosizione } from './NuovaPosizione'
import type { TipoDovuto } from '../bindings'

const tipo = (codice: string, sconto = false): TipoDovuto => ({
  codice, descrizione: codice, dati_specifici_riscossione: '9/0101100IM/', attivo: true, cf_anonimo: false,
  scadenza_obbligatoria: false, stampa_data_scadenza: true, ...(sconto ? { sconto_rata_unica: true } : {}),
})

beforeEach(() => invoke.mockReset())
afterEach(cleanup)

const scrivi = (el: Element, value: string) => fireEvent.change(el, { target: { value } })
const importi = () => screen.getAllByLabelText(/^Importo rata \d+/)
const scadenze = () => screen.getAllByLabelText(/^Scadenza rata \d+/)

function compila() {
  scrivi(screen.getByLabelText('Codice fiscale o partita IVA'), 'RSSMRA80A01H501U')
  scrivi(screen.getByLabelText('Nome e cognome o ragione sociale'), 'Mario Rossi')
  scrivi(screen.getByLabelText('Oggetto (causale comune, es. TARI 2027)'), 'TARI 2027')
  scrivi(screen.getByLabelText('Importo rata unica (€)'), '240,00')
  scrivi(screen.getByLabelText('Scadenza rata unica'), '30/04/2027')
  // Two rows to start with; a third added.
  fireEvent.click(screen.getByTestId('rate-aggiungi'))
  ;['30/04/2027', '31/07/2027', '31/10/2027'].forEach((d, i) => {
    scrivi(importi()[i], '80,00')
    scrivi(scadenze()[i], d)
  })
}

describe('NuovaPosizione', () => {
  it('adds the instalments up as the clerk types and creates the position with them', async () => {
    invoke.mockResolvedValue({
      esito: 'salvata',
      posizione: { codice: 'MPD1', oggetto: 'TARI 2027', stato: 'da pagare', da_rimborsare_cents: null, sconto_cents: 0, opzioni: [] },
    })
    const creata = vi.fn()
    render(<NuovaPosizione tipi={[tipo('TARI')]} chiudi={() => {}} creata={creata} sporco={() => {}} />)
    compila()
    expect(screen.getByTestId('rate-somma').textContent).toBe('3 rate, in tutto 240,00 €: uguale alla rata unica.')
    scrivi(importi()[1], '90,00')
    expect(screen.getByTestId('rate-somma').textContent).toBe('3 rate, in tutto 250,00 €: 10,00 € più della rata unica.')
    // The rata unica's field says why, naming it.
    const unica = screen.getByLabelText('Importo rata unica (€)')
    expect(unica.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById(unica.getAttribute('aria-describedby')!)!.textContent).toContain('Rata unica: è 240,00 €')
    // Refused here: nothing sent.
    fireEvent.click(screen.getByTestId('nuova-posizione-crea'))
    expect(invoke).not.toHaveBeenCalled()
    scrivi(importi()[1], '80,00')
    fireEvent.click(screen.getByTestId('nuova-posizione-crea'))
    await vi.waitFor(() => expect(creata).toHaveBeenCalled())
    expect(invoke).toHaveBeenCalledWith('posizione_crea', {
      posizione: {
        pagatore: { codice_pagatore: 'RSSMRA80A01H501U', anagrafica: 'Mario Rossi', tipo: 'TARI', causale: 'TARI 2027' },
        unica: { importo: '240,00', scadenza: '30/04/2027' },
        rate: [
          { importo: '80,00', scadenza: '30/04/2027' },
          { importo: '80,00', scadenza: '31/07/2027' },
          { importo: '80,00', scadenza: '31/10/2027' },
        ],
      },
      bozza: false,
    })
  })

  it('removes an instalment, allows a discount when the type does, and shows the back end problems at their instalment', async () => {
    invoke.mockResolvedValue({
      esito: 'non_valida',
      problemi: [
        { rata: 2, etichetta: 'rata 2', campo: 'scadenza', messaggio: 'la scadenza è già passata' },
        { rata: null, etichetta: '', campo: 'posizione', messaggio: 'la posizione «X» esiste già' },
      ],
    })
    render(<NuovaPosizione tipi={[tipo('TARI', true)]} chiudi={() => {}} creata={() => {}} sporco={() => {}} />)
    compila()
    // Instalment 2 out: the others move up, 160 € against 240 €.
    fireEvent.click(screen.getByRole('button', { name: 'Elimina la rata 2' }))
    expect(screen.getAllByTestId('rate-riga')).toHaveLength(2)
    expect((scadenze()[1] as HTMLInputElement).value).toBe('31/10/2027')
    expect(screen.getByTestId('rate-somma').textContent).toBe('2 rate, in tutto 160,00 €: 80,00 € meno della rata unica.')
    // With the discount the rata unica may cost less than the instalments, never more.
    scrivi(screen.getByLabelText('Importo rata unica (€)'), '150,00')
    expect(screen.getByTestId('rate-somma').textContent).toBe(
      '2 rate, in tutto 160,00 €: la rata unica costa 10,00 € in meno (sconto per il pagamento in unica soluzione).',
    )
    // Instalment dates out of order: named.
    scrivi(scadenze()[1], '01/04/2027')
    const errore = within(screen.getAllByTestId('rate-riga')[1]).getByTestId('rate-errore')
    expect(errore.textContent).toBe(
      'Rata 2: scade il 01/04/2027, non dopo la rata 1 (30/04/2027); le scadenze delle rate vanno in ordine crescente',
    )
    scrivi(scadenze()[1], '31/10/2027')
    fireEvent.click(screen.getByTestId('nuova-posizione-bozza'))
    await vi.waitFor(() => expect(invoke).toHaveBeenCalled())
    expect(invoke.mock.calls[0][1].bozza).toBe(true)
    expect(
      (await within(screen.getAllByTestId('rate-riga')[1]).findByTestId('rate-errore')).textContent,
    ).toBe('Rata 2: la scadenza è già passata')
    expect(screen.getByTestId('np-codice').getAttribute('aria-describedby')).toBe('np-codice-err')
    expect(document.getElementById('np-codice-err')!.textContent).toBe('la posizione «X» esiste già')
  })

  it('asks for the payer and at least one option before sending', () => {
    render(<NuovaPosizione tipi={[tipo('TARI'), tipo('MENSA')]} chiudi={() => {}} creata={() => {}} sporco={() => {}} />)
    fireEvent.click(screen.getByTestId('rate-unica-attiva'))
    fireEvent.click(screen.getAllByRole('button', { name: /^Elimina la rata/ })[0])
    fireEvent.click(screen.getAllByRole('button', { name: /^Elimina la rata/ })[0])
    fireEvent.click(screen.getByTestId('nuova-posizione-crea'))
    expect(invoke).not.toHaveBeenCalled()
    expect(screen.getByText('Indichi almeno una rata unica o una rata')).toBeTruthy()
    expect(screen.getByText('Il nome del pagatore è obbligatorio')).toBeTruthy()
    expect(screen.getByText('Scelga il tipo dovuto')).toBeTruthy()
  })
})
