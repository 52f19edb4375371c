import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { useVirtualizer } from '@tanstack/react-virtual'
import { save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import { dataIt, euro, conta, numero, parola } from '../format'
import type { SchermataProps } from '../navigazione'
import { useNaviga } from '../navigazione'
import { AVANZAMENTO_INIZIALE, aggiorna, concludi, type StatoAvanzamento } from '../comandi/avanzamento'
import { Distintivo } from './Distintivo'
import { PannelloLaterale } from './PannelloLaterale'
import {
  ABBINAMENTI,
  decodificaRt,
  indentaXml,
  ricevute,
  testoRiepilogo,
  type Abbinamento,
  type RicevutaDettaglio,
  type RicevutaRiga,
} from '../comandi/ricevute'
import ConnessioneMyPay from './ConnessioneMyPay'
import { BarraAvanzamento } from './BarraAvanzamento'

const ALTEZZA_RIGA = 40
/** Columns of the receipts list: IUV, date, payer (the widest), amount, match. The list has the
 * whole width (the detail opens in a side panel) and a long value wraps, its row growing (each
 * row is measured): no text is cut at 1024 px (issue 13, item 15). */
const GRIGLIA: React.CSSProperties = {
  gridTemplateColumns: 'minmax(9rem, 1.3fr) 6rem minmax(10rem, 2fr) 7rem minmax(8rem, 1fr)',
}

/** Ricevute: one button downloads what MyPay collected since last time, with a progress bar;
 * the receipts with their match to the debts, the RT of each, export to Excel. */
export default function Ricevute({ dati, ricarica }: SchermataProps) {
  const naviga = useNaviga()
  const [elenco, setElenco] = useState<RicevutaRiga[]>([])
  const [filtro, setFiltro] = useState<Abbinamento | ''>('')
  const [scelta, setScelta] = useState<RicevutaRiga | null>(null)
  const [dettaglio, setDettaglio] = useState<RicevutaDettaglio | null>(null)
  const [lavoro, setLavoro] = useState<'scarica' | 'simula' | 'esporta' | null>(null)
  const [av, setAv] = useState<StatoAvanzamento>(AVANZAMENTO_INIZIALE)
  const [esito, setEsito] = useState<string | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  const [avviato, setAvviato] = useState(false)

  const carica = useCallback(async () => {
    try {
      setElenco(await ricevute.elenco(filtro || undefined))
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }, [filtro])
  useEffect(() => {
    void carica()
  }, [carica])

  useEffect(() => {
    if (!scelta) return setDettaglio(null)
    let vivo = true
    ricevute
      .dettaglio(scelta.id)
      .then((d) => vivo && setDettaglio(d))
      .catch((e) => vivo && setErrore(messaggioErrore(e)))
    return () => {
      vivo = false
    }
  }, [scelta])

  const scarica = async () => {
    setLavoro('scarica')
    setAvviato(true)
    setErrore(null)
    setEsito(null)
    setAv({ ...AVANZAMENTO_INIZIALE, attivo: true, testo: 'Connessione a MyPay…' })
    try {
      const r = await ricevute.scarica((e) => setAv((s) => aggiorna(s, e)))
      setEsito(testoRiepilogo(r))
      setAv((s) => ({ ...s, percentuale: r.annullato ? s.percentuale : 100 }))
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
      setAv(concludi)
      await carica()
      ricarica()
    }
  }

  const simula = async () => {
    setLavoro('simula')
    setErrore(null)
    try {
      const r = await ricevute.simulaPagamenti()
      setEsito(
        `L'emulatore ha pagato ${conta(r.pagati, 'dovuto', 'dovuti')} su ${numero(r.aperti)} ${parola(r.aperti, 'aperto', 'aperti')}. Prema «Scarica ricevute» per riceverne le ricevute.`,
      )
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const esporta = async () => {
    const oggi = new Date().toISOString().slice(0, 10)
    const percorso = await save({
      title: 'Esporta le ricevute in Excel',
      defaultPath: `ricevute-${oggi}.xlsx`,
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
    })
    if (!percorso) return
    setLavoro('esporta')
    setErrore(null)
    try {
      const n = await ricevute.esporta(percorso.endsWith('.xlsx') ? percorso : `${percorso}.xlsx`)
      setEsito(`${parola(n, 'Esportata', 'Esportate')} ${conta(n, 'ricevuta', 'ricevute')} in ${percorso}.`)
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setLavoro(null)
    }
  }

  const conteggi = useMemo(() => {
    const c: Record<string, number> = {}
    for (const r of elenco) c[r.esito] = (c[r.esito] ?? 0) + 1
    return c
  }, [elenco])

  const contenitore = useRef<HTMLDivElement>(null)
  const virt = useVirtualizer({
    count: elenco.length,
    getScrollElement: () => contenitore.current,
    estimateSize: () => ALTEZZA_RIGA,
    overscan: 12,
    // jsdom and the first paint have no layout: show a first screenful anyway.
    initialRect: { width: 800, height: 600 },
  })
  const rt = useMemo(() => indentaXml(decodificaRt(dettaglio?.rt_base64)), [dettaglio])

  return (
    <section>
      <h1 className="h2 mb-3">Ricevute</h1>
      <ConnessioneMyPay />
      <div className="d-flex gap-2 flex-wrap mb-3 align-items-center">
        <Button color="primary" onClick={scarica} disabled={lavoro !== null} data-testid="ricevute-scarica">
          {lavoro === 'scarica' ? 'Scaricamento…' : 'Scarica ricevute'}
        </Button>
        {lavoro === 'scarica' && (
          <Button color="danger" outline onClick={() => void ricevute.annulla()} data-testid="ricevute-annulla">
            Annulla
          </Button>
        )}
        <Button color="primary" outline onClick={esporta} disabled={lavoro !== null || elenco.length === 0} data-testid="ricevute-esporta">
          Esporta in Excel
        </Button>
        {dati.demo && (
          <Button color="warning" outline onClick={simula} disabled={lavoro !== null} data-testid="demo-simula-pagamenti"
            title="Solo dati dimostrativi: l'emulatore di MyPay paga una parte dei dovuti aperti">
            {lavoro === 'simula' ? 'Pagamenti in corso…' : 'Simula pagamenti (DEMO)'}
          </Button>
        )}
      </div>

      {avviato && (
        <div className="mb-3" data-testid="ricevute-progresso" data-attivo={av.attivo ? 'si' : 'no'} aria-live="polite">
          <BarraAvanzamento
            percentuale={av.percentuale}
            attivo={av.attivo}
            etichetta="Avanzamento dello scaricamento"
            altezza={12}
          />
          <div className="small mt-1">{av.testo}</div>
        </div>
      )}
      {esito && <Alert color="info">{esito}</Alert>}
      {errore && <Alert color="danger">{errore}</Alert>}

      <div className="d-flex gap-3 align-items-end mb-2 flex-wrap">
        <div>
          <label htmlFor="r-abbinamento" className="form-label small mb-0">Abbinamento</label>
          <select id="r-abbinamento" className="form-select form-select-sm" value={filtro}
            onChange={(e) => setFiltro(e.target.value as Abbinamento | '')}>
            <option value="">Tutte</option>
            {Object.entries(ABBINAMENTI).map(([k, v]) => (
              <option key={k} value={k}>{v.etichetta}</option>
            ))}
          </select>
        </div>
        <div className="small text-muted">
          {conta(elenco.length, 'ricevuta', 'ricevute')}
          {Object.entries(conteggi).map(([k, n]) => ` · ${ABBINAMENTI[k as Abbinamento]?.etichetta ?? k}: ${n}`)}
        </div>
      </div>

      <div className="row">
        <div className="col-12">
          {elenco.length === 0 ? (
            <p>Nessuna ricevuta. Prema «Scarica ricevute».</p>
          ) : (
            <div className="mpd-virt" ref={contenitore} role="table" aria-label="Ricevute" aria-rowcount={elenco.length}>
              <div className="mpd-vrow mpd-vhead" style={GRIGLIA} role="row">
                <span role="columnheader">IUV</span>
                <span role="columnheader">Data</span>
                <span role="columnheader">Pagatore</span>
                <span role="columnheader" className="num">Importo</span>
                <span role="columnheader">Abbinamento</span>
              </div>
              <div style={{ height: virt.getTotalSize(), position: 'relative' }}>
                {virt.getVirtualItems().map((v) => {
                  const r = elenco[v.index]
                  const a = ABBINAMENTI[r.esito]
                  return (
                    <div
                      key={r.id}
                      role="row"
                      aria-rowindex={v.index + 2}
                      tabIndex={0}
                      ref={virt.measureElement}
                      data-index={v.index}
                      data-testid="ricevuta-riga"
                      data-iuv={r.iuv}
                      data-esito={r.esito}
                      className={`mpd-vrow mpd-vriga ${scelta?.id === r.id ? 'mpd-vriga-aperta' : ''}`}
                      title="Invio o clic: apre la ricevuta"
                      style={{ ...GRIGLIA, position: 'absolute', top: 0, left: 0, right: 0, minHeight: ALTEZZA_RIGA, transform: `translateY(${v.start}px)`, cursor: 'pointer' }}
                      onClick={() => setScelta(r)}
                      onKeyDown={(e) => {
                        // Enter or Space opens the receipt (issue 13, item 16).
                        if ((e.key === 'Enter' || e.key === ' ') && e.target === e.currentTarget) {
                          e.preventDefault()
                          setScelta(r)
                        }
                      }}
                    >
                      <span role="cell" className="font-monospace small">{r.iuv}</span>
                      <span role="cell">{dataIt(r.data_esito)}</span>
                      <span role="cell">
                        <span className="d-block">{r.pagatore}</span>
                        <span className="d-block small font-monospace">{r.codice_pagatore}</span>
                      </span>
                      <span role="cell" className="num">{euro(r.importo_cents)}</span>
                      <span role="cell"><Distintivo colore={a?.colore}>{a?.etichetta ?? r.etichetta}</Distintivo></span>
                    </div>
                  )
                })}
              </div>
            </div>
          )}
        </div>
        {scelta && (
          <PannelloLaterale etichetta={`Ricevuta ${scelta.iuv}`} chiudi={() => setScelta(null)}
            ritorno={() => [...document.querySelectorAll<HTMLElement>('[data-testid="ricevuta-riga"]')].find((x) => x.dataset.iuv === scelta.iuv)}>
            <div data-testid="ricevuta-dettaglio">
              <div className="d-flex justify-content-between align-items-start gap-3">
                <h2 className="h5 text-break">Ricevuta <span className="font-monospace">{scelta.iuv}</span></h2>
                <button type="button" className="btn btn-outline-secondary btn-sm" onClick={() => setScelta(null)}>Chiudi</button>
              </div>
              <dl className="row mb-2 mpd-dettaglio">
                <dt className="col-sm-4">IUV</dt><dd className="col-sm-8 font-monospace text-break">{scelta.iuv}</dd>
                <dt className="col-sm-4">IUR</dt><dd className="col-sm-8 text-break">{scelta.iur}</dd>
                <dt className="col-sm-4">Importo</dt><dd className="col-sm-8">{euro(scelta.importo_cents)}</dd>
                <dt className="col-sm-4">Data pagamento</dt><dd className="col-sm-8">{dataIt(scelta.data_esito)}</dd>
                <dt className="col-sm-4">PSP</dt><dd className="col-sm-8 text-break">{scelta.psp}{dettaglio?.psp_id ? ` (${dettaglio.psp_id})` : ''}</dd>
                <dt className="col-sm-4">Pagatore</dt><dd className="col-sm-8 text-break">{scelta.pagatore} · <span className="font-monospace">{scelta.codice_pagatore}</span></dd>
                {dettaglio?.causale && (<><dt className="col-sm-4">Causale</dt><dd className="col-sm-8 text-break">{dettaglio.causale}</dd></>)}
                {dettaglio?.tipo_dovuto && (<><dt className="col-sm-4">Tipo dovuto</dt><dd className="col-sm-8 text-break">{dettaglio.tipo_dovuto}</dd></>)}
                <dt className="col-sm-4">Abbinamento</dt><dd className="col-sm-8">{scelta.etichetta}</dd>
                <dt className="col-sm-4">Dovuto</dt>
                <dd className="col-sm-8">
                  {scelta.dovuto_iud ? (
                    <button type="button" className="btn btn-link btn-sm p-0" onClick={() => naviga('dovuti', { iud: scelta.dovuto_iud! })}>
                      {scelta.dovuto_iud}
                    </button>
                  ) : (
                    'nessuno in locale'
                  )}
                </dd>
              </dl>
              <h3 className="h6">Ricevuta telematica (RT)</h3>
              {rt ? (
                <pre className="small bg-light p-2 border" style={{ maxHeight: 320, overflow: 'auto', whiteSpace: 'pre' }} data-testid="ricevuta-rt"
                  tabIndex={0} role="region" aria-label="Ricevuta telematica (XML): si scorre con le frecce">
                  {rt}
                </pre>
              ) : (
                <p className="small text-muted">MyPay non ha inviato la RT per questa ricevuta.</p>
              )}
            </div>
          </PannelloLaterale>
        )}
      </div>
    </section>
  )
}
