import { useCallback, useEffect, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { api, messaggioErrore, type ErroreUi, type Panoramica } from './api'
import { CODICI_SBLOCCO } from './comandi/archivio'
import SbloccoArchivio from './screens/SbloccoArchivio'
import Home from './screens/Home'
import Dovuti from './screens/Dovuti'
import Importa from './screens/Importa'
import Flussi from './screens/Flussi'
import Ricevute from './screens/Ricevute'
import Riconciliazione from './screens/Riconciliazione'
import Rapporto from './screens/Rapporto'
import Sportello from './screens/Sportello'
import Avvisi from './screens/Avvisi'
import Ente from './screens/Ente'
import Contributo from './screens/Contributo'
import Impostazioni from './screens/Impostazioni'
import PrimoAvvio from './screens/PrimoAvvio'
import Aiuto from './screens/Aiuto'
import { NavigazioneContext, type Naviga, type ParametriNavigazione, type SchermataProps } from './navigazione'

export const SEZIONI = [
  { id: 'home', nome: 'Home' },
  { id: 'dovuti', nome: 'Dovuti' },
  { id: 'importa', nome: 'Importa' },
  { id: 'flussi', nome: 'Flussi' },
  { id: 'ricevute', nome: 'Ricevute' },
  { id: 'riconciliazione', nome: 'Riconciliazione' },
  { id: 'rapporto', nome: 'Resoconto' },
  { id: 'sportello', nome: 'Sportello' },
  { id: 'avvisi', nome: 'Avvisi' },
  { id: 'ente', nome: 'Ente e adesione' },
  { id: 'contributo', nome: 'Contributo' },
  { id: 'impostazioni', nome: 'Impostazioni' },
] as const
type Sezione = (typeof SEZIONI)[number]['id']

/** The screen of each section (Home and Dovuti take their own props). */
const SCHERMATE: Record<Exclude<Sezione, 'home' | 'dovuti'>, (p: SchermataProps) => React.JSX.Element> = {
  importa: Importa,
  flussi: Flussi,
  ricevute: Ricevute,
  riconciliazione: Riconciliazione,
  rapporto: Rapporto,
  sportello: Sportello,
  avvisi: Avvisi,
  ente: Ente,
  contributo: Contributo,
  impostazioni: Impostazioni,
}

/** The id of the main content: the target of the "Salta al contenuto" link (every screen's
 * `<main>` carries it, the first-start wizard's too). */
export const ID_CONTENUTO = 'contenuto'

/** "Salta al contenuto": focus moves to the main content, so the next Tab is inside it (the
 * window does not route on the URL's #fragment, so the link moves focus itself). */
export function saltaAlContenuto(e: React.MouseEvent) {
  e.preventDefault()
  const main = document.getElementById(ID_CONTENUTO)
  main?.focus()
  main?.scrollIntoView?.({ block: 'start' })
}

export default function App() {
  const [dati, setDati] = useState<Panoramica | null>(null)
  const [errore, setErrore] = useState<string | null>(null)
  // The archive's key is missing (no keyring, another computer's archive): ask for it.
  const [sblocco, setSblocco] = useState<ErroreUi | null>(null)
  const [sezione, setSezione] = useState<Sezione>('home')
  const [parametri, setParametri] = useState<ParametriNavigazione | undefined>(undefined)
  const naviga: Naviga = useCallback((s, p) => {
    setSezione(s)
    setParametri(p)
  }, [])
  const [occupato, setOccupato] = useState(false)
  const [configura, setConfigura] = useState(false)

  const ricarica = useCallback(() => {
    api
      .panoramica()
      .then((p) => {
        setDati(p)
        setErrore(null)
        setSblocco(null)
      })
      .catch((e) => {
        const codice = (e as ErroreUi | null)?.codice
        if (codice !== undefined && (CODICI_SBLOCCO as readonly string[]).includes(codice)) {
          setSblocco(e as ErroreUi)
          setErrore(null)
        } else {
          setErrore(messaggioErrore(e))
        }
      })
  }, [])
  // The first call opens the local database (the binary test waits for the file).
  useEffect(ricarica, [ricarica])

  const demo = async () => {
    setOccupato(true)
    try {
      await api.avviaDemo()
      ricarica()
    } catch (e) {
      setErrore(messaggioErrore(e))
    } finally {
      setOccupato(false)
    }
  }

  const ente = dati?.ente?.ente
  return (
    <>
      {/* Bootstrap Italia's skip link (design-react-kit's Skiplink drops its children unless it
          is a nav): hidden until it has focus. */}
      <div className="skiplinks">
        <a className="visually-hidden-focusable" href={`#${ID_CONTENUTO}`} onClick={saltaAlContenuto} data-testid="salta-al-contenuto">
          Salta al contenuto
        </a>
      </div>
      <header className="mpd-header" role="banner">
        <span className="titolo">MyPay Desk</span>
        <span className="ente">{ente ? `${ente.denominazione} (${ente.codice_ipa})` : 'Nessun Ente configurato'}</span>
        {dati?.demo && (
          <span className="mpd-demo" title="Dati dimostrativi: nessun dato reale viene inviato a MyPay">
            DEMO
          </span>
        )}
        <Aiuto sezione={dati && !dati.ente ? 'primo-avvio' : sezione} />
      </header>
      {errore && (
        <Alert color="danger" className="m-3">
          {errore}
        </Alert>
      )}
      {!dati && sblocco && (
        <SbloccoArchivio
          messaggio={sblocco.messaggio}
          senzaPortachiavi={sblocco.codice === 'portachiavi_archivio'}
          onAperto={ricarica}
        />
      )}
      {!dati && !errore && !sblocco && <p className="m-4">Caricamento…</p>}
      {dati && !dati.ente && configura && (
        <PrimoAvvio onFatto={() => { setConfigura(false); ricarica() }} onAnnulla={() => setConfigura(false)} />
      )}
      {dati && !dati.ente && !configura && (
        <main id={ID_CONTENUTO} tabIndex={-1} className="container my-5" style={{ maxWidth: 760 }}>
          <h1>Benvenuto in MyPay Desk</h1>
          <p className="lead">
            Prepari i dovuti del suo Ente, li invii a MyPay e scarichi le ricevute. Come vuole iniziare?
          </p>
          <div className="d-flex gap-3 mt-4">
            <Button color="primary" size="lg" onClick={demo} disabled={occupato} data-testid="primo-demo">
              {occupato ? 'Preparazione dei dati…' : 'Prova con dati dimostrativi'}
            </Button>
            <Button color="primary" outline size="lg" data-testid="primo-configura" onClick={() => { setErrore(null); setConfigura(true) }}>
              Configura l’Ente
            </Button>
          </div>
          <p className="mt-4 small text-muted">
            I dati dimostrativi usano un Ente di prova (Comune Dimostrativo) e alcune centinaia di dovuti
            inventati; sono marcati DEMO in ogni schermata.
          </p>
        </main>
      )}
      {dati && dati.ente && (
        <div className="mpd-layout">
          <nav className="mpd-nav" aria-label="Sezioni">
            <ul className="nav flex-column mt-3">
              {SEZIONI.map((s) => (
                <li className="nav-item" key={s.id}>
                  <a
                    className={`nav-link ${sezione === s.id ? 'active' : ''}`}
                    aria-current={sezione === s.id ? 'page' : undefined}
                    href={`#${s.id}`}
                    data-testid={`nav-${s.id}`}
                    onClick={(e) => {
                      e.preventDefault()
                      naviga(s.id)
                    }}
                  >
                    {s.nome}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id={ID_CONTENUTO} tabIndex={-1} className="mpd-main">
            <NavigazioneContext.Provider value={naviga}>
              {sezione === 'home' && <Home dati={dati} />}
              {sezione === 'dovuti' && <Dovuti key={parametri?.iud ?? parametri?.stato ?? ''} tipi={dati.ente.tipi_dovuto} parametri={parametri} />}
              {sezione !== 'home' && sezione !== 'dovuti' && (() => {
                const Schermata = SCHERMATE[sezione]
                return <Schermata key={`${sezione}${parametri?.inAttesa ? '-in-attesa' : ''}`} dati={dati} ricarica={ricarica} parametri={parametri} />
              })()}
            </NavigazioneContext.Provider>
          </main>
        </div>
      )}
      {dati && (
        <footer className="small text-muted px-3 py-2 border-top">
          MyPay Desk {dati.versione}
        </footer>
      )}
    </>
  )
}
