// The reconciliation's files for others: the workbook for the finance office
// (`riconciliazione_esporta`: Riepilogo, Pagamenti, Anomalie with «Cosa fare», Proposte di
// reversale) and MyPivot's export, tracciato 1.4, for offices that still load it there
// (`riconciliazione_esporta_mypivot`), with its two options explained.
import { useState } from 'react'
import { Button } from 'design-react-kit'
import { messaggioErrore } from '../../api'
import { contabilita } from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'
import { chiediPercorso, oggiIso } from './salva'

export function Esportazioni({ esito, occupato, setOccupato }: SezioneProps) {
  const [conNotifiche, setConNotifiche] = useState(true)
  const [finestra, setFinestra] = useState(false)

  const esporta = async (chiedi: () => Promise<string | null>, scrivi: (p: string) => ReturnType<typeof contabilita.esporta>) => {
    try {
      const percorso = await chiedi()
      if (!percorso) return
      setOccupato(true)
      esito(null)
      const r = await scrivi(percorso)
      esito({ livello: 'successo', testo: r.testo })
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    } finally {
      setOccupato(false)
    }
  }
  const cartella = () =>
    esporta(
      () => chiediPercorso('Esporta la riconciliazione in Excel', `riconciliazione-${oggiIso()}`, 'xlsx', 'Cartella di lavoro Excel'),
      (p) => contabilita.esporta(p),
    )
  const mypivot = () =>
    esporta(
      () => chiediPercorso('Esporta la riconciliazione per MyPivot', `mypivot-${oggiIso()}`, 'zip', 'Archivio ZIP'),
      (p) => contabilita.esportaMyPivot(p, conNotifiche, finestra),
    )

  return (
    <section aria-labelledby="ric-esporta-titolo" className="mb-4">
      <h2 id="ric-esporta-titolo" className="h4">Esportazioni</h2>
      <div className="row g-4">
        <div className="col-lg-6">
          <p className="small mb-2">
            Un file Excel per la ragioneria: il riepilogo degli incassi, ogni pagamento con lo stato e il motivo, le
            anomalie con che cosa fare per ciascuna, le proposte di reversale.
          </p>
          <Button color="primary" outline size="sm" onClick={cartella} disabled={occupato} data-testid="riconciliazione-esporta">
            Esporta la riconciliazione…
          </Button>
        </div>
        <div className="col-lg-6">
          <p className="small mb-2">
            Per gli uffici che caricano ancora la riconciliazione in MyPivot: un file ZIP con il tracciato 1.4.
          </p>
          <div className="form-check mb-1">
            <input id="ric-mypivot-notifiche" type="checkbox" className="form-check-input" checked={conNotifiche}
              onChange={(e) => setConNotifiche(e.target.checked)} aria-describedby="ric-mypivot-notifiche-aiuto"
              data-testid="riconciliazione-mypivot-notifiche" />
            <label htmlFor="ric-mypivot-notifiche" className="form-check-label">Con i dovuti dell’Ente</label>
            <div id="ric-mypivot-notifiche-aiuto" className="form-text">
              141 colonne, con i dati dei dovuti pagati; senza, le 120 colonne dei soli pagamenti.
            </div>
          </div>
          <div className="form-check mb-2">
            <input id="ric-mypivot-finestra" type="checkbox" className="form-check-input" checked={finestra}
              onChange={(e) => setFinestra(e.target.checked)} aria-describedby="ric-mypivot-finestra-aiuto"
              data-testid="riconciliazione-mypivot-finestra" />
            <label htmlFor="ric-mypivot-finestra" className="form-check-label">Solo dall’inizio dell’anno scorso</label>
            <div id="ric-mypivot-finestra-aiuto" className="form-text">
              Come fanno alcune installazioni di MyPivot: lascia fuori i dati arrivati prima del 1° gennaio dell’anno
              scorso.
            </div>
          </div>
          <Button color="primary" outline size="sm" onClick={mypivot} disabled={occupato} data-testid="riconciliazione-esporta-mypivot">
            Esporta per MyPivot…
          </Button>
        </div>
      </div>
    </section>
  )
}
