// «Scarica i flussi da MyPay» (issue 16 item 6): the header's button downloads the FdR MyPay
// acquired since the last complete day (`fdr_scarica`); the panel under it shows the progress
// (days completed, flows stored), «Annulla» (`fdr_annulla`: it stops at the next flow, what was
// stored stays) and, behind «Scegli i giorni», the download of days the clerk chooses. With no
// password or address set up, the button explains where to set them instead of failing. The
// outcome goes to the screen's live area, then the screen reloads its lists.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore, type ErroreUi } from '../../api'
import { riconciliazione } from '../../comandi/riconciliazione'
import { impostazioni } from '../../comandi/impostazioni'
import {
  CODICI_IMPOSTAZIONI,
  SUGGERIMENTI_SCARICO,
  aggiornaScarico,
  connessioneMancante,
  controllaGiorni,
  esitoScarico,
  giorniTra,
  inizia,
  maiuscola,
  percentualeScarico,
  testoScarico,
  type AvanzamentoScarico,
  type GiorniScelti,
} from '../../comandi/scaricamentoFdr'
import { useNaviga, type SezioneId } from '../../navigazione'
import { BarraAvanzamento } from '../BarraAvanzamento'
import type { SezioneProps } from './comune'

/** Where a settings problem is fixed, as the button names it. */
const NOMI_SEZIONI: Partial<Record<SezioneId, string>> = {
  impostazioni: 'Impostazioni',
  ente: 'Ente e adesione',
}

export interface ScaricaFdr {
  /** Downloads since the last complete day, or the days given (`YYYY-MM-DD`). */
  avvia: (giorni?: { dal: string; al: string }) => Promise<void>
  annulla: () => void
  /** Null before the first download of this visit. */
  av: AvanzamentoScarico | null
  /** The last download ended without being stopped. */
  completo: boolean
  inCorso: boolean
  /** The screen where the last problem is fixed (no password, no address…). */
  vaiA: SezioneId | null
  /** The «Annulla» button, focused when the download starts. */
  refAnnulla: RefObject<HTMLButtonElement | null>
}

/** The download shared by the header's button and the panel under the header. */
export function useScaricaFdr({ esito, ricarica, occupato, setOccupato }: SezioneProps): ScaricaFdr {
  const [av, setAv] = useState<AvanzamentoScarico | null>(null)
  const [completo, setCompleto] = useState(false)
  const [inCorso, setInCorso] = useState(false)
  const [vaiA, setVaiA] = useState<SezioneId | null>(null)
  const refAnnulla = useRef<HTMLButtonElement | null>(null)
  /** What had the focus when the download started: it gets it back at the end. */
  const ritorno = useRef<HTMLElement | null>(null)

  const avvia = useCallback(
    async (giorni?: { dal: string; al: string }) => {
      if (occupato) return
      ritorno.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
      setOccupato(true)
      setInCorso(true)
      setVaiA(null)
      esito(null)
      let avviato = false
      try {
        // A connection that is not set up is explained, not tried. When the settings cannot be
        // read, the download itself says what is wrong.
        const manca = await impostazioni.stato().then(connessioneMancante, () => null)
        if (manca) {
          esito({ livello: 'avviso', testo: manca.testo })
          setVaiA(manca.sezione)
          return
        }
        avviato = true
        setCompleto(false)
        setAv(inizia(giorni ? giorniTra(giorni.dal, giorni.al) : null))
        const r = await riconciliazione.scaricaFdr((e) => setAv((s) => (s ? aggiornaScarico(s, e) : s)), giorni?.dal, giorni?.al)
        esito(esitoScarico(r, giorni !== undefined))
        setCompleto(!r.annullato)
        // The outcome's figures are the final ones (the events may have been coalesced).
        setAv((s) => (s ? { ...s, giorni: r.giorni, flussi: r.nuovi + r.sostituiti } : s))
      } catch (e) {
        esito({ livello: 'errore', testo: maiuscola(messaggioErrore(e, SUGGERIMENTI_SCARICO)) })
        const codice = (e as Partial<ErroreUi> | null)?.codice
        setVaiA((codice && CODICI_IMPOSTAZIONI[codice]) || null)
      } finally {
        setAv((s) => (s ? { ...s, attivo: false, annullando: false } : s))
        setInCorso(false)
        setOccupato(false)
        if (avviato) await ricarica()
      }
    },
    [occupato, setOccupato, esito, ricarica],
  )

  const annulla = useCallback(() => {
    setAv((s) => (s ? { ...s, annullando: true, ultimo: 'Interruzione al prossimo flusso…' } : s))
    riconciliazione.annullaScaricamentoFdr().catch((e) => esito({ livello: 'errore', testo: maiuscola(messaggioErrore(e)) }))
  }, [esito])

  // Keyboard and screen-reader users land on «Annulla» while it runs, and back where they
  // were (the header's button, «Scarica questi giorni») when it ends.
  const attivo = av?.attivo ?? false
  const eraAttivo = useRef(false)
  useEffect(() => {
    if (attivo && !eraAttivo.current) refAnnulla.current?.focus()
    if (!attivo && eraAttivo.current) {
      const perso = !document.activeElement || document.activeElement === document.body
      if (perso) ritorno.current?.focus()
    }
    eraAttivo.current = attivo
  }, [attivo])

  return { avvia, annulla, av, completo, inCorso, vaiA, refAnnulla }
}

