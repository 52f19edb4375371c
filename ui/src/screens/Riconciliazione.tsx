// Riconciliazione (issue 16): the PSPs' flussi di rendicontazione against the receipts. The
// header downloads the FdR from MyPay and imports FdR files and the treasury journal (also
// dropped on the window); below, the payments by state (chart and table), the anomalies and
// the other payments with their reason, the FdR with their quadratura and the detail of one,
// the treasury entries, the reversal proposals, the exports and the matching's rules.
//
// The screen is a frame: it loads the data once (`carica`), shows every action's outcome in
// one live area, and hands each section the same `SezioneProps` (riconciliazione/comune.ts).
// The payments come a page at a time with the totals of all (`riconciliazione_elenco`): a
// filter or a page picked asks for that page only.
// «Scarica i flussi da MyPay» (`fdr_scarica`) is the header's primary action; its progress,
// «Annulla» and «Scegli i giorni» sit under the live area (riconciliazione/ScaricaFdr.tsx).
// The treasury (riconciliazione/ImportaTesoreria.tsx and the sections after the FdR):
// «Importa il giornale di cassa…» is an action in AZIONI; a file dropped on the window goes
// to the FdR or the treasury import by its content (`useSmista`); «Movimenti di tesoreria»,
// «Proposte di reversale» (with the collected amounts by chapter), «Esportazioni» and
// «Giorni della tesoreria» load their own data whenever the screen's is loaded again.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { Alert } from 'design-react-kit'
import { messaggioErrore } from '../api'
import type { SchermataProps } from '../navigazione'
import { coloreLivello } from '../comandi/flussi'
import { riconciliazione, totaliPerStato, type ElencoPagamenti as Elenco, type FiltroPagamenti } from '../comandi/riconciliazione'
import type { DatiRiconciliazione, Esito, SezioneProps } from './riconciliazione/comune'
import { PulsanteImportaFdr, ZonaFdr, useImportaFdr } from './riconciliazione/ImportaFdr'
import { PannelloScaricaFdr, PulsanteScaricaFdr, useScaricaFdr } from './riconciliazione/ScaricaFdr'
import { TotaliStato } from './riconciliazione/TotaliStato'
import { ElencoPagamenti } from './riconciliazione/ElencoPagamenti'
import { ElencoFdr } from './riconciliazione/ElencoFdr'
import { RegoleAbbinamento } from './riconciliazione/RegoleAbbinamento'
import { PulsanteImportaTesoreria, ZonaTesoreria, useImportaTesoreria, useSmista } from './riconciliazione/ImportaTesoreria'
import { MovimentiTesoreria } from './riconciliazione/MovimentiTesoreria'
import { ProposteReversale } from './riconciliazione/ProposteReversale'
import { Esportazioni } from './riconciliazione/Esportazioni'
import { GiorniTesoreria } from './riconciliazione/GiorniTesoreria'

