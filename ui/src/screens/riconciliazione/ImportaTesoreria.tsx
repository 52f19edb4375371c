// Importing the treasury journal (giornale di cassa) three ways, as the FdR are imported:
// «Importa il giornale di cassa…» (the dialog gives a path), a file dropped on the window
// (Tauri gives paths) and `<input type="file">` or an HTML drop in the treasury's box (the
// bytes go to the back end first, `tesoreria_carica`). One journal per import.
//
// A file dropped on the window may be an FdR or a journal (an XML is either): `useSmista`
// asks the back end what each file is (`riconciliazione_riconosci`, which reads the content)
// and sends it to its import. With the format «Riconosciuto dal contenuto» the treasury's own
// picker and box route the same way, so an FdR chosen there is imported as an FdR; with a
// format chosen, the file is read as a journal in that format.
import { useCallback, useRef, useState } from 'react'
import { Button } from 'design-react-kit'
import { open } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../../api'
import {
  FORMATI_TESORERIA,
  riconciliazione,
  righeEsitoTesoreria,
  type FormatoTesoreria,
} from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'
import type { ImportaFdr } from './ImportaFdr'
import { ZonaRilascio } from './ZonaRilascio'

/** The extensions of a treasury journal (Poste's statement may come as `.txt`). */
export const ESTENSIONI_TESORERIA = ['csv', 'xls', 'xlsx', 'xml', 'txt']

export interface ImportaTesoreria {
  /** Imports a journal the window has a path for, in the format chosen (or recognised). */
  daPercorso: (percorso: string) => Promise<void>
  /** The format chosen in «Formato»: empty, recognised from the content. */
  formato: FormatoTesoreria | ''
  setFormato: (f: FormatoTesoreria | '') => void
  /** An import is running. */
  inCorso: boolean
}

export function useImportaTesoreria({ esito, ricarica, setOccupato }: SezioneProps): ImportaTesoreria {
  const [inCorso, setInCorso] = useState(false)
  const [formato, setFormato] = useState<FormatoTesoreria | ''>('')
  const daPercorso = useCallback(
    async (percorso: string) => {
      setInCorso(true)
      setOccupato(true)
      esito(null)
      try {
        const r = await riconciliazione.importaTesoreria(percorso, formato || undefined)
        esito({ livello: r.riepilogo.livello, testo: r.riepilogo.testo, dettagli: righeEsitoTesoreria(r) })
        await ricarica()
      } catch (e) {
        esito({ livello: 'errore', testo: messaggioErrore(e) })
      } finally {
        setInCorso(false)
        setOccupato(false)
      }
    },
    [esito, ricarica, setOccupato, formato],
  )
  return { daPercorso, formato, setFormato, inCorso }
}

/** Sends each file to its import by what the back end finds in it: FdR files together to
 * the FdR import, each treasury journal to the treasury import; a file that is neither stops
 * them all, named with why. */
export function useSmista(fdr: ImportaFdr, tesoreria: ImportaTesoreria, esito: SezioneProps['esito']) {
  return useCallback(
    async (percorsi: string[]) => {
      if (percorsi.length === 0) return
      try {
        const tipi = await riconciliazione.riconosci(percorsi)
        const altri = tipi.filter((t) => t.tipo === 'altro')
        if (altri.length > 0) {
          esito({ livello: 'errore', testo: 'Nessun file importato.', dettagli: altri.map((a) => a.motivo) })
          return
        }
        const flussi = tipi.filter((t) => t.tipo === 'fdr').map((t) => t.percorso)
        if (flussi.length > 0) await fdr.daPercorsi(flussi)
        for (const t of tipi.filter((t) => t.tipo === 'tesoreria')) await tesoreria.daPercorso(t.percorso)
      } catch (e) {
        esito({ livello: 'errore', testo: messaggioErrore(e) })
      }
    },
    [fdr, tesoreria, esito],
  )
}

/** A journal the treasury's picker or box gave: read in the format chosen, else routed by its
 * content (it may be an FdR). */