/** The header's primary action. */
export function PulsanteScaricaFdr({ scarica, occupato }: { scarica: ScaricaFdr; occupato: boolean }) {
  return (
    <Button color="primary" onClick={() => void scarica.avvia()} disabled={occupato} data-testid="riconciliazione-scarica-pulsante">
      {scarica.inCorso ? 'Scaricamento…' : 'Scarica i flussi da MyPay'}
    </Button>
  )
}

/** Under the header: the progress with «Annulla», the way to the settings when they are
 * missing, and «Scegli i giorni». */
export function PannelloScaricaFdr({ scarica, occupato }: { scarica: ScaricaFdr; occupato: boolean }) {
  const naviga = useNaviga()
  const { av, vaiA } = scarica
  return (
    <div className="mb-3" data-testid="riconciliazione-scarica">
      {av && (
        <div className="mb-2" data-testid="riconciliazione-scarica-progresso" data-attivo={av.attivo ? 'si' : 'no'}>
          <BarraAvanzamento
            percentuale={scarica.completo ? 100 : percentualeScarico(av)}
            attivo={av.attivo}
            etichetta="Avanzamento dello scaricamento dei flussi da MyPay"
            altezza={12}
          />
          <div className="d-flex flex-wrap align-items-center column-gap-3 row-gap-1 mt-1">
            <span className="fw-semibold" aria-live="polite" data-testid="riconciliazione-scarica-conteggi">
              {testoScarico(av)}
            </span>
            {av.attivo && (
              <span className="small text-muted text-break" data-testid="riconciliazione-scarica-ultimo">
                {av.ultimo}
              </span>
            )}
            {av.attivo && (
              <Button
                color="danger"
                outline
                size="sm"
                className="ms-auto"
                innerRef={scarica.refAnnulla}
                disabled={av.annullando}
                onClick={scarica.annulla}
                aria-describedby="riconciliazione-scarica-annulla-aiuto"
                data-testid="riconciliazione-scarica-annulla"
              >
                {av.annullando ? 'Interruzione…' : 'Annulla'}
              </Button>
            )}
          </div>
          {av.attivo && (
            <p id="riconciliazione-scarica-annulla-aiuto" className="small text-muted mb-0">
              «Annulla» ferma lo scaricamento al prossimo flusso: i flussi e i giorni già completati restano salvati.
            </p>
          )}
        </div>
      )}
      {vaiA && (
        <Button color="primary" outline size="sm" className="mb-2" onClick={() => naviga(vaiA)} data-testid="riconciliazione-scarica-vai">
          Apri {NOMI_SEZIONI[vaiA] ?? vaiA}
        </Button>
      )}
      <GiorniDaScaricare scarica={scarica} occupato={occupato} />
    </div>
  )
}

