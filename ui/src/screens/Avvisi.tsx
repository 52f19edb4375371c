import { useEffect, useRef, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { open } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import { conta, numero } from '../format'
import type { SchermataProps } from '../navigazione'
import {
  avvisi,
  campagnaDa,
  percentualeAvvisi,
  type AvanzamentoAvvisi,
  type EsitoAvvisi,
  type MotivoEsclusione,
  type PianoAvvisi,
} from '../comandi/avvisi'
import { AnteprimaAvviso } from './AnteprimaAvviso'
import { BarraAvanzamento } from './BarraAvanzamento'

/** Each reason a position gets no notice, agreeing with one or many, and what to do. */
const MOTIVI: Record<MotivoEsclusione, { uno: string; molti: string; cosa?: string }> = {
  gia_pagata: { uno: 'già pagata', molti: 'già pagate' },
  annullata: { uno: 'annullata', molti: 'annullate' },
  senza_iuv: {
    uno: 'in attesa dello IUV da MyPay',
    molti: 'in attesa dello IUV da MyPay',
    cosa: 'Invii i dovuti da Flussi e attenda l’esito: poi gli avvisi si possono stampare.',
  },
  dati_mancanti: {
    uno: 'con dati mancanti o non validi',
    molti: 'con dati mancanti o non validi',
    cosa: 'Corregga il dovuto in Dovuti (per esempio l’indirizzo del pagatore) e verifichi di nuovo.',
  },
}

/** Positions listed under each reason; the manifest and the plan of the command have them all. */
const MAX_ELENCO = 100

/** Avvisi: the pagoPA notices of a campaign (a payment type and a year), one PDF per
 * household, the print files for the post and the manifest for the mail merge. */
export default function Avvisi({ dati }: SchermataProps) {
  const tipi = dati.ente?.tipi_dovuto ?? []
  const [tipo, setTipo] = useState(tipi.length === 1 ? tipi[0].codice : '')
  const [anno, setAnno] = useState('')
  const [perFile, setPerFile] = useState('2000')
  const [modello, setModello] = useState('')
  const [cartella, setCartella] = useState('')
  const [piano, setPiano] = useState<PianoAvvisi | null>(null)
  const [calcolo, setCalcolo] = useState(false)
  const [erroreCampagna, setErroreCampagna] = useState<string | null>(null)
  const [av, setAv] = useState<AvanzamentoAvvisi | null>(null)
  const [inCorso, setInCorso] = useState(false)
  const [esito, setEsito] = useState<EsitoAvvisi | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [annullato, setAnnullato] = useState<string | null>(null)
  const richiesta = useRef(0)
  /** The outcome (or the error) of a run, brought into view when it arrives. */
  const fine = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (esito || errore || annullato) fine.current?.scrollIntoView?.({ block: 'nearest' })
  }, [esito, errore, annullato])

  const campagna = campagnaDa(tipo, anno)
  const nPerFile = /^\d+$/.test(perFile.trim()) ? Number(perFile.trim()) : null
  const chiave = typeof campagna === 'string' ? campagna : JSON.stringify([campagna, nPerFile])

  // The plan follows the campaign chosen (the latest answer wins).
  useEffect(() => {
    if (typeof campagna === 'string') {
      setErroreCampagna(campagna)
      setPiano(null)
      return
    }
    const n = ++richiesta.current
    setCalcolo(true)
    const t = setTimeout(() => {
      avvisi
        .prepara(campagna, nPerFile)
        .then((p) => {
          if (n !== richiesta.current) return
          setPiano(p)
          setErroreCampagna(null)
        })
        .catch((e) => {
          if (n !== richiesta.current) return
          setPiano(null)
          setErroreCampagna(messaggioErrore(e))
        })
        .finally(() => {
          if (n === richiesta.current) setCalcolo(false)
        })
    }, 250)
    return () => clearTimeout(t)
    // `chiave` stands for the campaign and the notices per file.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chiave])

  const scegliCartella = async () => {
    const scelta = await open({ directory: true, title: 'Cartella in cui salvare gli avvisi' })
    if (typeof scelta === 'string') setCartella(scelta)
  }

  const genera = async () => {
    if (typeof campagna === 'string') return
    setInCorso(true)
    setErrore(null)
    setAnnullato(null)
    setEsito(null)
    setAv(null)
    try {
      const e = await avvisi.genera(
        campagna,
        { cartella: cartella.trim(), modello_nome: modello.trim() || null, per_file: nPerFile },
        setAv,
      )
      setEsito(e)
    } catch (e) {
      // Cancelled by the clerk: said as news, not as a failure.
      if ((e as { codice?: string } | null)?.codice === 'annullato') setAnnullato(messaggioErrore(e))
      else setErrore(messaggioErrore(e))
    } finally {
      setInCorso(false)
    }
  }

  const apri = async () => {
    if (!esito) return
    try {
      await avvisi.apriCartella(esito.cartella)
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }

  const puoGenerare = !inCorso && !calcolo && !!piano && piano.avvisi > 0 && cartella.trim() !== '' && nPerFile !== null && nPerFile > 0
  return (
    <section>
      <h1 className="h2 mb-2">Avvisi di pagamento</h1>
      <p className="text-muted">
        Stampi gli avvisi pagoPA di una campagna, per esempio la TARI di un anno: un PDF per famiglia, i file
        di stampa per la posta (ordinati per CAP e indirizzo, ogni avviso su una pagina dispari per la stampa
        fronte-retro) e il manifesto in Excel e CSV per la spedizione.
      </p>

      <div className="d-flex flex-wrap align-items-end gap-3 mb-3">
        <div>
          <label htmlFor="avvisi-tipo" className="form-label small mb-0">Tipo dovuto</label>
          <select id="avvisi-tipo" className="form-select form-select-sm" value={tipo} data-testid="avvisi-tipo"
            onChange={(e) => setTipo(e.target.value)}>
            <option value="">Tutti</option>
            {tipi.map((t) => (
              <option key={t.codice} value={t.codice}>
                {t.descrizione ? `${t.descrizione} (${t.codice})` : t.codice}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="avvisi-anno" className="form-label small mb-0">Anno della prima scadenza</label>
          <input id="avvisi-anno" type="text" inputMode="numeric" placeholder="tutti"
            className={`form-control form-control-sm${typeof campagna === 'string' ? ' is-invalid' : ''}`}
            style={{ maxWidth: '8rem' }} value={anno} data-testid="avvisi-anno"
            aria-describedby={typeof campagna === 'string' ? 'avvisi-anno-errore' : undefined}
            onChange={(e) => setAnno(e.target.value)} />
        </div>
      </div>
      {typeof campagna === 'string' && (
        <div id="avvisi-anno-errore" className="text-danger small mb-2">{campagna}</div>
      )}
      {typeof campagna !== 'string' && erroreCampagna && <Alert color="danger">{erroreCampagna}</Alert>}

      <div aria-live="polite" aria-busy={calcolo} data-testid="avvisi-piano" data-pronto={piano && !calcolo ? 'si' : 'no'}>
        {piano && (
          <div className="mb-3">
            <p className="lead mb-1" data-testid="avvisi-conteggio">
              {piano.avvisi === 0
                ? 'Nessun avviso da stampare per questa campagna.'
                : `${conta(piano.avvisi, 'avviso da stampare', 'avvisi da stampare')}, con ${conta(piano.opzioni, 'codice di pagamento', 'codici di pagamento')}.`}
            </p>
            {piano.avvisi > 0 && (
              <p className="small text-muted mb-2">
                {conta(piano.file_stampa.length, 'file di stampa', 'file di stampa')} (al massimo {numero(piano.per_file)} avvisi
                ciascuno) e il manifesto: {[...piano.file_stampa.slice(0, 3), ...piano.manifesto].join(', ')}
                {piano.file_stampa.length > 3 ? '…' : ''}
              </p>
            )}
            {piano.gruppi_esclusi.length > 0 && (
              <div data-testid="avvisi-esclusi">
                <h2 className="h5 mt-3">Senza avviso</h2>
                {piano.gruppi_esclusi.map((g) => {
                  const m = MOTIVI[g.motivo]
                  const elenco = piano.esclusi.filter((e) => e.motivo === g.motivo)
                  return (
                    <details key={g.motivo} className="mb-2" data-testid={`avvisi-esclusi-${g.motivo}`}>
                      <summary>
                        {conta(g.quante, 'posizione', 'posizioni')} {g.quante === 1 ? m.uno : m.molti}
                      </summary>
                      {m.cosa && <p className="small mb-1">{m.cosa}</p>}
                      <ul className="small mb-1">
                        {elenco.slice(0, MAX_ELENCO).map((e) => (
                          <li key={e.posizione}>
                            {e.nominativo || e.codice_fiscale} ({e.posizione}): {e.messaggio}
                          </li>
                        ))}
                      </ul>
                      {elenco.length > MAX_ELENCO && (
                        <p className="small text-muted">e altre {numero(elenco.length - MAX_ELENCO)}.</p>
                      )}
                    </details>
                  )
                })}
              </div>
            )}
          </div>
        )}
      </div>

      {piano?.prima_posizione && <AnteprimaAvviso codice={piano.prima_posizione} />}

      <h2 className="h5 mt-4">Dove salvarli</h2>
      <div className="d-flex flex-wrap align-items-end gap-2 mb-2">
        <div className="flex-grow-1" style={{ minWidth: '18rem' }}>
          <label htmlFor="avvisi-cartella" className="form-label small mb-0">Cartella</label>
          <input id="avvisi-cartella" type="text" className="form-control form-control-sm" value={cartella}
            data-testid="avvisi-cartella" placeholder="Scelga una cartella" onChange={(e) => setCartella(e.target.value)} />
        </div>
        <Button color="primary" outline size="sm" onClick={() => void scegliCartella()} disabled={inCorso}
          data-testid="avvisi-scegli-cartella">
          Scegli la cartella…
        </Button>
      </div>
      <details className="mb-3">
        <summary>Opzioni dei file</summary>
        <div className="d-flex flex-wrap gap-3 mt-2">
          <div>
            <label htmlFor="avvisi-per-file" className="form-label small mb-0">Avvisi per file di stampa</label>
            <input id="avvisi-per-file" type="text" inputMode="numeric" className={`form-control form-control-sm${nPerFile === null || nPerFile < 1 ? ' is-invalid' : ''}`}
              style={{ maxWidth: '8rem' }} value={perFile} onChange={(e) => setPerFile(e.target.value)} />
          </div>
          <div className="flex-grow-1" style={{ minWidth: '16rem' }}>
            <label htmlFor="avvisi-nome" className="form-label small mb-0">Nome del PDF di ogni famiglia</label>
            <input id="avvisi-nome" type="text" className="form-control form-control-sm" value={modello}
              placeholder="{cf}_{codice}.pdf" aria-describedby="avvisi-nome-aiuto" onChange={(e) => setModello(e.target.value)} />
            <div id="avvisi-nome-aiuto" className="small text-muted">
              {'{cf}'} il codice fiscale, {'{codice}'} il primo codice avviso, {'{posizione}'} il codice della posizione.
            </div>
          </div>
        </div>
      </details>

      <div className="d-flex gap-2 mb-3">
        <Button color="primary" onClick={() => void genera()} disabled={!puoGenerare} data-testid="avvisi-genera">
          {inCorso ? 'Generazione in corso…' : 'Genera gli avvisi'}
        </Button>
        {inCorso && (
          <Button color="danger" outline onClick={() => void avvisi.annulla()} data-testid="avvisi-annulla">
            Annulla
          </Button>
        )}
      </div>
      {(inCorso || av) && !esito && !errore && !annullato && (
        <div className="mb-3" data-testid="avvisi-progresso" aria-live="polite">
          <BarraAvanzamento percentuale={percentualeAvvisi(av)} attivo={inCorso} etichetta="Avanzamento della generazione degli avvisi" altezza={12} />
          <div className="small mt-1">
            {av ? `${numero(av.fatti)} di ${conta(av.totale, 'avviso', 'avvisi')}` : 'Preparazione…'}
          </div>
        </div>
      )}
      <div ref={fine}>
      {/* The outcome shows at once (no fade-in): read right away by screen readers and by
          the contrast check, which measured a half-faded button as 2:1. */}
      {errore && <Alert color="danger" fade={false}>{errore}</Alert>}
      {annullato && <Alert color="info" fade={false} data-testid="avvisi-annullato">{annullato}</Alert>}
      {esito && (
        <div data-testid="avvisi-esito">
        <Alert color="success" fade={false}>
          <p className="mb-2">
            {conta(esito.avvisi, 'avviso salvato', 'avvisi salvati')} in {esito.cartella}:{' '}
            {conta(esito.file_stampa.length, 'file di stampa', 'file di stampa')} (
            {conta(esito.file_stampa.reduce((s, f) => s + f.pagine, 0), 'pagina', 'pagine')}) e il manifesto{' '}
            {esito.manifesto_xlsx}.
          </p>
          <Button color="primary" size="sm" onClick={() => void apri()} data-testid="avvisi-apri-cartella">
            Apri la cartella
          </Button>
        </Alert>
        </div>
      )}
      </div>
    </section>
  )
}
