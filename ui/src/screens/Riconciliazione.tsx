// Riconciliazione (issue 16): the PSPs' flussi di rendicontazione against the receipts. The
// header downloads the FdR from MyPay and imports FdR files and the treasury journal (also
// dropped on the window); below, the payments by state (chart and table), the anomalies and
// the other payments with their reason, the FdR with their quadratura and the detail of one,
// the treasury entries, the reversal proposals, the exports and the matching's rules.
//
// The screen is a frame: it loads the data once (`carica`), shows every action's outcome in
// one live area, and hands each section the same `SezioneProps` (riconciliazione/comune.ts).
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
import { riconciliazione, totaliPerStato, type FiltroPagamenti } from '../comandi/riconciliazione'
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
  const [erroreCarica, setErroreCarica] = useState<string | null>(null)
  const [esito, setEsito] = useState<Esito | null>(null)
  const [occupato, setOccupato] = useState(false)
  const [filtro, setFiltro] = useState<FiltroPagamenti | null>(null)
  const [pagina, setPagina] = useState(0)
  const titoloElenco = useRef<HTMLHeadingElement>(null)

  const carica = useCallback(async () => {
    try {
      const [pagamenti, fdr] = await Promise.all([riconciliazione.pagamenti(), riconciliazione.elencoFdr()])
      setDati({ pagamenti, fdr })
      setErroreCarica(null)
    } catch (e) {
      setErroreCarica(messaggioErrore(e))
    }
  }, [])
  useEffect(() => {
    void carica()
  }, [carica])

  const sezione: SezioneProps = { dati, ricarica: carica, esito: setEsito, occupato, setOccupato }
  // A file dropped on the window goes to its import by its content (`smista`, below).
  const importa = useImportaFdr(sezione, (percorsi) => smista(percorsi))
  const tesoreria = useImportaTesoreria(sezione)
  const smista = useSmista(importa, tesoreria, setEsito)
  const scarica = useScaricaFdr(sezione)
  const totali = useMemo(() => totaliPerStato(dati?.pagamenti ?? []), [dati])
  const anomalie = dati?.pagamenti.some((p) => p.anomalia) ?? false
  // Until the clerk picks: the anomalies when there are some, else every payment.
  const filtroInUso: FiltroPagamenti = filtro ?? (anomalie ? 'anomalie' : 'tutti')

  /** A state picked in the totals: the list shows it, and the focus goes there. */
  const filtraDaTotali = (f: FiltroPagamenti) => {
    setFiltro(f)
    setPagina(0)
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
      {dati && (
        <>
          {dati.pagamenti.length === 0 ? (
            <p data-testid="riconciliazione-vuoto">
              Nessun pagamento da riconciliare: le ricevute si scaricano nella schermata «Ricevute», i flussi di
              rendicontazione si scaricano da MyPay o si importano qui.
            </p>
          ) : (
            <>
              <TotaliStato totali={totali} filtra={filtraDaTotali} />
              <ElencoPagamenti
                ref={titoloElenco}
                pagamenti={dati.pagamenti}
                filtro={filtroInUso}
                setFiltro={setFiltro}
                pagina={pagina}
                setPagina={setPagina}
              />
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