/** Today, `YYYY-MM-DD`, on the computer's calendar. */
function oggiIso(): string {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** «Scegli i giorni»: the acquisition days from … to …, checked before anything is asked. */
function GiorniDaScaricare({ scarica, occupato }: { scarica: ScaricaFdr; occupato: boolean }) {
  const [dal, setDal] = useState('')
  const [al, setAl] = useState('')
  const [errori, setErrori] = useState<GiorniScelti['errori']>({})
  // Closed, nothing of it is in the page (a hidden field would still be read as cut text).
  const [aperto, setAperto] = useState(false)
  const refDal = useRef<HTMLInputElement>(null)
  const refAl = useRef<HTMLInputElement>(null)
  // A download started (from here or from the header): an old complaint no longer applies.
  useEffect(() => {
    if (scarica.inCorso) setErrori({})
  }, [scarica.inCorso])

  const invia = (e: React.FormEvent) => {
    e.preventDefault()
    const g = controllaGiorni(dal, al, oggiIso())
    setErrori(g.errori)
    if (g.errori.dal) return refDal.current?.focus()
    if (g.errori.al) return refAl.current?.focus()
    if (g.dal && g.al) void scarica.avvia({ dal: g.dal, al: g.al })
  }

  const campo = (
    id: 'dal' | 'al',
    etichetta: string,
    valore: string,
    cambia: (v: string) => void,
    ref: RefObject<HTMLInputElement | null>,
  ) => {
    const errore = errori[id]
    return (
      <div>
        <label htmlFor={`riconciliazione-giorni-${id}`} className="form-label small mb-0">
          {etichetta}
        </label>
        <input
          id={`riconciliazione-giorni-${id}`}
          ref={ref}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder="gg/mm/aaaa"
          className={`form-control form-control-sm${errore ? ' is-invalid' : ''}`}
          style={{ maxWidth: '9rem' }}
          value={valore}
          onChange={(e) => {
            cambia(e.target.value)
            if (errore) setErrori((x) => ({ ...x, [id]: undefined }))
          }}
          aria-invalid={errore ? true : undefined}
          aria-describedby={errore ? `riconciliazione-giorni-${id}-errore` : 'riconciliazione-giorni-aiuto'}
          data-testid={`riconciliazione-giorni-${id}`}
        />
      </div>
    )
  }

  return (
    <details className="mb-2" data-testid="riconciliazione-giorni" open={aperto} onToggle={(e) => setAperto(e.currentTarget.open)}>
      <summary>Scegli i giorni</summary>
      {aperto && (
        <form className="mt-2" noValidate onSubmit={invia} aria-label="Giorni da scaricare">
          <p id="riconciliazione-giorni-aiuto" className="small text-muted mb-2">
            I giorni in cui MyPay ha ricevuto i flussi dai PSP, di solito uno o due giorni lavorativi dopo il pagamento:
            per flussi più vecchi o per controllare di nuovo dei giorni. I flussi già salvati non si scaricano di nuovo.
          </p>
          <div className="d-flex flex-wrap align-items-end gap-3">
            {campo('dal', 'Dal', dal, setDal, refDal)}
            {campo('al', 'Al', al, setAl, refAl)}
            <Button type="submit" color="primary" outline size="sm" disabled={occupato} data-testid="riconciliazione-giorni-scarica">
              Scarica questi giorni
            </Button>
          </div>
          {(['dal', 'al'] as const).map(
            (id) =>
              errori[id] && (
                <div key={id} id={`riconciliazione-giorni-${id}-errore`} className="invalid-feedback d-block" data-testid={`riconciliazione-giorni-${id}-errore`}>
                  {id === 'dal' ? 'Dal' : 'Al'}: {errori[id]}
                </div>
              ),
          )}
        </form>
      )}
    </details>
  )
}
