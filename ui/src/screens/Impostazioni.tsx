// Impostazioni: environment and MyPay address, the password (into the OS keyring only), the data
// folder, backup and restore of the local database.
import { useCallback, useEffect, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { open, save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import type { SchermataProps } from '../navigazione'
import { AMBIENTI, impostazioni, type Ambiente, type Conservazione as StatoConservazione, type Impostazioni as Stato, type InfoBackup } from '../comandi/impostazioni'
import type { Piattaforma } from '../bindings'
import { descriviConnessione } from '../comandi/connessione'
import { dataOraIt } from '../comandi/flussi'
import { conta } from '../format'
import { archivio } from '../comandi/archivio'

type Sezione = 'collegamento' | 'password' | 'dati'

/** `2026-11-27T10:00:00+00:00` → `27/11/2026 11:00` (local time), the moment a copy is of. */
function momento(ts: string | null): string {
  return ts ? dataOraIt(ts) : '—'
}

const PIATTAFORME: { codice: Piattaforma; nome: string }[] = [
  { codice: 'mypay', nome: 'MyPay' },
  { codice: 'aria', nome: 'MyPay tramite il middleware regionale (ARIA)' },
  { codice: 'pu', nome: 'Piattaforma Unitaria (PU)' },
]

/** The periods offered for keeping the app's own files (days; null: never). */
export const PERIODI: { giorni: number | null; nome: string }[] = [
  { giorni: 90, nome: '3 mesi' },
  { giorni: 180, nome: '6 mesi' },
  { giorni: 365, nome: '1 anno (consigliato)' },
  { giorni: 730, nome: '2 anni' },
  { giorni: 1825, nome: '5 anni' },
  { giorni: 3650, nome: '10 anni' },
  { giorni: null, nome: 'Sempre (non eliminarli mai)' },
]

/** «Conservazione dei file»: how long flows, result files, exports and notices stay in the
 *  app's folders, and what the last clean-up deleted. */
function ConservazioneFile() {
  const [st, setSt] = useState<StatoConservazione | null>(null)
  const [scelta, setScelta] = useState('365')
  const [msg, setMsg] = useState<{ colore: string; testo: string } | null>(null)
  const [occupato, setOccupato] = useState(false)
  const applica = useCallback((s: StatoConservazione) => {
    setSt(s)
    setScelta(s.giorni === null ? 'mai' : String(s.giorni))
  }, [])
  useEffect(() => {
    impostazioni.conservazione().then((s) => { if (s) applica(s) }).catch((e) => setMsg({ colore: 'danger', testo: messaggioErrore(e) }))
  }, [applica])
  if (!st) return msg ? <p className="small">Conservazione dei file: {msg.testo}</p> : null
  const esegui = async (f: () => Promise<void>) => {
    setOccupato(true)
    setMsg(null)
    try {
      await f()
    } catch (e) {
      setMsg({ colore: 'danger', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  const periodi = PERIODI.some((p) => (p.giorni === null ? 'mai' : String(p.giorni)) === scelta)
    ? PERIODI
    : [...PERIODI, { giorni: Number(scelta), nome: `${scelta} giorni` }]
  const salva = () => esegui(async () => {
    const s = await impostazioni.conservazioneSalva(scelta === 'mai' ? null : Number(scelta))
    applica(s)
    setMsg({ colore: 'success', testo: `Conservazione salvata: ${s.descrizione}.` })
  })
  const pulisci = () => esegui(async () => {
    const p = await impostazioni.conservazioneApplica()
    applica(await impostazioni.conservazione())
    setMsg({ colore: 'success', testo: `Pulizia eseguita: ${p.testo}.` })
  })
  return (
    <fieldset className="border rounded p-3 mb-4">
      <legend className="h5 float-none w-auto px-2">Conservazione dei file</legend>
      <p className="small">
        Flussi, file di esito, export delle ricevute, flussi di rendicontazione scaricati e avvisi dello sportello
        contengono dati personali dei cittadini: nella cartella dei dati si conservano per il periodo scelto, poi vengono eliminati (una volta al giorno).
        I file di un flusso di cui MyPay non ha ancora dato l'esito non vengono mai eliminati, e il database conserva
        tutte le sue registrazioni. I file salvati altrove non vengono toccati.
      </p>
      <div className="d-flex gap-2 align-items-end flex-wrap">
        <div>
          <label htmlFor="imp-conservazione" className="form-label small">Conservare i file per</label>
          <select id="imp-conservazione" className="form-select" data-testid="impostazioni-conservazione"
            value={scelta} onChange={(e) => setScelta(e.target.value)} disabled={occupato}>
            {periodi.map((p) => {
              const v = p.giorni === null ? 'mai' : String(p.giorni)
              return <option key={v} value={v}>{p.nome}</option>
            })}
          </select>
        </div>
        <Button color="primary" onClick={salva} disabled={occupato} data-testid="impostazioni-conservazione-salva">Salva</Button>
        <Button color="primary" outline onClick={pulisci} disabled={occupato || st.giorni === null}>Elimina ora i file scaduti</Button>
      </div>
      <p className="small mt-2 mb-0" data-testid="impostazioni-ultima-pulizia">
        Ultima pulizia: {st.ultima_pulizia ? `${momento(st.ultima_pulizia.quando)}, ${st.ultima_pulizia.testo}` : 'non ancora eseguita'}.
      </p>
      {msg && <Alert color={msg.colore} role="status" className="mt-3 mb-0">{msg.testo}</Alert>}
    </fieldset>
  )
}

/** The connection's title and the address asked for, per platform, and where the calls go. */
const INDIRIZZO: Record<Piattaforma, { titolo: string; etichetta: string; aiuto: string }> = {
  mypay: { titolo: 'Collegamento a MyPay', etichetta: 'Indirizzo di MyPay', aiuto: 'Le chiamate SOAP vanno a indirizzo/ws/pa/.' },
  aria: { titolo: 'Collegamento a MyPay', etichetta: 'Indirizzo del middleware regionale', aiuto: 'Le chiamate SOAP vanno a indirizzo/ws/pa/, come su MyPay.' },
  pu: {
    titolo: 'Collegamento alla Piattaforma Unitaria',
    etichetta: 'Indirizzo della Piattaforma Unitaria',
    aiuto: 'Le chiamate SOAP vanno a indirizzo/pu/sil/soap/payments/…; il token si chiede a indirizzo/pu/auth/oauth/token.',
  },
}

/** The credential's words: the MyPay password, or PU's client secret (masculine in Italian). */
const CREDENZIALE = {
  mypay: {
    titolo: 'Password del servizio MyPay', etichetta: 'Password', Nome: 'La password', la: 'la password', della: 'della password',
    nuova: 'Nuova password', salvata: 'salvata', rimossa: 'rimossa', nessuna: 'Nessuna password', mostrata: 'mostrata',
  },
  pu: {
    titolo: 'Segreto del client della Piattaforma Unitaria', etichetta: 'Segreto del client', Nome: 'Il segreto del client', la: 'il segreto del client',
    della: 'del segreto', nuova: 'Nuovo segreto del client', salvata: 'salvato', rimossa: 'rimosso', nessuna: 'Nessun segreto',
    mostrata: 'mostrato',
  },
}

export default function Impostazioni({ ricarica }: SchermataProps) {
  const [st, setSt] = useState<Stato | null>(null)
  const [ambiente, setAmbiente] = useState<Ambiente>('demo')
  const [url, setUrl] = useState('')
  const [piattaforma, setPiattaforma] = useState<Piattaforma>('mypay')
  const [clientId, setClientId] = useState('')
  const [password, setPassword] = useState('')
  // Shown inside the section the action belongs to, where the clerk is looking.
  // `campo`: the field the refusal is about (its input is marked invalid and described by the
  // message, issue 13 item 16).
  const [msg, setMsg] = useState<{ colore: string; testo: string; dove: Sezione; campo?: 'url' | 'password' } | null>(null)
  const [occupato, setOccupato] = useState(false)
  // `chiave`: the recovery code or passphrase of a backup made on another computer.
  const [ripristino, setRipristino] = useState<{ percorso: string; info: InfoBackup; chiave: string | null } | null>(null)
  // A backup that this computer's key does not open: its own key is asked for.
  const [chiaveCopia, setChiaveCopia] = useState<{ percorso: string; testo: string } | null>(null)
  const [chiaveRipristino, setChiaveRipristino] = useState<string | null>(null)
  // "Verifica connessione" may wait for MyPay up to half a minute: it shows that it is working.
  const [verificando, setVerificando] = useState(false)

  const applica = useCallback((s: Stato) => {
    setSt(s)
    setAmbiente(s.ambiente)
    setUrl(s.urls.find((u) => u.ambiente === s.ambiente)?.url ?? '')
    setPiattaforma(s.piattaforma)
    setClientId(s.client_id ?? '')
  }, [])
  useEffect(() => {
    impostazioni.stato().then(applica).catch((e) => setMsg({ colore: 'danger', testo: messaggioErrore(e), dove: 'collegamento' }))
  }, [applica])

  if (!st) return <section><h1 className="h2">Impostazioni</h1>{msg ? <Alert color={msg.colore}>{msg.testo}</Alert> : <p>Caricamento…</p>}</section>

  // The credential of the stored platform: on PU the client secret, elsewhere the password.
  const cred = CREDENZIALE[st.piattaforma === 'pu' ? 'pu' : 'mypay']
  const esegui = async (dove: Sezione, f: () => Promise<void>, campo?: { nome: 'url' | 'password'; codice: string }) => {
    setOccupato(true)
    setMsg(null)
    try {
      await f()
    } catch (e) {
      const codice = (e as { codice?: string } | null)?.codice
      setMsg({ colore: 'danger', testo: messaggioErrore(e), dove, campo: campo && codice === campo.codice ? campo.nome : undefined })
    } finally {
      setOccupato(false)
    }
  }
  const cambiaAmbiente = (a: Ambiente) => {
    setAmbiente(a)
    setUrl(st.urls.find((u) => u.ambiente === a)?.url ?? '')
  }
  const salvaAmbiente = () => esegui('collegamento', async () => {
    applica(await (piattaforma === st.piattaforma && clientId === (st.client_id ?? '')
      ? impostazioni.salva(ambiente, ambiente === 'demo' ? null : url)
      : impostazioni.salva(ambiente, ambiente === 'demo' ? null : url, piattaforma, piattaforma === 'pu' ? clientId : null)))
    const con = piattaforma === 'pu' ? 'la Piattaforma Unitaria' : 'MyPay'
    setMsg({ colore: 'success', testo: `Ambiente salvato: la prossima operazione con ${con} userà queste impostazioni.`, dove: 'collegamento' })
    ricarica()
  }, { nome: 'url', codice: 'impostazioni' })
  const salvaPassword = () => esegui('password', async () => {
    // Cleared from the field whatever happens: it is never kept in the window.
    const p = password
    setPassword('')
    const sp = await impostazioni.passwordSalva(p)
    setSt({ ...st, password: sp })
    setMsg({ colore: 'success', testo: `${cred.etichetta} ${cred.salvata} nel portachiavi del sistema.`, dove: 'password' })
  }, { nome: 'password', codice: 'non_valido' })
  const cancellaPassword = () => esegui('password', async () => {
    const r = await impostazioni.passwordCancella()
    setSt({ ...st, password: r.password })
    setMsg({ colore: 'success', testo: r.cancellata ? `${cred.etichetta} ${cred.rimossa} dal portachiavi.` : `${cred.nessuna} da rimuovere.`, dove: 'password' })
  })
  const verifica = async () => {
    setVerificando(true)
    try {
      await esegui('collegamento', async () => {
        const c = await impostazioni.verificaConnessione()
        setMsg({ colore: 'success', dove: 'collegamento', testo: `Connessione pronta. ${descriviConnessione(c)}` })
      })
    } finally {
      setVerificando(false)
    }
  }
  const backup = () => esegui('dati', async () => {
    const oggi = new Date().toISOString().slice(0, 10)
    const f = await save({ title: 'Salva una copia di sicurezza', defaultPath: `mypay-desk-${oggi}.sqlite`, filters: [{ name: 'Copia di MyPay Desk', extensions: ['sqlite', 'db'] }] })
    if (!f) return
    const p = await impostazioni.backupSalva(f)
    setMsg({ colore: 'success', testo: `Copia di sicurezza salvata in ${p}.`, dove: 'dati' })
  })
  const scegliRipristino = () => esegui('dati', async () => {
    const f = await open({ title: 'Copia di sicurezza da ripristinare', filters: [{ name: 'Copia di MyPay Desk', extensions: ['sqlite', 'db'] }, { name: 'Tutti i file', extensions: ['*'] }] })
    if (typeof f !== 'string') return
    setChiaveCopia(null)
    try {
      setRipristino({ percorso: f, info: await impostazioni.backupEsamina(f), chiave: null })
    } catch (e) {
      if ((e as { codice?: string } | null)?.codice === 'chiave_archivio') setChiaveCopia({ percorso: f, testo: '' })
      throw e
    }
  })
  const apriCopiaConChiave = () => esegui('dati', async () => {
    if (!chiaveCopia) return
    const info = await impostazioni.backupEsamina(chiaveCopia.percorso, chiaveCopia.testo)
    setRipristino({ percorso: chiaveCopia.percorso, info, chiave: chiaveCopia.testo })
    setChiaveCopia(null)
  })
  const mostraChiave = () => esegui('dati', async () => {
    const k = await archivio.chiave()
    setChiaveRipristino(k.frase ? 'L’archivio è cifrato con la frase segreta scelta: la chiave di ripristino è la frase stessa.' : k.testo)
  })
  const confermaRipristino = () => esegui('dati', async () => {
    if (!ripristino) return
    const r = await impostazioni.backupRipristina(ripristino.percorso, ripristino.chiave)
    setRipristino(null)
    setMsg({
      colore: 'success',
      dove: 'dati',
      testo: `Database ripristinato (${r.info.denominazione ?? 'nessun Ente'}, ${r.info.dovuti} dovuti).` +
        (r.copia_precedente ? ` Il database precedente è conservato in ${r.copia_precedente}.` : ''),
    })
    applica(await impostazioni.stato())
    ricarica()
  })

  const pw = st.password
  const urlErrato = msg?.campo === 'url'
  const passwordErrata = msg?.campo === 'password'
  // The demo needs no password; another environment's password waits until it is saved.
  // A platform chosen but not saved: the credential would go to the other platform's account.
  const passwordBloccata = st.ambiente === 'demo' || ambiente !== st.ambiente || piattaforma !== st.piattaforma ||
    !st.codice_ipa || !pw.portachiavi_disponibile
  return (
    <section>
      <h1 className="h2 mb-3">Impostazioni</h1>

      <fieldset className="border rounded p-3 mb-4">
        <legend className="h5 float-none w-auto px-2">{INDIRIZZO[piattaforma].titolo}</legend>
        <p className="mb-2">Codice IPA dell'Ente: <strong>{st.codice_ipa ?? 'nessun Ente configurato'}</strong></p>
        <div className="row">
          <div className="col-md-4 mb-3">
            <label htmlFor="imp-ambiente" className="form-label small">Ambiente</label>
            <select id="imp-ambiente" className="form-select" data-testid="impostazioni-ambiente" value={ambiente}
              onChange={(e) => cambiaAmbiente(e.target.value as Ambiente)}>
              {AMBIENTI.map((a) => <option key={a.codice} value={a.codice}>{a.nome}</option>)}
            </select>
          </div>
          <div className="col-md-8 mb-3">
            <label htmlFor="imp-url" className="form-label small">{INDIRIZZO[piattaforma].etichetta}</label>
            <input type="url" id="imp-url" className={`form-control ${urlErrato ? 'is-invalid' : ''}`} data-testid="impostazioni-url" value={ambiente === 'demo' ? '' : url}
              aria-invalid={urlErrato || undefined} aria-describedby={urlErrato ? 'imp-collegamento-esito imp-url-aiuto' : 'imp-url-aiuto'}
              disabled={ambiente === 'demo'} placeholder={ambiente === 'demo' ? 'emulatore incorporato: nessun indirizzo' : 'https://…'}
              onChange={(e) => setUrl(e.target.value)} />
            <div id="imp-url-aiuto" className="form-text small">{INDIRIZZO[piattaforma].aiuto} Ogni ambiente ricorda il suo indirizzo.</div>
          </div>
          <div className="col-md-4 mb-3">
            <label htmlFor="imp-piattaforma" className="form-label small">Piattaforma</label>
            <select id="imp-piattaforma" className="form-select" data-testid="impostazioni-piattaforma" value={piattaforma}
              aria-describedby="imp-piattaforma-aiuto" onChange={(e) => setPiattaforma(e.target.value as Piattaforma)}>
              {PIATTAFORME.map((p) => <option key={p.codice} value={p.codice}>{p.nome}</option>)}
            </select>
          </div>
          {piattaforma === 'pu' && (
            <div className="col-md-8 mb-3">
              <label htmlFor="imp-client-id" className="form-label small">Identificativo del client della Piattaforma Unitaria</label>
              <input type="text" id="imp-client-id" className="form-control" data-testid="impostazioni-client-id" value={clientId}
                onChange={(e) => setClientId(e.target.value)} placeholder="es. c_x123SIL_MyPayDesk" />
            </div>
          )}
          <div id="imp-piattaforma-aiuto" className="form-text small col-12 mb-3">
            Se il Suo Ente passa alla Piattaforma Unitaria, scelga «MyPay tramite il middleware regionale (ARIA)» (stessa password)
            oppure «Piattaforma Unitaria» (identificativo del client e segreto, che si salva qui sotto al posto della password).
          </div>
        </div>
        <div className="d-flex gap-2">
          <Button color="primary" onClick={salvaAmbiente} disabled={occupato} data-testid="impostazioni-salva">Salva</Button>
          <Button color="primary" outline onClick={verifica} disabled={occupato} data-testid="impostazioni-verifica" aria-busy={verificando || undefined}>
            {verificando ? 'Verifica in corso…' : 'Verifica connessione'}
          </Button>
        </div>
        {verificando && (
          <p role="status" className="d-flex align-items-center gap-2 mt-3 mb-0" data-testid="impostazioni-verifica-in-corso">
            <span className="progress-spinner progress-spinner-active" style={{ width: 20, height: 20, borderWidth: 3, display: 'inline-block' }} aria-hidden="true" />
            Verifica in corso: si attende la risposta di MyPay.
          </p>
        )}
        {msg?.dove === 'collegamento' && <Alert id="imp-collegamento-esito" color={msg.colore} role="status" className="mt-3 mb-0">{msg.testo}</Alert>}
      </fieldset>

      <fieldset className="border rounded p-3 mb-4">
        <legend className="h5 float-none w-auto px-2">{cred.titolo}</legend>
        {/* Red only when no credential can be had: without a keyring, one supplied by the
            environment (a headless or managed PC) still works. */}
        <p className={pw.portachiavi_disponibile || pw.origine ? '' : 'text-danger'} data-testid="impostazioni-password-stato">{pw.messaggio}</p>
        <p className="small text-muted">
          Provenienza {cred.della}: {pw.fonte ?? 'nessuna'} · {cred.Nome} si salva solo nel portachiavi del sistema
          (mai nel database o nei file) e non viene mai {cred.mostrata}.
        </p>
        {(
          <div className="d-flex gap-2 align-items-end flex-wrap">
            <div>
              <label htmlFor="imp-password" className="form-label small">{pw.memorizzata ? cred.nuova : cred.etichetta}</label>
              <input id="imp-password" type="password" autoComplete="off" className={`form-control ${passwordErrata ? 'is-invalid' : ''}`} data-testid="impostazioni-password"
                aria-invalid={passwordErrata || undefined} aria-describedby={passwordErrata ? 'imp-password-esito' : undefined}
                disabled={passwordBloccata} value={password} onChange={(e) => setPassword(e.target.value)} />
            </div>
            <Button color="primary" onClick={salvaPassword} disabled={occupato || !password || passwordBloccata}>Salva nel portachiavi</Button>
            {pw.memorizzata && <Button color="danger" outline onClick={cancellaPassword} disabled={occupato}>Rimuovi</Button>}
          </div>
        )}
        {(ambiente !== st.ambiente || piattaforma !== st.piattaforma) && (
          <p className="small mt-2" data-testid="impostazioni-password-prima-salva">
            Salvare prima {ambiente !== st.ambiente ? "l'ambiente" : 'la piattaforma'} per inserire {piattaforma === 'pu' ? CREDENZIALE.pu.la : CREDENZIALE.mypay.la}.
          </p>
        )}
        {msg?.dove === 'password' && <Alert id="imp-password-esito" color={msg.colore} role="status" className="mt-3 mb-0">{msg.testo}</Alert>}
      </fieldset>

      <fieldset className="border rounded p-3 mb-4">
        <legend className="h5 float-none w-auto px-2">Dati locali</legend>
        <p className="mb-1">Cartella dei dati: <code>{st.cartella_dati ?? '—'}</code></p>
        <p className="small text-muted">Database: <code>{st.database ?? '—'}</code></p>
        <div className="d-flex gap-2 flex-wrap">
          <Button color="primary" outline onClick={() => esegui('dati', () => impostazioni.apriCartellaDati())} disabled={occupato || !st.cartella_dati}>Apri cartella</Button>
          <Button color="primary" onClick={backup} disabled={occupato} data-testid="impostazioni-backup">Salva copia di sicurezza…</Button>
          <Button color="danger" outline onClick={scegliRipristino} disabled={occupato} data-testid="impostazioni-ripristina">Ripristina da una copia…</Button>
          <Button color="primary" outline onClick={mostraChiave} disabled={occupato} data-testid="impostazioni-chiave-ripristino">Mostra la chiave di ripristino</Button>
        </div>
        <p className="small text-muted mt-2 mb-0">
          L’archivio e le sue copie di sicurezza sono cifrati; la chiave è nel portachiavi del sistema. Per aprire una copia
          su un altro computer serve la chiave di ripristino: la scriva e la conservi lontano dal computer.
        </p>
        {chiaveRipristino && (
          <Alert color="info" className="mt-3 mb-0">
            <p className="mb-1">Chiave di ripristino dell’archivio:</p>
            <p className="mb-2"><code data-testid="impostazioni-chiave-testo">{chiaveRipristino}</code></p>
            <Button color="secondary" outline size="sm" onClick={() => setChiaveRipristino(null)}>Nascondi</Button>
          </Alert>
        )}
        {chiaveCopia && (
          <div className="mt-3">
            <label htmlFor="imp-chiave-copia" className="form-label small">
              Chiave di ripristino o frase segreta del computer dove la copia è stata fatta
            </label>
            <div className="d-flex gap-2">
              <input id="imp-chiave-copia" type="password" className="form-control" autoComplete="off" data-testid="impostazioni-chiave-copia"
                value={chiaveCopia.testo} onChange={(e) => setChiaveCopia({ ...chiaveCopia, testo: e.target.value })} />
              <Button color="primary" onClick={apriCopiaConChiave} disabled={occupato || chiaveCopia.testo.trim() === ''} data-testid="impostazioni-chiave-copia-apri">
                Apri la copia
              </Button>
            </div>
          </div>
        )}
        {msg?.dove === 'dati' && <Alert color={msg.colore} role="status" className="mt-3 mb-0">{msg.testo}</Alert>}
        {ripristino && (
          <Alert color="warning" className="mt-3 mb-0">
            <p className="mb-1">
              <strong>Ripristinare {ripristino.percorso.split(/[\\/]/).pop()}?</strong> Contiene: {ripristino.info.denominazione ?? 'nessun Ente'}
              {ripristino.info.codice_ipa ? ` (${ripristino.info.codice_ipa})` : ''}, {conta(ripristino.info.dovuti, 'dovuto', 'dovuti')}, {conta(ripristino.info.flussi, 'flusso', 'flussi')};
              ultima operazione: {momento(ripristino.info.ultima_operazione)}.
              {ripristino.info.livello < ripristino.info.livello_attuale && ' È di una versione precedente: sarà aggiornato all’apertura.'}
            </p>
            <p className="mb-1" data-testid="impostazioni-ripristina-flussi">
              I flussi inviati a MyPay dopo questa copia non saranno noti in locale: i dovuti che contenevano
              torneranno allo stato che avevano nella copia. Prima di inviarli di nuovo, verifichi su MyPay quanto è già
              stato caricato.
            </p>
            <p className="mb-2">Il database attuale sarà sostituito; una sua copia resta accanto con il suffisso «.prima-del-ripristino».</p>
            <div className="d-flex gap-2">
              <Button color="danger" onClick={confermaRipristino} disabled={occupato} data-testid="impostazioni-ripristina-conferma">Ripristina</Button>
              <Button color="secondary" outline onClick={() => setRipristino(null)}>Annulla</Button>
            </div>
          </Alert>
        )}
      </fieldset>

      <ConservazioneFile />
    </section>
  )
}
