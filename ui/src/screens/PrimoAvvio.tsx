// First start, "Configura l'Ente": a short wizard (the Ente's codes, environment and MyPay
// address, the password into the OS keyring) or the import of an existing profile file (TOML).
import { useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { open } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import { adesione } from '../comandi/adesione'
import { AMBIENTI, impostazioni, type Ambiente, type PrimoAvvioDati } from '../comandi/impostazioni'
import { validaCodiciEnte } from '../validazioneEnte'
import { senzaEtichetta } from '../format'

const PASSI = ['Ente', 'Ambiente', 'Password'] as const

/** Errors of the wizard's step `passo` (0-based) known without asking, keyed by field; the
 * address's rule is the application's (asked when the clerk goes on from that step). */
export function erroriPasso(passo: number, d: PrimoAvvioDati): Record<string, string> {
  if (passo === 0) return validaCodiciEnte(d)
  if (passo === 1 && d.ambiente !== 'demo' && !d.url.trim())
    return { url: `Indirizzo di MyPay: obbligatorio per l'ambiente ${d.ambiente}` }
  return {}
}

export default function PrimoAvvio({ onFatto, onAnnulla }: { onFatto: () => void; onAnnulla: () => void }) {
  const [passo, setPasso] = useState(0)
  const [d, setD] = useState<PrimoAvvioDati>({
    denominazione: '',
    codice_ipa: '',
    codice_fiscale: '',
    codice_segregazione: '',
    ambiente: 'collaudo',
    url: '',
    password: '',
    piattaforma: '',
    client_id: '',
  })
  const [tentato, setTentato] = useState<Set<number>>(new Set())
  const [erroriServer, setErroriServer] = useState<Record<string, string>>({})
  const [msg, setMsg] = useState<{ colore: string; testo: string; dettagli?: string[] } | null>(null)
  const [occupato, setOccupato] = useState(false)
  const [avvisi, setAvvisi] = useState<string[] | null>(null)

  const errori = { ...(tentato.has(passo) ? erroriPasso(passo, d) : {}), ...erroriServer }
  const campo = (k: keyof PrimoAvvioDati, label: string, extra?: { placeholder?: string; type?: string; aiuto?: string }) => (
    <div className="mb-3">
      <label htmlFor={`primo-${k}`} className="form-label">{label}</label>
      <input
        id={`primo-${k}`}
        name={k}
        type={extra?.type ?? 'text'}
        autoComplete="off"
        className={`form-control ${errori[k] ? 'is-invalid' : ''}`}
        aria-invalid={errori[k] ? true : undefined}
        aria-describedby={errori[k] ? `primo-${k}-errore` : extra?.aiuto ? `primo-${k}-aiuto` : undefined}
        value={d[k]}
        placeholder={extra?.placeholder}
        onChange={(e) => {
          setD({ ...d, [k]: e.target.value })
          setErroriServer((s) => { const c = { ...s }; delete c[k]; return c })
        }}
      />
      {errori[k] ? <div id={`primo-${k}-errore`} className="invalid-feedback d-block">{senzaEtichetta(errori[k] ?? '', label)}</div> : extra?.aiuto && <div id={`primo-${k}-aiuto`} className="form-text">{extra.aiuto}</div>}
    </div>
  )

  const avanti = async () => {
    setTentato((t) => new Set(t).add(passo))
    if (Object.keys(erroriPasso(passo, d)).length > 0) return
    if (passo === 1) {
      try {
        const problema = await impostazioni.controllaIndirizzo(d.ambiente, d.url)
        if (problema) {
          setErroriServer((s) => ({ ...s, url: problema }))
          return
        }
      } catch (e) {
        setMsg({ colore: 'danger', testo: messaggioErrore(e) })
        return
      }
    }
    setPasso(passo + 1)
  }
  const fine = async () => {
    setOccupato(true)
    setMsg(null)
    try {
      const dati = { ...d }
      const s = await impostazioni.primoConfigura(dati)
      setD((x) => ({ ...x, password: '' }))
      if (!s.salvato) {
        const perCampo = Object.fromEntries(s.errori.map((e) => [e.campo, e.messaggio]))
        setErroriServer(perCampo)
        // Back to the first step with an error.
        const primo = ['denominazione', 'codice_ipa', 'codice_fiscale', 'codice_segregazione'].some((k) => k in perCampo) ? 0 : 1
        setPasso(primo)
        setMsg({ colore: 'danger', testo: 'Configurazione non salvata: correggere i campi segnalati.', dettagli: s.errori.map((e) => e.messaggio) })
      } else if (s.avvisi.length > 0) {
        setAvvisi(s.avvisi)
      } else {
        onFatto()
      }
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  const importa = async () => {
    const f = await open({ title: 'Profilo dell’Ente (TOML)', filters: [{ name: 'Profilo TOML', extensions: ['toml'] }] })
    if (typeof f !== 'string') return
    setOccupato(true)
    try {
      const w = await adesione.enteImportaProfilo(f)
      if (w.length > 0) setAvvisi(w)
      else onFatto()
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }

  const pu = d.piattaforma === 'pu'
  if (avvisi) {
    return (
      <main id="contenuto" tabIndex={-1} className="container my-5" style={{ maxWidth: 760 }}>
        <h1>Ente configurato</h1>
        <Alert color="warning">
          Da sapere:
          <ul className="mb-0">{avvisi.map((a, i) => <li key={i}>{a}</li>)}</ul>
        </Alert>
        <p>Il profilo si completa in «Ente e adesione» (tipi dovuto, conti, dati per l'adesione); {pu ? 'il segreto del client' : 'la password'} si può inserire in «Impostazioni».</p>
        <Button color="primary" onClick={onFatto}>Continua</Button>
      </main>
    )
  }

  return (
    <main id="contenuto" tabIndex={-1} className="container my-5" style={{ maxWidth: 760 }} data-testid="primo-configura-procedura">
      <h1>Configurazione dell’Ente</h1>
      <ol className="d-flex gap-4 list-unstyled my-3" aria-label="Passi">
        {PASSI.map((p, i) => (i === 2 && pu ? 'Segreto del client' : p)).map((p, i) => (
          <li key={p} className={i === passo ? 'fw-bold text-primary' : 'text-muted'} aria-current={i === passo ? 'step' : undefined}>
            {i + 1}. {p}
          </li>
        ))}
      </ol>
      {msg && (
        <Alert color={msg.colore}>
          {msg.testo}
          {msg.dettagli && <ul className="mb-0">{msg.dettagli.map((x, i) => <li key={i}>{x}</li>)}</ul>}
        </Alert>
      )}
      <form onSubmit={(e) => { e.preventDefault(); if (passo < 2) avanti(); else fine() }} noValidate>
        {passo === 0 && (
          <>
            {campo('denominazione', 'Denominazione', { placeholder: 'es. Comune di Esempio' })}
            {campo('codice_ipa', 'Codice IPA', { placeholder: 'es. c_a123', aiuto: "Il codice dell'Ente nell'Indice delle Pubbliche Amministrazioni." })}
            {campo('codice_fiscale', "Codice fiscale dell'Ente", { placeholder: '11 cifre' })}
            {campo('codice_segregazione', 'Codice di segregazione', { placeholder: 'es. 12', aiuto: 'Due cifre assegnate da MyPay: prefisso degli IUV dell’Ente.' })}
          </>
        )}
        {passo === 1 && (
          <>
            <div className="mb-3">
              <label htmlFor="primo-ambiente" className="form-label">Ambiente di MyPay</label>
              <select id="primo-ambiente" className="form-select" value={d.ambiente} onChange={(e) => setD({ ...d, ambiente: e.target.value as Ambiente })}>
                {AMBIENTI.map((a) => <option key={a.codice} value={a.codice}>{a.nome}</option>)}
              </select>
            </div>
            {d.ambiente !== 'demo' && campo('url', 'Indirizzo di MyPay', { placeholder: 'https://…', aiuto: 'Comunicato dalla Regione per il collaudo e per la produzione.' })}
            <div className="mb-3">
              <label htmlFor="primo-piattaforma" className="form-label">Piattaforma</label>
              <select id="primo-piattaforma" className="form-select" value={d.piattaforma || 'mypay'}
                onChange={(e) => setD({ ...d, piattaforma: e.target.value as PrimoAvvioDati['piattaforma'] })}>
                <option value="mypay">MyPay</option>
                <option value="aria">MyPay tramite il middleware regionale (ARIA)</option>
                <option value="pu">Piattaforma Unitaria (PU)</option>
              </select>
            </div>
            {d.piattaforma === 'pu' && campo('client_id', 'Identificativo del client della Piattaforma Unitaria', { placeholder: 'es. c_x123SIL_MyPayDesk' })}
          </>
        )}
        {passo === 2 && (
          <>
            {d.ambiente === 'demo' ? (
              <p>L'ambiente dimostrativo non richiede una password.</p>
            ) : (
              campo('password', d.piattaforma === 'pu' ? 'Segreto del client della Piattaforma Unitaria (facoltativo ora)' : 'Password del servizio MyPay (facoltativa ora)', {
                type: 'password',
                aiuto: `Viene ${pu ? 'salvato' : 'salvata'} solo nel portachiavi del sistema, mai nel database o nei file. Si può inserire anche più tardi in Impostazioni.`,
              })
            )}
          </>
        )}
        <div className="d-flex gap-2 mt-4">
          {passo > 0 && <Button color="secondary" outline type="button" onClick={() => setPasso(passo - 1)}>Indietro</Button>}
          {passo < 2 && <Button color="primary" type="submit">Avanti</Button>}
          {passo === 2 && <Button color="primary" type="submit" disabled={occupato}>{occupato ? 'Salvataggio…' : 'Salva e inizia'}</Button>}
          <Button color="link" type="button" className="ms-auto" onClick={onAnnulla}>Torna alla scelta iniziale</Button>
        </div>
      </form>
      <hr className="my-4" />
      <p className="mb-2">Ha già un profilo dell'Ente in un file (per esempio da un altro computer)?</p>
      <Button color="primary" outline onClick={importa} disabled={occupato} data-testid="primo-importa">Importa un profilo esistente (TOML)…</Button>
    </main>
  )
}
