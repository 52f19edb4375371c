import { useRef, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { messaggioErrore, type ErroreUi } from '../api'
import { dataIt, euro, conta, parola, senzaEtichetta } from '../format'
import type { SchermataProps } from '../navigazione'
import {
  centesimi,
  controllaCampo,
  domandaAnnulla,
  domandaDuplicato,
  erroriPerCampo,
  numeroAvvisoLeggibile,
  sportello,
  type CampoSportello,
  type DovutoSportello,
  type EsitoSportello,
  type PosizioniPagatore,
  type RigaDovuto,
} from '../comandi/sportello'
import { stampaAvviso } from '../comandi/posizioni'
import Conferma from './Conferma'
import ConnessioneMyPay from './ConnessioneMyPay'

type Campo = CampoSportello

const VUOTO: DovutoSportello = {
  codice_pagatore: '',
  anagrafica: '',
  importo: '',
  scadenza: '',
  tipo: '',
  causale: '',
  email: '',
}

const ETICHETTE: Record<Campo, string> = {
  codice_pagatore: 'Codice fiscale o partita IVA',
  anagrafica: 'Nome e cognome o ragione sociale',
  importo: 'Importo (€)',
  scadenza: 'Scadenza (gg/mm/aaaa)',
  tipo: 'Tipo dovuto',
  causale: 'Causale',
  email: 'Email (facoltativa)',
}

/** MyPay's `12.50` → the clerk's `12,50`. */
function importoIt(s: string | null): string {
  if (!s) return ''
  const n = Number(s)
  return Number.isFinite(n) ? n.toFixed(2).replace('.', ',') : s
}

/** What the result shows besides MyPay's answer: the payer and the amount as created. */
interface Creato {
  esito: EsitoSportello
  anagrafica: string
  codice_pagatore: string
  importo: string
}

/** Sportello: a debt created at the counter with its IUV and notice on the spot; changed or
 * cancelled; a citizen's open positions and payments by codice fiscale. After a creation (or a
 * change) the form is locked on the result until "Nuovo dovuto", so a second click cannot
 * create the same debt twice; an identical open debt of the same payer is asked about first;
 * cancelling on MyPay asks first, naming the payer and the amount. */
export default function Sportello({ dati, ricarica }: SchermataProps) {
  const tipi = dati.ente?.tipi_dovuto ?? []
  const [form, setForm] = useState<DovutoSportello>({ ...VUOTO, tipo: tipi.length === 1 ? tipi[0].codice : '' })
  const [toccati, setToccati] = useState<Partial<Record<Campo, boolean>>>({})
  const [erroriServer, setErroriServer] = useState<Partial<Record<Campo, string>>>({})
  const [modifica, setModifica] = useState<string | null>(null)
  const [lavoro, setLavoro] = useState<string | null>(null)
  const [creato, setCreato] = useState<Creato | null>(null)
  const risultato = creato?.esito ?? null
  const [uguali, setUguali] = useState<RigaDovuto[] | null>(null)
  const [daAnnullare, setDaAnnullare] = useState<string | null>(null)
  // One creation at a time, even with two clicks before the screen redraws.
  const inCorso = useRef(false)
  const [messaggio, setMessaggio] = useState<string | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [cf, setCf] = useState('')
  const [posizioni, setPosizioni] = useState<PosizioniPagatore | null>(null)

  const errore_ = (c: Campo): string | null =>
    erroriServer[c] ?? (toccati[c] ? controllaCampo(c, form[c] ?? '') : null)

  const cambia = (c: Campo, v: string) => {
    setForm((f) => ({ ...f, [c]: v }))
    setErroriServer((e) => ({ ...e, [c]: undefined }))
  }

  // Locked on the result of a creation or a change until "Nuovo dovuto" (or "Modifica").
  const bloccato = creato !== null && modifica === null

  const invia = async (ancheSeDuplicato = false) => {
    if (bloccato || inCorso.current) return
    // In a change only what is filled in changes; at creation the required fields are checked.
    if (!modifica) {
      const obbligatori: Campo[] = ['codice_pagatore', 'anagrafica', 'importo']
      setToccati(Object.fromEntries(obbligatori.map((c) => [c, true])))
      if (obbligatori.some((c) => controllaCampo(c, form[c] ?? ''))) return
    }
    inCorso.current = true
    setLavoro(modifica ? 'modifica' : 'crea')
    setErrore(null)
    setMessaggio(null)
    setErroriServer({})
    setUguali(null)
    try {
      if (!modifica && !ancheSeDuplicato) {
        const u = await sportello.duplicati(form)
        if (u.length) {
          setUguali(u)
          return
        }
      }
      const r = modifica ? await sportello.modifica(modifica, form) : await sportello.crea(form, ancheSeDuplicato)
      const prima = modifica && modifica === creato?.esito.iud ? creato : null
      setCreato({
        esito: r,
        anagrafica: form.anagrafica?.trim() || prima?.anagrafica || '',
        codice_pagatore: form.codice_pagatore?.trim() || prima?.codice_pagatore || '',
        importo: form.importo?.trim() || prima?.importo || '',
      })
      setMessaggio(modifica ? `Dovuto ${r.iud} modificato su MyPay.` : `Dovuto ${r.iud} creato su MyPay.`)
      setModifica(null)
      if (r.pdf) void sportello.apriAvviso(r.pdf).catch((e) => setErrore(messaggioErrore(e)))
      ricarica()
    } catch (e) {
      const err = e as ErroreUi
      if (err?.codice === 'dovuto_duplicato') {
        // Created meanwhile elsewhere: the same question, with what is there now.
        try {
          setUguali(await sportello.duplicati(form))
        } catch {
          setErrore(messaggioErrore(e))
        }
      } else if (err?.codice === 'non_valido') {
        const m = erroriPerCampo(err.messaggio)
        setErroriServer(m.campi)
        if (m.generali.length) setErrore(m.generali.join('; '))
      } else {
        setErrore(messaggioErrore(e))
      }
    } finally {
      inCorso.current = false
      setLavoro(null)
    }
  }

  // The notice drawn here (mpd-avviso), of the debt just created: a position of one.
  const stampa = async (iud: string) => {
    setLavoro('stampa')
    setErrore(null)
    try {
      const a = await stampaAvviso(iud)
      if (a) setMessaggio(`Avviso salvato in ${a.file} (${conta(a.pagine, 'pagina', 'pagine')}).`)
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const nuovo = () => {
    setCreato(null)
    setMessaggio(null)
    setModifica(null)
    setToccati({})
    setErroriServer({})
    setForm({ ...VUOTO, tipo: tipi.length === 1 ? tipi[0].codice : '' })
  }

  const annulla = async (iud: string) => {
    setDaAnnullare(null)
    setLavoro('annulla')
    setErrore(null)
    try {
      await sportello.annulla(iud)
      if (risultato?.iud === iud) nuovo()
      setMessaggio(`Dovuto ${iud} annullato su MyPay.`)
      if (posizioni) await cerca(posizioni.codice)
      ricarica()
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const cerca = async (codice = cf) => {
    setLavoro('cerca')
    setErrore(null)
    try {
      setPosizioni(await sportello.cerca(codice))
    } catch (e) {
      setErrore(messaggioErrore(e))
      setPosizioni(null)
    } finally {
      setLavoro(null)
    }
  }

  const iniziaModifica = (iud: string, valori: DovutoSportello) => {
    setModifica(iud)
    setForm({ ...VUOTO, ...valori })
    setToccati({})
    setErroriServer({})
    setMessaggio(`Modifica del dovuto ${iud}: cambi i campi e confermi. IUV e tipo dovuto restano quelli.`)
  }

  const input = (c: Campo, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => {
    const err = errore_(c)
    return (
      <div className="mb-3">
        <label htmlFor={`s-${c}`} className="form-label small mb-0">{ETICHETTE[c]}</label>
        <input
          id={`s-${c}`}
          type="text"
          name={c}
          className={`form-control ${err ? 'is-invalid' : ''}`}
          value={form[c] ?? ''}
          onChange={(e) => cambia(c, e.target.value)}
          readOnly={bloccato}
          onBlur={() => setToccati((t) => ({ ...t, [c]: true }))}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `s-${c}-err` : undefined}
          {...extra}
        />
        {err && <div id={`s-${c}-err`} className="invalid-feedback d-block">{senzaEtichetta(err, ETICHETTE[c])}</div>}
      </div>
    )
  }

  return (
    <section>
      <h1 className="h2 mb-3">Sportello</h1>
      <ConnessioneMyPay />
      {messaggio && <Alert color="info">{messaggio}</Alert>}
      {errore && <Alert color="danger">{errore}</Alert>}
      <div className="row">
        <div className="col-lg-6">
          <h2 className="h5">{modifica ? `Modifica del dovuto ${modifica}` : 'Nuovo dovuto allo sportello'}</h2>
          <form
            data-testid="sportello-form"
            onSubmit={(e) => {
              e.preventDefault()
              void invia()
            }}
            noValidate
          >
            {input('codice_pagatore', { autoComplete: 'off' })}
            {input('anagrafica')}
            <div className="row">
              <div className="col-6">{input('importo', { inputMode: 'decimal' })}</div>
              <div className="col-6">{input('scadenza', { placeholder: 'gg/mm/aaaa' })}</div>
            </div>
            <div className="mb-3">
              <label htmlFor="s-tipo" className="form-label small mb-0">{ETICHETTE.tipo}</label>
              <select id="s-tipo" name="tipo" className={`form-select ${errore_('tipo') ? 'is-invalid' : ''}`}
                aria-invalid={errore_('tipo') ? true : undefined} aria-describedby={errore_('tipo') ? 's-tipo-err' : undefined}
                value={form.tipo ?? ''} onChange={(e) => cambia('tipo', e.target.value)} disabled={!!modifica || bloccato}>
                <option value="">{tipi.length === 1 ? tipi[0].codice : 'Scegli…'}</option>
                {tipi.map((t) => (
                  <option key={t.codice} value={t.codice}>{t.descrizione ? `${t.descrizione} (${t.codice})` : t.codice}</option>
                ))}
              </select>
              {errore_('tipo') && <div id="s-tipo-err" className="invalid-feedback d-block">{errore_('tipo')}</div>}
            </div>
            {input('causale')}
            {input('email', { type: 'email' })}
            <div className="d-flex gap-2">
              {!bloccato && (
              <Button color="primary" type="submit" disabled={lavoro !== null} data-testid="sportello-crea">
                {lavoro === 'crea' || lavoro === 'modifica'
                  ? 'Invio a MyPay…'
                  : modifica
                    ? 'Conferma la modifica'
                    : 'Crea il dovuto e l’avviso'}
              </Button>
              )}
              {modifica && (
                <Button color="secondary" outline type="button"
                  onClick={() => {
                    setModifica(null)
                    setMessaggio(null)
                    if (!creato) setForm({ ...VUOTO, tipo: tipi.length === 1 ? tipi[0].codice : '' })
                  }}>
                  Non modificare
                </Button>
              )}
            </div>
          </form>

          {risultato && (
            <div className="border rounded p-3 mt-3" data-testid="sportello-risultato">
              <p className="small text-muted" data-testid="sportello-bloccato">
                Il modulo resta su questo dovuto: per crearne un altro prema «Nuovo dovuto».
              </p>
              <dl className="row mb-2">
                <dt className="col-5">Pagatore</dt>
                <dd className="col-7" data-testid="sportello-pagatore">
                  {creato?.anagrafica}{creato?.codice_pagatore ? ` (${creato.codice_pagatore.toUpperCase()})` : ''}
                </dd>
                <dt className="col-5">Importo</dt>
                <dd className="col-7" data-testid="sportello-importo">
                  {centesimi(creato?.importo) !== null ? euro(centesimi(creato?.importo)!) : creato?.importo}
                </dd>
                <dt className="col-5">IUD</dt><dd className="col-7">{risultato.iud}</dd>
                <dt className="col-5">IUV</dt><dd className="col-7 font-monospace" data-testid="sportello-iuv">{risultato.iuv ?? '—'}</dd>
                <dt className="col-5">Numero avviso</dt>
                <dd className="col-7 font-monospace">{numeroAvvisoLeggibile(risultato.numero_avviso) || '—'}</dd>
              </dl>
              <div className="d-flex gap-2 flex-wrap">
                {risultato.pdf ? (
                  <Button color="primary" outline size="sm" data-testid="sportello-avviso" data-pdf={risultato.pdf}
                    onClick={() => sportello.apriAvviso(risultato.pdf!).catch((e) => setErrore(messaggioErrore(e)))}>
                    Apri l’avviso PDF
                  </Button>
                ) : (
                  <span className="small text-muted" data-testid="sportello-avviso">
                    {risultato.url_avviso ? `Avviso disponibile su MyPay: ${risultato.url_avviso}` : 'MyPay non ha prodotto l’avviso.'}
                  </span>
                )}
                <Button color="primary" outline size="sm" disabled={lavoro !== null} data-testid="sportello-stampa-avviso"
                  title="L’avviso pagoPA di MyPay Desk, con il logo e i dati dell’Ente"
                  onClick={() => void stampa(risultato.iud)}>
                  {lavoro === 'stampa' ? 'Stampa in corso…' : 'Stampa l’avviso pagoPA…'}
                </Button>
                <Button color="secondary" outline size="sm" disabled={lavoro !== null}
                  onClick={() => iniziaModifica(risultato.iud, { ...form, tipo: form.tipo })}>
                  Modifica
                </Button>
                <Button color="danger" outline size="sm" disabled={lavoro !== null} onClick={() => setDaAnnullare(risultato.iud)}
                  data-testid="sportello-annulla">
                  Annulla il dovuto
                </Button>
                <Button color="primary" outline size="sm" disabled={lavoro !== null} data-testid="sportello-nuovo"
                  onClick={nuovo}>
                  Nuovo dovuto
                </Button>
              </div>
            </div>
          )}
          {uguali && uguali.length > 0 && (
            <Conferma testid="sportello-duplicato" domanda={domandaDuplicato(uguali)} si="Crea comunque" no="Annulla"
              onSi={() => {
                setUguali(null)
                void invia(true)
              }}
              onNo={() => setUguali(null)} />
          )}
          {daAnnullare && (
            <Conferma testid="sportello-conferma-annulla" pericolo
              domanda={domandaAnnulla(creato?.anagrafica, creato?.importo)}
              si="Sì, annulla su MyPay" no="No"
              onSi={() => void annulla(daAnnullare)} onNo={() => setDaAnnullare(null)} />
          )}
        </div>

        <div className="col-lg-6">
          <h2 className="h5">Posizioni di un cittadino</h2>
          <form className="d-flex gap-2 mb-3" onSubmit={(e) => { e.preventDefault(); void cerca() }}>
            <label htmlFor="s-cerca-cf" className="visually-hidden">Codice fiscale o partita IVA</label>
            <input type="text" id="s-cerca-cf" className="form-control" placeholder="Codice fiscale o partita IVA" value={cf}
              onChange={(e) => setCf(e.target.value)} data-testid="sportello-cerca-cf" autoComplete="off" />
            <Button color="primary" type="submit" disabled={lavoro !== null || !cf.trim()} data-testid="sportello-cerca">
              {lavoro === 'cerca' ? 'Ricerca…' : 'Cerca'}
            </Button>
          </form>
          {posizioni && (
            <div data-testid="sportello-posizioni">
              <h3 className="h6">Da pagare su MyPay ({posizioni.aperte.length})</h3>
              {posizioni.aperte.length === 0 ? (
                <p className="small">Nessuna posizione aperta.</p>
              ) : (
                <table className="table table-sm">
                  <thead><tr><th>Causale</th><th>IUV</th><th className="num">Importo</th><th>Scadenza</th><th /></tr></thead>
                  <tbody>
                    {posizioni.aperte.map((p, i) => (
                      <tr key={p.iud ?? p.iuv ?? i} data-testid="sportello-posizione" data-iud={p.iud ?? ''}>
                        <td className="small">{p.causale}{p.cod_ipa !== dati.ente?.ente.codice_ipa && <div className="text-muted">{p.ente}</div>}</td>
                        <td className="small font-monospace">{p.iuv}</td>
                        <td className="num">{p.importo ? `${importoIt(p.importo)} €` : ''}</td>
                        <td>{dataIt(p.scadenza)}</td>
                        <td>
                          {p.iud && p.cod_ipa === dati.ente?.ente.codice_ipa && (
                            <button type="button" className="btn btn-link btn-sm p-0" disabled={lavoro !== null}
                              onClick={() => iniziaModifica(p.iud!, {
                                codice_pagatore: posizioni.codice,
                                importo: importoIt(p.importo),
                                scadenza: dataIt(p.scadenza),
                                causale: p.causale ?? '',
                                tipo: p.tipo_dovuto ?? '',
                              })}>
                              Modifica
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3 className="h6 mt-3">Pagati su MyPay, non ancora scaricati ({posizioni.pagamenti_mypay.pagamenti.length})</h3>
              <p className="small text-muted">
                Chiesto ora a MyPay per {conta(posizioni.pagamenti_mypay.controllati, 'dovuto caricato', 'dovuti caricati')} e non ancora {parola(posizioni.pagamenti_mypay.controllati, 'pagato', 'pagati')} qui
                {posizioni.pagamenti_mypay.non_controllati > 0 && ` (altri ${posizioni.pagamenti_mypay.non_controllati} non controllati)`}
                ; le ricevute arrivano con «Scarica ricevute».
              </p>
              {posizioni.pagamenti_mypay.errori.length > 0 && (
                <Alert color="warning" className="small">{posizioni.pagamenti_mypay.errori.join('; ')}</Alert>
              )}
              {posizioni.pagamenti_mypay.pagamenti.length > 0 && (
                <table className="table table-sm" data-testid="sportello-pagati-mypay">
                  <thead><tr><th>Data</th><th>IUV</th><th className="num">Importo</th><th>IUD</th></tr></thead>
                  <tbody>
                    {posizioni.pagamenti_mypay.pagamenti.map((p) => (
                      <tr key={p.iuv}>
                        <td>{dataIt(p.data_esito)}</td>
                        <td className="small font-monospace">{p.iuv}</td>
                        <td className="num">{p.importo ? `${importoIt(p.importo)} €` : ''}</td>
                        <td className="small">{p.iud}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h3 className="h6 mt-3">Pagamenti ricevuti ({posizioni.pagamenti.length})</h3>
              <p className="small text-muted">Dalle ricevute scaricate finora.</p>
              {posizioni.pagamenti.length > 0 && (
                <table className="table table-sm">
                  <thead><tr><th>Data</th><th>IUV</th><th className="num">Importo</th><th>PSP</th></tr></thead>
                  <tbody>
                    {posizioni.pagamenti.map((p) => (
                      <tr key={`${p.iuv}-${p.data_esito}`}>
                        <td>{dataIt(p.data_esito)}</td>
                        <td className="small font-monospace">{p.iuv}</td>
                        <td className="num">{euro(p.importo_cents)}</td>
                        <td className="small">{p.psp}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  )
}
