// «Nuova posizione» in Dovuti (issue 14): one payer, one subject, an optional rata unica and
// the instalments (EditorRate), created together by `posizione_crea` (mpd_app::posizioni::crea):
// a debt per option, ready for the next flow (or drafts), nothing saved when a rule is broken.
import { useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore } from '../api'
import type { CampiDovuto, TipoDovuto, VistaPosizione } from '../bindings'
import { posizioni } from '../comandi/posizioni'
import { controllaRate, nuovaRiga, problemiAlForm, type StatoRate } from '../rate'
import { controllaCodiceFiscale, controllaEmail } from '../validation'
import { EditorRate } from './EditorRate'

type CampoPagatore = 'codice_pagatore' | 'anagrafica' | 'tipo' | 'causale' | 'email' | 'indirizzo' | 'civico' | 'cap' | 'localita' | 'provincia'

const ETICHETTE: Record<CampoPagatore, string> = {
  codice_pagatore: 'Codice fiscale o partita IVA',
  anagrafica: 'Nome e cognome o ragione sociale',
  tipo: 'Tipo dovuto',
  causale: 'Oggetto (causale comune, es. TARI 2027)',
  email: 'Email (facoltativa)',
  indirizzo: 'Indirizzo',
  civico: 'Civico',
  cap: 'CAP',
  localita: 'Località',
  provincia: 'Provincia',
}
const CAMPI = Object.keys(ETICHETTE) as CampoPagatore[]