function useDaScelta(tesoreria: ImportaTesoreria, smista: (p: string[]) => Promise<void>) {
  return (percorso: string) => (tesoreria.formato ? tesoreria.daPercorso(percorso) : smista([percorso]))
}

/** The header's «Importa il giornale di cassa…»: the system's dialog, one file. */
export function PulsanteImportaTesoreria({
  tesoreria,
  smista,
  occupato,
  esito,
}: {
  tesoreria: ImportaTesoreria
  smista: (p: string[]) => Promise<void>
  occupato: boolean
  esito: SezioneProps['esito']
}) {
  const importa = useDaScelta(tesoreria, smista)
  const scegli = async () => {
    try {
      const p = await open({
        multiple: false,
        directory: false,
        title: 'Scegli il giornale di cassa della tesoreria',
        filters: [{ name: 'Giornale di cassa (CSV, Excel, OPI XML)', extensions: [...ESTENSIONI_TESORERIA, ...ESTENSIONI_TESORERIA.map((e) => e.toUpperCase())] }],
      })
      const percorso = typeof p === 'string' ? p : Array.isArray(p) ? p[0] : null
      if (percorso) await importa(percorso)
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    }
  }
  return (
    <Button color="primary" outline onClick={scegli} disabled={occupato} data-testid="riconciliazione-importa-tesoreria">
      {tesoreria.inCorso ? 'Importazione…' : 'Importa il giornale di cassa…'}
    </Button>
  )
}

/** The treasury section's box: the format, the page's own file chooser, an HTML drop. */
export function ZonaTesoreria({
  tesoreria,
  smista,
  occupato,
  esito,
  sopra,
}: {
  tesoreria: ImportaTesoreria
  smista: (p: string[]) => Promise<void>
  occupato: boolean
  esito: SezioneProps['esito']
  /** Files are being dragged over the window. */
  sopra: boolean
}) {
  const input = useRef<HTMLInputElement>(null)
  const importa = useDaScelta(tesoreria, smista)
  const daFile = async (files: FileList | null) => {
    const f = files?.[0]
    if (!f) return
    try {
      const { percorso } = await riconciliazione.caricaTesoreria(f)
      await importa(percorso)
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    }
  }
  return (
    <ZonaRilascio
      evidenziata={sopra}
      occupato={occupato}
      suFile={(files) => void daFile(files)}
      testid="riconciliazione-zona-tesoreria"
    >
      <p id="riconciliazione-tesoreria-aiuto" className="mb-2">
        Trascini qui il giornale di cassa della tesoreria (CSV, Excel della banca, OPI in XML, estratto conto di
        Poste), oppure lo scelga dal computer. Un giornale già importato non aggiunge nulla; una versione corretta
        sostituisce la precedente.
      </p>
      <div className="d-flex flex-wrap align-items-end gap-3">
        <div>
          <label htmlFor="riconciliazione-tesoreria-formato" className="form-label small mb-0">Formato</label>
          <select
            id="riconciliazione-tesoreria-formato"
            className="form-select form-select-sm"
            value={tesoreria.formato}
            onChange={(e) => tesoreria.setFormato(e.target.value as FormatoTesoreria | '')}
            data-testid="riconciliazione-tesoreria-formato"
          >
            {FORMATI_TESORERIA.map((f) => (
              <option key={f.codice} value={f.codice}>{f.nome}</option>
            ))}
          </select>
        </div>
        <div>
          {/* Bootstrap Italia's upload: the system's control hidden behind a label in the
              window's words (as the FdR's box). */}
          <input
            id="riconciliazione-tesoreria-file"
            ref={input}
            type="file"
            accept={ESTENSIONI_TESORERIA.map((e) => `.${e}`).join(',')}
            className="upload"
            disabled={occupato}
            aria-describedby="riconciliazione-tesoreria-aiuto"
            data-testid="riconciliazione-tesoreria-file"
            onChange={async (e) => {
              await daFile(e.target.files)
              if (input.current) input.current.value = ''
            }}
          />
          <label htmlFor="riconciliazione-tesoreria-file" className="mb-0">
            Scegli il giornale di cassa…
          </label>
        </div>
      </div>
    </ZonaRilascio>
  )
}