export default function Riconciliazione(_: SchermataProps) {
  const [dati, setDati] = useState<DatiRiconciliazione | null>(null)
  // The page of payments shown: the last one asked for (a filter or a page picked), or the
  // screen's load.
  const [elenco, setElenco] = useState<Elenco | null>(null)
  const [erroreCarica, setErroreCarica] = useState<string | null>(null)
  const [esito, setEsito] = useState<Esito | null>(null)
  const [occupato, setOccupato] = useState(false)
  // The list's filter and page: no filter until the clerk picks one (the back end then shows
  // the anomalies when there are some, else every payment). Kept across reloads.
  const scelta = useRef<{ filtro: FiltroPagamenti | null; pagina: number }>({ filtro: null, pagina: 0 })
  // The filter picked shows in the list's select at once; the page under it is marked busy
  // until its answer comes (a second or so for a million payments).
  const [filtroScelto, setFiltroScelto] = useState<FiltroPagamenti | null>(null)
  const [inAttesa, setInAttesa] = useState(false)
  // Answers to an older request are dropped: the list shows the last one asked.
  const richiesta = useRef(0)
  const titoloElenco = useRef<HTMLHeadingElement>(null)

  const carica = useCallback(async () => {
    const n = ++richiesta.current
    try {
      const { filtro, pagina } = scelta.current
      const [e, fdr] = await Promise.all([riconciliazione.elenco(filtro, pagina), riconciliazione.elencoFdr()])
      setDati({ fdr })
      if (n === richiesta.current) setElenco(e)
      setErroreCarica(null)
    } catch (e) {
      setErroreCarica(messaggioErrore(e))
    } finally {
      if (n === richiesta.current) setInAttesa(false)
    }
  }, [])
  useEffect(() => {
    void carica()
  }, [carica])

  /** A filter or a page picked in the list: that page only. */
  const mostra = useCallback(async (filtro: FiltroPagamenti, pagina: number) => {
    scelta.current = { filtro, pagina }
    setFiltroScelto(filtro)
    setInAttesa(true)
    const n = ++richiesta.current
    try {
      const e = await riconciliazione.elenco(filtro, pagina)
      if (n === richiesta.current) setElenco(e)
    } catch (e) {
      setErroreCarica(messaggioErrore(e))
    } finally {
      if (n === richiesta.current) setInAttesa(false)
    }
  }, [])

  const sezione: SezioneProps = { dati, ricarica: carica, esito: setEsito, occupato, setOccupato }
  // A file dropped on the window goes to its import by its content (`smista`, below).
  const importa = useImportaFdr(sezione, (percorsi) => smista(percorsi))
  const tesoreria = useImportaTesoreria(sezione)
  const smista = useSmista(importa, tesoreria, setEsito)
  const scarica = useScaricaFdr(sezione)
  const totali = useMemo(() => totaliPerStato(elenco?.totali ?? []), [elenco])
  const nessunPagamento = totali.every((t) => t.numero === 0)

  /** A state picked in the totals: the list shows it, and the focus goes there. */
  const filtraDaTotali = (f: FiltroPagamenti) => {
    void mostra(f, 0)
    requestAnimationFrame(() => {
      titoloElenco.current?.focus()
      titoloElenco.current?.scrollIntoView?.({ block: 'start' })
    })
  }

  // The header's actions.
  const AZIONI = [
    <PulsanteScaricaFdr key="scarica" scarica={scarica} occupato={occupato} />,
    <PulsanteImportaFdr key="importa" importa={importa} occupato={occupato} esito={setEsito} />,
    <PulsanteImportaTesoreria key="tesoreria" tesoreria={tesoreria} smista={smista} occupato={occupato} esito={setEsito} />,
  ]

  return (
    <section className={importa.sopra ? 'mpd-sopra' : undefined}>
      <div className="d-flex flex-wrap justify-content-between align-items-center gap-2 mb-2">
        <h1 className="h2 mb-0">Riconciliazione</h1>
        <div className="d-flex flex-wrap gap-2">{AZIONI}</div>
      </div>
      <p className="text-muted">
        Le ricevute confrontate con i flussi di rendicontazione dei PSP e con il giornale di cassa: per ogni pagamento lo
        stato e, se qualcosa non torna, il motivo; per ogni flusso la quadratura; per ogni provvisorio la proposta di
        reversale.
      </p>
      <div aria-live="polite" data-testid="riconciliazione-esito">
        {esito && (
          <Alert color={coloreLivello(esito.livello)}>
            <div>{esito.testo}</div>
            {esito.dettagli && esito.dettagli.length > 0 && (
              <ul className="small mb-0 mt-1">
                {esito.dettagli.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            )}
          </Alert>
        )}
      </div>
      <PannelloScaricaFdr scarica={scarica} occupato={occupato} />
      {erroreCarica && (
        <Alert color="danger" data-testid="riconciliazione-errore">
          {erroreCarica}
        </Alert>
      )}
      {!dati && !erroreCarica && <p>Caricamento…</p>}
      {dati && elenco && (
        <>
          {nessunPagamento ? (
            <p data-testid="riconciliazione-vuoto">
              Nessun pagamento da riconciliare: le ricevute si scaricano nella schermata «Ricevute», i flussi di
              rendicontazione si scaricano da MyPay o si importano qui.
            </p>
          ) : (
            <>
              <TotaliStato totali={totali} filtra={filtraDaTotali} />
              <ElencoPagamenti ref={titoloElenco} elenco={elenco} filtro={filtroScelto ?? (elenco.filtro as FiltroPagamenti)} inAttesa={inAttesa} mostra={mostra} />
            </>
          )}
          <ElencoFdr fdr={dati.fdr} zona={<ZonaFdr importa={importa} occupato={occupato} />} />
          <MovimentiTesoreria
            dati={dati}
            zona={<ZonaTesoreria tesoreria={tesoreria} smista={smista} occupato={occupato} esito={setEsito} sopra={importa.sopra} />}
          />
          <ProposteReversale {...sezione} />
          <Esportazioni {...sezione} />
          <RegoleAbbinamento {...sezione} />
          <GiorniTesoreria {...sezione} />
        </>
      )}
    </section>
  )
}
