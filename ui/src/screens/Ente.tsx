// Ente e adesione: the Ente profile (edit with inline validation), its completeness check, the
// adhesion documents (ODT + PDF into a folder chosen with the dialog) and the steps checklist.
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { open, save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import { dataIt, senzaEtichetta } from '../format'
import type { SchermataProps } from '../navigazione'
import {
  adesione,
  cercaTassonomia,
  useTabelle,
  type EsitoDocumenti,
  type ModuloAvviso,
  type ModuloConto,
  type ModuloEnte,
  type ModuloTipo,
  type PassoRegistrato,
  type PrefissoTipo,
  type Verifica,
  type VoceTassonomia,
} from '../comandi/adesione'
import { etichettaCampo, oggiIso, validaModulo } from '../validazioneEnte'

const TIPO_VUOTO: ModuloTipo = {
  codice: '',
  descrizione: '',
  tassonomia: '',
  attivo: true,
  cf_anonimo: false,
  scadenza_obbligatoria: false,
  stampa_data_scadenza: false,
  importo_predefinito: '',
  causale_predefinita: '',
  scadenza_predefinita: '',
  iban: '',
  capitolo: '',
  modalita: '',
  conto_postale: '',
  intestatario_conto_postale: '',
  autorizzazione_poste: '',
}
const CONTO_VUOTO: ModuloConto = { iban: '', tipo: 'tesoreria', intestatario: '', descrizione: '' }


interface CampoProps {
  id: string
  label: string
  value: string
  onChange: (v: string) => void
  errore?: string
  placeholder?: string
  aiuto?: string
  className?: string
  type?: string
}

/** A labelled text input whose error shows under it. */
function Campo({ id, label, value, onChange, errore, placeholder, aiuto, className, type }: CampoProps) {
  const htmlId = `ente-${id.replace(/\./g, '-')}`
  return (
    <div className={className ?? 'col-md-6 mb-3'}>
      <label htmlFor={htmlId} className="form-label small">{label}</label>
      <input
        id={htmlId}
        name={id}
        type={type ?? 'text'}
        className={`form-control ${errore ? 'is-invalid' : ''}`}
        value={value}
        placeholder={placeholder}
        aria-invalid={errore ? true : undefined}
        aria-describedby={errore ? `${htmlId}-errore` : aiuto ? `${htmlId}-aiuto` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {errore ? <div id={`${htmlId}-errore`} className="invalid-feedback d-block">{senzaEtichetta(errore, label)}</div> : aiuto && <div id={`${htmlId}-aiuto`} className="form-text small">{aiuto}</div>}
    </div>
  )
}

/** The taxonomy picker: search by code or name in the shipped pagoPA list. */
function SceltaTassonomia({ elenco, onScegli }: { elenco: VoceTassonomia[]; onScegli: (codice: string) => void }) {
  const [q, setQ] = useState('')
  const trovati = useMemo(() => cercaTassonomia(elenco, q), [q, elenco])
  return (
    <div className="border rounded p-2 mt-1 bg-light">
      <input
        type="search"
        className="form-control form-control-sm mb-2"
        placeholder="Cerca per servizio (es. mensa, rifiuti) o codice"
        aria-label="Cerca nella tassonomia pagoPA"
        value={q}
        autoFocus
        onChange={(e) => setQ(e.target.value)}
      />
      <ul className="list-unstyled mb-0" style={{ maxHeight: 220, overflow: 'auto' }}>
        {trovati.map((v) => (
          <li key={v.codice}>
            <button type="button" className="btn btn-link btn-sm p-0 text-start" onClick={() => onScegli(v.codice)}>
              <code>{v.codice}</code> {v.nome || '(descrizione non disponibile)'} <span className="text-muted small">· {v.ente}</span>
            </button>
          </li>
        ))}
        {trovati.length === 0 && <li className="small">Nessun codice valido corrisponde alla ricerca.</li>}
      </ul>
    </div>
  )
}

/**
 * A payment type's taxonomy prefix and what it means for the request to pay in the debtor's
 * bank app (the back end's rule, with what is still to verify), and the warning when the
 * prefix looks unintended for how the type is used.
 */
function PrefissoSpiegato({ i, p }: { i: number; p: PrefissoTipo }) {
  return (
    <>
      <div id={`ente-tipi-${i}-prefisso`} data-testid={`ente-tipi-${i}-prefisso`} data-invio={p.invio_rtp} className="form-text small">
        <span className="fw-semibold">Prefisso {p.prefisso}</span>: {p.significato}.
        {!p.accettato_da_mypay && ' Per ora il profilo non lo accetta.'}
        {p.dedotto && <> Da verificare: {p.dedotto}.</>}
      </div>
      {p.avviso && (
        <div id={`ente-tipi-${i}-prefisso-avviso`} data-testid={`ente-tipi-${i}-prefisso-avviso`} className="alert alert-warning small mt-2 mb-0">
          <span className="fw-semibold">Prefisso forse non voluto</span>: {p.avviso}.
          {p.avviso_perche && <> Perché: {p.avviso_perche}.</>}
        </div>
      )}
    </>
  )
}

export default function Ente({ ricarica }: SchermataProps) {
  const { tipi_ente: TIPI_ENTE, modalita: MODALITA } = useTabelle()
  const [m, setM] = useState<ModuloEnte | null>(null)
  const [cfRegistrato, setCfRegistrato] = useState<string | undefined>(undefined)
  const [toccati, setToccati] = useState<Set<string>>(new Set())
  const [tentato, setTentato] = useState(false)
  const [erroriServer, setErroriServer] = useState<Record<string, string>>({})
  const [verifica, setVerifica] = useState<Verifica | null>(null)
  const [passi, setPassi] = useState<PassoRegistrato[]>([])
  const [tassonomia, setTassonomia] = useState<VoceTassonomia[]>([])
  const [scelta, setScelta] = useState<number | null>(null)
  // Each type's taxonomy prefix and its meaning, from the back end's rule (asked again when a
  // code, a mode or a due-date flag changes).
  const [prefissi, setPrefissi] = useState<(PrefissoTipo | null)[]>([])
  const [msg, setMsg] = useState<{ colore: string; testo: string; dettagli?: string[] } | null>(null)
  const [documenti, setDocumenti] = useState<EsitoDocumenti | null>(null)
  // The save's outcome, shown next to the save button (the form is long).
  const [msgSalva, setMsgSalva] = useState<{ colore: string; testo: string; dettagli?: string[] } | null>(null)
  const [occupato, setOccupato] = useState(false)
  const [dataPasso, setDataPasso] = useState<Record<string, string>>({})
  const [notaPasso, setNotaPasso] = useState<Record<string, string>>({})

  const carica = useCallback(async () => {
    try {
      const [mod, ver, pas] = await Promise.all([adesione.enteModulo(), adesione.enteCompletezza(), adesione.passi()])
      setM(mod)
      setCfRegistrato(mod.codice_fiscale || undefined)
      setVerifica(ver)
      setPassi(pas)
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    }
  }, [])
  useEffect(() => {
    carica()
    adesione.tassonomia().then(setTassonomia).catch(() => setTassonomia([]))
  }, [carica])

  const chiavePrefissi = m ? JSON.stringify([m.modalita, m.tipi.map((t) => [t.tassonomia, t.modalita, t.scadenza_obbligatoria])]) : ''
  useEffect(() => {
    if (!m) return
    let vivo = true
    adesione.entePrefissi(m).then((p) => { if (vivo) setPrefissi(p) }).catch(() => { if (vivo) setPrefissi([]) })
    return () => { vivo = false }
    // Only what the rule reads: the codes, the modes and the due-date flags.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chiavePrefissi])

  const oggi = oggiIso()
  const erroriLocali = useMemo(() => (m ? validaModulo(m, oggi, cfRegistrato) : {}), [m, oggi, cfRegistrato])
  // A field shows its error once touched (or after a save attempt); server errors always.
  const errore = (k: string) => erroriServer[k] ?? ((tentato || toccati.has(k)) ? erroriLocali[k] : undefined)

  if (!m) return <section><h1 className="h2">Ente e adesione</h1>{msg ? <Alert color={msg.colore}>{msg.testo}</Alert> : <p>Caricamento…</p>}</section>

  const aggiorna = (k: string, patch: (x: ModuloEnte) => ModuloEnte) => {
    setM((prev) => (prev ? patch(structuredClone(prev)) : prev))
    setToccati((t) => new Set(t).add(k))
    setErroriServer((s) => {
      if (!(k in s)) return s
      const c = { ...s }
      delete c[k]
      return c
    })
  }
  const testo = (k: keyof ModuloEnte) => (v: string) => aggiorna(k, (x) => ({ ...x, [k]: v }))
  const ref = (chi: 'referente_amministrativo' | 'referente_tecnico', k: keyof ModuloEnte['referente_tecnico']) =>
    (v: string) => aggiorna(`${chi}.${k}`, (x) => { x[chi][k] = v; return x })
  const conto = (i: number, k: keyof ModuloConto) => (v: string) => aggiorna(`conti.${i}.${k}`, (x) => { x.conti[i][k] = v; return x })
  const tipo = <K extends keyof ModuloTipo>(i: number, k: K) => (v: ModuloTipo[K]) =>
    aggiorna(`tipi.${i}.${String(k)}`, (x) => { x.tipi[i][k] = v; return x })
  const avviso = (k: keyof ModuloAvviso) => (v: string) => aggiorna(`avviso.${k}`, (x) => { x.avviso[k] = v; return x })

  const scegliLogo = async () => {
    const f = await open({ title: 'Logo dell’Ente per gli avvisi (PNG o JPEG)', filters: [{ name: 'Immagine PNG o JPEG', extensions: ['png', 'jpg', 'jpeg'] }] })
    if (typeof f !== 'string') return
    try {
      avviso('logo')(await adesione.enteLogo(f))
    } catch (e) {
      setErroriServer((s) => ({ ...s, 'avviso.logo': messaggioErrore(e) }))
    }
  }

  const salva = async () => {
    setTentato(true)
    setMsgSalva(null)
    if (Object.keys(erroriLocali).length > 0) {
      setMsgSalva({ colore: 'danger', testo: 'Il profilo non è stato salvato: correggere i campi segnalati.', dettagli: Object.values(erroriLocali) })
      return
    }
    setOccupato(true)
    try {
      const s = await adesione.enteSalva(m)
      if (!s.salvato) {
        setErroriServer(Object.fromEntries(s.errori.map((e) => [e.campo, e.messaggio])))
        setMsgSalva({ colore: 'danger', testo: 'Il profilo non è stato salvato: correggere i campi segnalati.', dettagli: s.errori.map((e) => e.messaggio) })
      } else {
        setErroriServer({})
        setCfRegistrato(m.codice_fiscale.trim() || undefined)
        setMsgSalva({ colore: 'success', testo: 'Profilo salvato.', dettagli: s.avvisi })
        setVerifica(await adesione.enteCompletezza())
        ricarica()
      }
    } catch (e) {
      setMsgSalva({ colore: 'danger', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }

  const generaDocumenti = async () => {
    setMsg(null)
    setDocumenti(null)
    const cartella = await open({ directory: true, title: 'Cartella in cui scrivere i documenti di adesione' })
    if (typeof cartella !== 'string') return
    setOccupato(true)
    try {
      const esito = await adesione.enteDocumenti(cartella, true)
      setDocumenti(esito)
      // The list above is the check as of now (the profile may have changed since loading).
      if (esito.mancanti.length > 0) setVerifica(await adesione.enteCompletezza())
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }

  const importaProfilo = async () => {
    const f = await open({ title: 'Profilo dell’Ente (TOML)', filters: [{ name: 'Profilo TOML', extensions: ['toml'] }] })
    if (typeof f !== 'string') return
    try {
      const avvisi = await adesione.enteImportaProfilo(f)
      setMsg({ colore: 'success', testo: 'Profilo importato.', dettagli: avvisi })
      setToccati(new Set())
      setTentato(false)
      await carica()
      ricarica()
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    }
  }
  const esportaProfilo = async () => {
    const f = await save({ title: 'Esporta il profilo dell’Ente', defaultPath: `ente-${m.codice_ipa || 'profilo'}.toml`, filters: [{ name: 'Profilo TOML', extensions: ['toml'] }] })
    if (!f) return
    try {
      const p = await adesione.enteEsportaProfilo(f)
      setMsg({ colore: 'success', testo: `Profilo esportato in ${p}.` })
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    }
  }

  const registraPasso = async (passo: string) => {
    try {
      setPassi(await adesione.passoRegistra(passo, dataPasso[passo] ?? '', notaPasso[passo]))
      setDataPasso((d) => ({ ...d, [passo]: '' }))
      setNotaPasso((d) => ({ ...d, [passo]: '' }))
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    }
  }

  const errori = verifica?.problemi.filter((p) => p.gravita === 'errore') ?? []
  const avvisi = verifica?.problemi.filter((p) => p.gravita === 'avviso') ?? []
  const modalitaOn = (c: string) => m.modalita.includes(c)

  return (
    <section>
      <div className="d-flex align-items-center gap-2 mb-3 flex-wrap">
        <h1 className="h2 me-auto mb-0">Ente e adesione</h1>
        <Button color="primary" outline size="sm" onClick={importaProfilo}>Importa profilo (TOML)</Button>
        <Button color="primary" outline size="sm" onClick={esportaProfilo}>Esporta profilo</Button>
      </div>

      {msg && (
        <Alert color={msg.colore}>
          {msg.testo}
          {msg.dettagli && msg.dettagli.length > 0 && <ul className="mb-0 mt-2">{msg.dettagli.map((d, i) => <li key={i}>{d}</li>)}</ul>}
        </Alert>
      )}

      <div className={`border rounded p-3 mb-4 ${verifica?.completo ? 'border-success' : 'border-warning'}`} data-testid="ente-completezza"
        data-completo={verifica ? String(verifica.completo) : undefined}>
        <div className="d-flex align-items-center gap-3 flex-wrap">
          <h2 className="h5 mb-0 me-auto">
            {verifica === null ? 'Verifica del profilo…' : verifica.completo
              ? 'Profilo completo: si possono generare i documenti di adesione'
              : `Profilo incompleto: ${errori.length} ${errori.length === 1 ? 'cosa' : 'cose'} da completare`}
          </h2>
          <Button color="primary" onClick={generaDocumenti} disabled={occupato} data-testid="ente-documenti">
            Genera documenti
          </Button>
        </div>
        {errori.length > 0 && (
          <ul className="mt-3 mb-0">
            {errori.map((p, i) => (
              <li key={i}><strong>{etichettaCampo(p.campo)}</strong>: {p.messaggio}. <span className="text-muted">Perché conta: {p.perche}.</span></li>
            ))}
          </ul>
        )}
        {avvisi.length > 0 && (
          <details className="mt-2">
            <summary>{avvisi.length} {avvisi.length === 1 ? 'avviso' : 'avvisi'} (non bloccano i documenti)</summary>
            <ul className="mb-0">
              {avvisi.map((p, i) => <li key={i}><strong>{etichettaCampo(p.campo)}</strong>: {p.messaggio}. <span className="text-muted">{p.perche}.</span></li>)}
            </ul>
          </details>
        )}
        {documenti && documenti.mancanti.length > 0 && (
          <Alert color="danger" className="mt-3 mb-0" data-testid="ente-documenti-rifiutati">
            Nessun documento generato: il profilo è incompleto ({documenti.mancanti.length}{' '}
            {documenti.mancanti.length === 1 ? 'cosa da completare, indicata' : 'cose da completare, elencate'} sopra).
          </Alert>
        )}
        {documenti && documenti.cartella && (
          <Alert color="success" className="mt-3 mb-0">
            Documenti scritti in <strong>{documenti.cartella}</strong> (ODT modificabile e PDF), pronti da firmare e inviare via PEC:
            <ul className="mb-0">{documenti.file.map((f) => <li key={f}>{f.split(/[\\/]/).pop()}</li>)}</ul>
          </Alert>
        )}
      </div>

      <form onSubmit={(e) => { e.preventDefault(); salva() }} noValidate>
        <fieldset className="mb-4">
          <legend className="h5">Dati dell'Ente</legend>
          <div className="row">
            <Campo id="denominazione" label="Denominazione" value={m.denominazione} onChange={testo('denominazione')} errore={errore('denominazione')} />
            <Campo id="codice_ipa" label="Codice IPA" value={m.codice_ipa} onChange={testo('codice_ipa')} errore={errore('codice_ipa')} className="col-md-3 mb-3" />
            <Campo id="codice_segregazione" label="Codice di segregazione" value={m.codice_segregazione} onChange={testo('codice_segregazione')} errore={errore('codice_segregazione')} className="col-md-3 mb-3" placeholder="es. 12" />
            <Campo id="codice_fiscale" label="Codice fiscale dell'Ente (11 cifre)" value={m.codice_fiscale} onChange={testo('codice_fiscale')} errore={errore('codice_fiscale')} className="col-md-4 mb-3" />
            <Campo id="pec" label="PEC" value={m.pec} onChange={testo('pec')} errore={errore('pec')} className="col-md-8 mb-3" type="email" />
            <Campo id="indirizzo" label="Sede" value={m.indirizzo} onChange={testo('indirizzo')} errore={errore('indirizzo')} className="col-md-12 mb-3" />
          </div>
        </fieldset>

        <fieldset className="mb-4" data-testid="ente-avviso">
          <legend className="h5">Avviso di pagamento pagoPA</legend>
          <p className="small text-muted mb-2">Quello che gli avvisi stampati dicono dell'Ente, oltre a nome e codice fiscale.</p>
          <div className="row">
            <Campo id="avviso.settore" label="Settore o ufficio" value={m.avviso.settore} onChange={avviso('settore')} errore={errore('avviso.settore')} className="col-md-5 mb-3" placeholder="es. Ufficio Tributi" />
            <Campo id="avviso.cbill" label="Codice CBILL" value={m.avviso.cbill} onChange={avviso('cbill')} errore={errore('avviso.cbill')} className="col-md-3 mb-3" placeholder="es. A0EDT" />
            <Campo id="avviso.canale_fisico" label="Sportello dell'Ente dove si paga" value={m.avviso.canale_fisico} onChange={avviso('canale_fisico')} errore={errore('avviso.canale_fisico')} className="col-md-4 mb-3" placeholder="es. Presso lo Sportello Tributi" />
            <Campo id="avviso.info" label="Contatti (sito, telefono, email)" value={m.avviso.info} onChange={avviso('info')} errore={errore('avviso.info')} className="col-md-8 mb-3" aiuto="Al massimo 100 caratteri." />
            <div className="col-md-4 mb-3">
              <span className="form-label small d-block" id="ente-avviso-logo-etichetta">Logo</span>
              <div className="d-flex align-items-center gap-2 flex-wrap">
                <span data-testid="ente-avviso-logo" className="small">{m.avviso.logo ? m.avviso.logo : 'nessun logo'}</span>
                <Button color="primary" outline size="sm" type="button" onClick={scegliLogo} aria-describedby="ente-avviso-logo-etichetta">
                  {m.avviso.logo ? 'Cambia logo' : 'Scegli il logo'}
                </Button>
                {m.avviso.logo && (
                  <Button color="secondary" outline size="sm" type="button" onClick={() => avviso('logo')('')}>Rimuovi logo</Button>
                )}
              </div>
              {errore('avviso.logo')
                ? <div id="ente-avviso-logo-errore" className="invalid-feedback d-block">{errore('avviso.logo')}</div>
                : <div className="form-text small">PNG o JPEG, al massimo 1 MB: viene copiato nella cartella dei dati.</div>}
            </div>
          </div>
        </fieldset>

        <fieldset className="mb-4">
          <legend className="h5">Adesione</legend>
          <div className="row">
            <div className="col-md-4 mb-3">
              <label htmlFor="ente-tipo_ente" className="form-label small">Tipo di ente</label>
              <select id="ente-tipo_ente" name="tipo_ente" className="form-select" value={m.tipo_ente} onChange={(e) => testo('tipo_ente')(e.target.value)}>
                <option value="">— scegliere —</option>
                {TIPI_ENTE.map((t) => <option key={t.codice} value={t.codice}>{t.nome}</option>)}
              </select>
              <div className="form-text small">Decide la percentuale del contributo regionale.</div>
            </div>
            <Campo id="codice_istat" label="Codice ISTAT" value={m.codice_istat} onChange={testo('codice_istat')} errore={errore('codice_istat')} className="col-md-2 mb-3" placeholder="es. 013075" />
            <Campo id="popolazione" label="Popolazione residente" value={m.popolazione} onChange={testo('popolazione')} errore={errore('popolazione')} className="col-md-3 mb-3" />
            <Campo id="popolazione_data" label="Alla data" value={m.popolazione_data} onChange={testo('popolazione_data')} errore={errore('popolazione_data')} className="col-md-3 mb-3" placeholder="gg/mm/aaaa" />
            <Campo id="popolazione_fonte" label="Fonte del dato" value={m.popolazione_fonte} onChange={testo('popolazione_fonte')} className="col-md-6 mb-3" placeholder="es. ISTAT" />
            <div className="col-md-6 mb-3">
              <span className="form-label small d-block">Modalità di adesione</span>
              {MODALITA.map((x) => (
                <div className="form-check form-check-inline" key={x.codice}>
                  <input className="form-check-input" type="checkbox" id={`ente-mod-${x.codice}`} checked={modalitaOn(x.codice)}
                    onChange={(e) => aggiorna('modalita', (y) => ({
                      ...y,
                      modalita: e.target.checked ? [...y.modalita, x.codice] : y.modalita.filter((c) => c !== x.codice),
                    }))} />
                  <label className="form-check-label" htmlFor={`ente-mod-${x.codice}`}>{x.nome}</label>
                </div>
              ))}
              <div className="form-text small">Il contributo spetta solo con «per flussi» o «iniziato presso l'Ente».</div>
            </div>
            <Campo id="legale_rappresentante" label="Legale rappresentante (firma l'Atto)" value={m.legale_rappresentante} onChange={testo('legale_rappresentante')} />
          </div>
        </fieldset>

        <fieldset className="mb-4">
          <legend className="h5">Referenti</legend>
          {(['referente_amministrativo', 'referente_tecnico'] as const).map((chi) => (
            <div className="row" key={chi}>
              <div className="col-12 small fw-semibold mb-1">{chi === 'referente_amministrativo' ? 'Amministrativo (referente dei pagamenti)' : 'Tecnico'}</div>
              <Campo id={`${chi}.nome`} label="Nome e cognome" value={m[chi].nome} onChange={ref(chi, 'nome')} className="col-md-3 mb-3" />
              <Campo id={`${chi}.codice_fiscale`} label="Codice fiscale" value={m[chi].codice_fiscale} onChange={ref(chi, 'codice_fiscale')} errore={errore(`${chi}.codice_fiscale`)} className="col-md-3 mb-3" />
              <Campo id={`${chi}.email`} label="Email" value={m[chi].email} onChange={ref(chi, 'email')} errore={errore(`${chi}.email`)} className="col-md-3 mb-3" type="email" />
              <Campo id={`${chi}.telefono`} label="Telefono" value={m[chi].telefono} onChange={ref(chi, 'telefono')} className="col-md-3 mb-3" />
            </div>
          ))}
        </fieldset>

        <fieldset className="mb-4">
          <legend className="h5">Conti di accredito</legend>
          {m.conti.map((c, i) => (
            <div className="row align-items-start" key={i}>
              <Campo id={`conti.${i}.iban`} label={`IBAN n. ${i + 1}`} value={c.iban} onChange={conto(i, 'iban')} errore={errore(`conti.${i}.iban`)} className="col-md-4 mb-3" />
              <div className="col-md-2 mb-3">
                <label htmlFor={`ente-conti-${i}-tipo`} className="form-label small">Tipo</label>
                <select id={`ente-conti-${i}-tipo`} className="form-select" value={c.tipo || 'tesoreria'} onChange={(e) => conto(i, 'tipo')(e.target.value)}>
                  <option value="tesoreria">Tesoreria</option>
                  <option value="postale">Postale</option>
                </select>
              </div>
              <Campo id={`conti.${i}.intestatario`} label="Intestatario" value={c.intestatario} onChange={conto(i, 'intestatario')} className="col-md-3 mb-3" />
              <div className="col-md-3 mb-3 d-flex align-items-end" style={{ minHeight: 62 }}>
                <Button color="danger" outline size="sm" onClick={() => aggiorna('conti', (x) => ({ ...x, conti: x.conti.filter((_, j) => j !== i) }))}>Rimuovi conto</Button>
              </div>
            </div>
          ))}
          <Button color="primary" outline size="sm" onClick={() => aggiorna('conti', (x) => ({ ...x, conti: [...x.conti, { ...CONTO_VUOTO }] }))}>Aggiungi conto</Button>
        </fieldset>

        <fieldset className="mb-4">
          <legend className="h5">Tipi dovuto</legend>
          {m.tipi.map((t, i) => (
            <div className={`border rounded p-2 mb-3 ${t.attivo ? '' : 'bg-light'}`} key={i}>
              <div className="row">
                <Campo id={`tipi.${i}.codice`} label="Codice" value={t.codice} onChange={tipo(i, 'codice')} errore={errore(`tipi.${i}.codice`)} className="col-md-3 col-xl-2 mb-2" />
                <Campo id={`tipi.${i}.descrizione`} label="Descrizione" value={t.descrizione} onChange={tipo(i, 'descrizione')} errore={errore(`tipi.${i}.descrizione`)} className="col-md-9 col-xl-4 mb-2" />
                <div className="col-md-12 col-xl-6 mb-2">
                  <label htmlFor={`ente-tipi-${i}-tassonomia`} className="form-label small">Codice tassonomico pagoPA</label>
                  <div className="input-group">
                    <input type="text" id={`ente-tipi-${i}-tassonomia`} name={`tipi.${i}.tassonomia`} className={`form-control ${errore(`tipi.${i}.tassonomia`) ? 'is-invalid' : ''}`}
                      aria-invalid={errore(`tipi.${i}.tassonomia`) ? true : undefined}
                      aria-describedby={[
                        errore(`tipi.${i}.tassonomia`) ? `ente-tipi-${i}-tassonomia-errore` : t.tassonomia ? `ente-tipi-${i}-tassonomia-aiuto` : '',
                        prefissi[i] ? `ente-tipi-${i}-prefisso` : '',
                        prefissi[i]?.avviso ? `ente-tipi-${i}-prefisso-avviso` : '',
                      ].filter(Boolean).join(' ') || undefined}
                      value={t.tassonomia} placeholder="es. 9/0101100IM/" onChange={(e) => tipo(i, 'tassonomia')(e.target.value)} />
                    <Button color="primary" outline type="button" onClick={() => setScelta(scelta === i ? null : i)}>Scegli dall'elenco</Button>
                  </div>
                  {errore(`tipi.${i}.tassonomia`) && <div id={`ente-tipi-${i}-tassonomia-errore`} className="invalid-feedback d-block">{errore(`tipi.${i}.tassonomia`)}</div>}
                  {!errore(`tipi.${i}.tassonomia`) && t.tassonomia && (
                    <div id={`ente-tipi-${i}-tassonomia-aiuto`} className="form-text small">{tassonomia.find((v) => v.codice === t.tassonomia.trim())?.nome ?? 'codice non presente nell’elenco fornito con l’app'}</div>
                  )}
                  {prefissi[i] && <PrefissoSpiegato i={i} p={prefissi[i]} />}
                  {scelta === i && <SceltaTassonomia elenco={tassonomia} onScegli={(c) => { tipo(i, 'tassonomia')(c); setScelta(null) }} />}
                </div>
                <Campo id={`tipi.${i}.importo_predefinito`} label="Importo predefinito" value={t.importo_predefinito} onChange={tipo(i, 'importo_predefinito')} errore={errore(`tipi.${i}.importo_predefinito`)} className="col-md-2 mb-2" placeholder="es. 120,50" />
                <Campo id={`tipi.${i}.causale_predefinita`} label="Modello di causale" value={t.causale_predefinita} onChange={tipo(i, 'causale_predefinita')} className="col-md-4 mb-2" placeholder="es. TARI {anno} - {anagrafica}" />
                <Campo id={`tipi.${i}.capitolo`} label="Capitolo di bilancio" value={t.capitolo} onChange={tipo(i, 'capitolo')} className="col-md-2 mb-2" />
                <Campo id={`tipi.${i}.iban`} label="IBAN (se diverso dal conto di tesoreria)" value={t.iban} onChange={tipo(i, 'iban')} errore={errore(`tipi.${i}.iban`)} className="col-md-4 mb-2" />
                <div className="col-md-3 mb-2">
                  <label htmlFor={`ente-tipi-${i}-modalita`} className="form-label small">Modalità di attivazione</label>
                  <select id={`ente-tipi-${i}-modalita`} className="form-select" value={t.modalita} onChange={(e) => tipo(i, 'modalita')(e.target.value)}>
                    <option value="">Come l'Ente</option>
                    {MODALITA.map((x) => <option key={x.codice} value={x.codice}>{x.nome}</option>)}
                  </select>
                </div>
                <Campo id={`tipi.${i}.scadenza_predefinita`} label="Scadenza predefinita" value={t.scadenza_predefinita} onChange={tipo(i, 'scadenza_predefinita')} errore={errore(`tipi.${i}.scadenza_predefinita`)} className="col-md-2 mb-2" placeholder="gg/mm/aaaa" />
                <div className="col-md-7 mb-2 d-flex flex-wrap gap-3 align-items-end">
                  {([
                    ['attivo', 'Attivo'],
                    ['cf_anonimo', 'Pagatore anonimo ammesso'],
                    ['scadenza_obbligatoria', 'Scadenza obbligatoria'],
                  ] as const).map(([k, l]) => (
                    <div className="form-check" key={k}>
                      <input className="form-check-input" type="checkbox" id={`ente-tipi-${i}-${k}`} checked={t[k]} onChange={(e) => tipo(i, k)(e.target.checked)} />
                      <label className="form-check-label" htmlFor={`ente-tipi-${i}-${k}`}>{l}</label>
                    </div>
                  ))}
                  <Button color="danger" outline size="sm" className="ms-auto"
                    onClick={() => aggiorna('tipi', (x) => ({ ...x, tipi: x.tipi.filter((_, j) => j !== i) }))}
                    title="Un tipo già usato da dovuti resta in archivio come non attivo">
                    Rimuovi
                  </Button>
                </div>
                <div className="col-12 small fw-semibold mt-1">Bollettino postale sugli avvisi (se il tipo incassa su un conto corrente postale)</div>
                <Campo id={`tipi.${i}.conto_postale`} label="Conto corrente postale" value={t.conto_postale} onChange={tipo(i, 'conto_postale')} errore={errore(`tipi.${i}.conto_postale`)} className="col-md-3 mb-2" placeholder="12 cifre" />
                <Campo id={`tipi.${i}.intestatario_conto_postale`} label="Intestatario del conto postale" value={t.intestatario_conto_postale} onChange={tipo(i, 'intestatario_conto_postale')} errore={errore(`tipi.${i}.intestatario_conto_postale`)} className="col-md-4 mb-2" />
                <Campo id={`tipi.${i}.autorizzazione_poste`} label="Autorizzazione di Poste (stampa in proprio)" value={t.autorizzazione_poste} onChange={tipo(i, 'autorizzazione_poste')} errore={errore(`tipi.${i}.autorizzazione_poste`)} className="col-md-5 mb-2" placeholder="es. AUT. DB/SISB/E 123456" />
              </div>
            </div>
          ))}
          <Button color="primary" outline size="sm" onClick={() => aggiorna('tipi', (x) => ({ ...x, tipi: [...x.tipi, { ...TIPO_VUOTO }] }))}>Aggiungi tipo dovuto</Button>
        </fieldset>

        {msgSalva && (
          <Alert color={msgSalva.colore} data-testid="ente-salvataggio">
            {msgSalva.testo}
            {msgSalva.dettagli && msgSalva.dettagli.length > 0 && <ul className="mb-0 mt-2">{msgSalva.dettagli.map((d, i) => <li key={i}>{d}</li>)}</ul>}
          </Alert>
        )}
        <div className="d-flex gap-2 mb-5">
          <Button color="primary" type="submit" disabled={occupato} data-testid="ente-salva">Salva profilo</Button>
          <Button color="secondary" outline type="button" onClick={() => { setToccati(new Set()); setTentato(false); setErroriServer({}); setMsgSalva(null); carica() }}>
            Annulla modifiche
          </Button>
        </div>
      </form>

      <h2 className="h4">Passi dell'adesione</h2>
      <p className="small text-muted">Registrare la data di ogni passo man mano che avviene: compare nel promemoria allegato ai documenti.</p>
      <table className="table table-sm align-middle">
        <thead><tr><th>Passo</th><th>Data</th><th>Nota</th><th>Registra (gg/mm/aaaa)</th></tr></thead>
        <tbody>
          {passi.map((p) => (
            <tr key={p.passo} data-passo={p.passo}>
              <td>{p.data ? '✓ ' : ''}{p.nome}</td>
              <td>{p.data ? dataIt(p.data) : '—'}</td>
              <td>{p.nota ?? ''}</td>
              <td>
                <div className="d-flex gap-2 flex-wrap">
                  <input type="text" className="form-control form-control-sm" style={{ maxWidth: 130 }} placeholder="gg/mm/aaaa" aria-label={`Data: ${p.nome}`}
                    value={dataPasso[p.passo] ?? ''} onChange={(e) => setDataPasso((d) => ({ ...d, [p.passo]: e.target.value }))} />
                  <input type="text" className="form-control form-control-sm" style={{ minWidth: '13rem', flex: 1 }} placeholder="nota (es. delibera n.)" aria-label={`Nota: ${p.nome}`}
                    value={notaPasso[p.passo] ?? ''} onChange={(e) => setNotaPasso((d) => ({ ...d, [p.passo]: e.target.value }))} />
                  <Button color="primary" size="sm" disabled={!dataPasso[p.passo]} onClick={() => registraPasso(p.passo)}>Registra</Button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