export function NuovaPosizione({ tipi, chiudi, creata, sporco }: {
  tipi: TipoDovuto[]
  chiudi: () => void
  /** Saved: the position as stored. */
  creata: (p: VistaPosizione) => void
  sporco: (s: boolean) => void
}) {
  const attivi = tipi.filter((t) => t.attivo)
  const [campi, setCampi] = useState<Record<CampoPagatore, string>>(() => ({
    ...(Object.fromEntries(CAMPI.map((c) => [c, ''])) as Record<CampoPagatore, string>),
    tipo: attivi.length === 1 ? attivi[0].codice : '',
  }))
  const [codice, setCodice] = useState('')
  const [rate, setRate] = useState<StatoRate>(() => ({
    unica: true, importoUnica: '', scadenzaUnica: '', rate: [nuovaRiga(), nuovaRiga()],
  }))
  const [mostra, setMostra] = useState(false)
  const [server, setServer] = useState<{ campi: Record<string, string>; generali: string[] }>({ campi: {}, generali: [] })
  const [errore, setErrore] = useState<string | null>(null)
  const [occupato, setOccupato] = useState(false)
  const tipo = tipi.find((t) => t.codice === campi.tipo)
  const sconto = tipo?.sconto_rata_unica ?? false

  const locali: Partial<Record<CampoPagatore, string>> = {}
  const cf = controllaCodiceFiscale(campi.codice_pagatore)
  if (cf) locali.codice_pagatore = cf
  if (!campi.anagrafica.trim()) locali.anagrafica = 'Il nome del pagatore è obbligatorio'
  if (!campi.tipo) locali.tipo = 'Scelga il tipo dovuto'
  const em = controllaEmail(campi.email)
  if (em) locali.email = em
  const errorePagatore = (c: CampoPagatore) => server.campi[c] ?? (mostra || (c !== 'tipo' && campi[c].trim()) ? locali[c] ?? null : null)

  const cambiaCampo = (c: CampoPagatore, v: string) => {
    setCampi((x) => ({ ...x, [c]: v }))
    setServer((s) => {
      const altri = { ...s.campi }
      delete altri[c]
      return { ...s, campi: altri }
    })
    sporco(true)
  }
  const cambiaRate = (s: StatoRate) => {
    setRate(s)
    setServer({ campi: {}, generali: [] })
    sporco(true)
  }

  const salva = async (bozza: boolean) => {
    setMostra(true)
    setErrore(null)
    const c = controllaRate(rate, sconto, tipo?.scadenza_obbligatoria)
    if (Object.keys(locali).length || Object.keys(c.campi).length || c.generali.length) {
      // The first field with a problem gets the focus.
      setTimeout(() => (document.querySelector<HTMLElement>('[data-testid="nuova-posizione"] .is-invalid'))?.focus(), 0)
      return
    }
    const pagatore: CampiDovuto = {}
    for (const k of CAMPI) if (campi[k].trim()) pagatore[k] = campi[k].trim()
    setOccupato(true)
    try {
      const esito = await posizioni.crea({
        ...(codice.trim() ? { codice: codice.trim() } : {}),
        pagatore,
        ...(rate.unica ? { unica: { importo: rate.importoUnica.trim(), scadenza: rate.scadenzaUnica.trim() || undefined } } : {}),
        rate: rate.rate.map((r) => ({ importo: r.importo.trim(), scadenza: r.scadenza.trim() || undefined })),
      }, bozza)
      if (esito.esito === 'salvata') {
        sporco(false)
        creata(esito.posizione)
      } else {
        setServer(problemiAlForm(esito.problemi, rate, [...CAMPI, 'posizione']))
      }
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  const input = (c: CampoPagatore, classe = 'col-12') => {
    const err = errorePagatore(c)
    return (
      <div className={classe}>
        <label htmlFor={`np-${c}`} className="form-label small mb-0">{ETICHETTE[c]}</label>
        {c === 'tipo' ? (
          <select id="np-tipo" className={`form-select form-select-sm ${err ? 'is-invalid' : ''}`} value={campi.tipo}
            onChange={(e) => cambiaCampo('tipo', e.target.value)} aria-invalid={err ? true : undefined}
            aria-describedby={err ? 'np-tipo-err' : undefined}>
            <option value="">Scegli…</option>
            {attivi.map((t) => (
              <option key={t.codice} value={t.codice}>{t.descrizione ? `${t.descrizione} (${t.codice})` : t.codice}</option>
            ))}
          </select>
        ) : (
          <input id={`np-${c}`} type="text" className={`form-control form-control-sm ${err ? 'is-invalid' : ''}`} value={campi[c]}
            onChange={(e) => cambiaCampo(c, e.target.value)} aria-invalid={err ? true : undefined}
            aria-describedby={err ? `np-${c}-err` : undefined} data-testid={`np-${c}`}
            autoComplete="off" />
        )}
        {err && <div id={`np-${c}-err`} className="invalid-feedback d-block">{err}</div>}
      </div>
    )
  }

  return (
    <form data-testid="nuova-posizione" noValidate onSubmit={(e) => { e.preventDefault(); void salva(false) }}>
      <div className="d-flex justify-content-between align-items-start gap-3">
        <h2 className="h4 mb-2">Nuova posizione</h2>
        <Button color="secondary" outline size="sm" type="button" onClick={chiudi}>Chiudi</Button>
      </div>
      <p className="small text-muted mb-2">
        Un pagatore, un oggetto: la rata unica e le rate diventano un dovuto ciascuna, con il proprio avviso una volta su MyPay.
      </p>
      {errore && <Alert color="danger" className="small">{errore}</Alert>}
      {server.generali.length > 0 && (
        <Alert color="danger" className="small" data-testid="nuova-posizione-problemi">
          {server.generali.map((g) => <div key={g}>{g}</div>)}
        </Alert>
      )}
      <div className="row g-2 mb-3">
        {input('codice_pagatore', 'col-md-6')}
        {input('anagrafica', 'col-md-6')}
        {input('tipo', 'col-md-6')}
        {input('causale', 'col-md-6')}
        {input('indirizzo', 'col-md-6')}
        {input('civico', 'col-3 col-md-2')}
        {input('cap', 'col-4 col-md-2')}
        {input('provincia', 'col-5 col-md-2')}
        {input('localita', 'col-md-6')}
        {input('email', 'col-md-6')}
        <div className="col-md-6">
          <label htmlFor="np-codice" className="form-label small mb-0">Codice della posizione (facoltativo)</label>
          <input id="np-codice" type="text" className={`form-control form-control-sm ${server.campi.posizione ? 'is-invalid' : ''}`}
            value={codice} onChange={(e) => { setCodice(e.target.value); sporco(true) }} autoComplete="off"
            aria-describedby={server.campi.posizione ? 'np-codice-err' : undefined} data-testid="np-codice" />
          {server.campi.posizione && <div id="np-codice-err" className="invalid-feedback d-block">{server.campi.posizione}</div>}
        </div>
      </div>
      <EditorRate valore={rate} cambia={cambiaRate} sconto={sconto} scadenzaObbligatoria={tipo?.scadenza_obbligatoria}
        erroriServer={server.campi} mostraErrori={mostra} prefisso="np" />
      <div className="d-flex flex-wrap gap-2">
        <Button color="primary" type="submit" disabled={occupato} data-testid="nuova-posizione-crea">
          {occupato ? 'Salvataggio…' : 'Crea la posizione'}
        </Button>
        <Button color="secondary" outline type="button" disabled={occupato} onClick={() => void salva(true)}
          data-testid="nuova-posizione-bozza">
          Salva come bozze
        </Button>
      </div>
    </form>
  )
}
