// Importing FdR XML files three ways: «Importa flussi…» (the dialog gives paths), files dropped
// on the window (Tauri gives paths) and `<input type="file">` or an HTML drop in the page (the
// bytes go to the back end first, `fdr_carica`). Every way ends in one `fdr_importa` of all
// the files: all of them, or none if one is wrong.
import { useCallback, useEffect, useRef, useState } from 'react'
import { Button } from 'design-react-kit'
import { open } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../../api'
import { messaggioNonXml, riconciliazione, soloXml, type EsitoImportazioneFdr } from '../../comandi/riconciliazione'
import type { SezioneProps } from './comune'
import { ZonaRilascio } from './ZonaRilascio'

/** What each file of an import became, in words. */
function righeEsito(e: EsitoImportazioneFdr): string[] {
  const come = {
    nuovo: 'importato',
    gia_presente: 'già presente, non aggiunto',
    sostituito: 'nuova versione, sostituisce la precedente',
    superato: 'versione più vecchia di quella presente, ignorato',
  } as const
  return e.flussi.map((f) => `${f.file}: flusso ${f.iuf}, ${come[f.esito]}`)
}

export interface ImportaFdr {
  /** Imports files the window has paths for (dialog, drop on the window). */
  daPercorsi: (percorsi: string[]) => Promise<void>
  /** Imports files picked in the page (`<input type="file">`, an HTML drop). */
  daFile: (files: FileList | File[] | null) => Promise<void>
  /** Files are being dragged over the window. */
  sopra: boolean
  /** An import is running. */
  inCorso: boolean
}

/** The FdR import shared by the header's button and the drop zone; it also listens for files
 * dropped anywhere on the window while the screen is open.
 *
 * The treasury journal is dropped on the same window: `instrada`, when given, receives the
 * dropped paths instead (the screen's `useSmista` tells an FdR from a journal by the content:
 * an OPI journal is XML too). */
export function useImportaFdr(
  { esito, ricarica, occupato, setOccupato }: SezioneProps,
  instrada?: (percorsi: string[]) => Promise<void>,
): ImportaFdr {
  const [sopra, setSopra] = useState(false)
  const [inCorso, setInCorso] = useState(false)

  const importa = useCallback(
    async (prepara: () => Promise<string[] | null>) => {
      setInCorso(true)
      setOccupato(true)
      esito(null)
      try {
        const percorsi = await prepara()
        if (!percorsi) return
        const r = await riconciliazione.importaFdr(percorsi)
        esito({ livello: r.riepilogo.livello, testo: r.riepilogo.testo, dettagli: righeEsito(r) })
        await ricarica()
      } catch (e) {
        esito({ livello: 'errore', testo: messaggioErrore(e) })
      } finally {
        setInCorso(false)
        setOccupato(false)
      }
    },
    [esito, ricarica, setOccupato],
  )

  const daPercorsi = useCallback(
    (percorsi: string[]) =>
      importa(async () => {
        const { xml, altri } = soloXml(percorsi)
        if (altri.length > 0) {
          esito({ livello: 'errore', testo: messaggioNonXml(altri) })
          return null
        }
        return xml
      }),
    [importa, esito],
  )

  const daFile = useCallback(
    (files: FileList | File[] | null) =>
      importa(async () => {
        const scelti = [...(files ?? [])]
        if (scelti.length === 0) return null
        const { altri } = soloXml(scelti.map((f) => f.name))
        if (altri.length > 0) {
          esito({ livello: 'errore', testo: messaggioNonXml(altri) })
          return null
        }
        const percorsi: string[] = []
        for (const f of scelti) percorsi.push((await riconciliazione.caricaFdr(f)).percorso)
        return percorsi
      }),
    [importa, esito],
  )

  // Files dropped on the window: Tauri gives their paths (not while another action runs).
  const occupatoRef = useRef(occupato)
  occupatoRef.current = occupato
  const instradaRef = useRef(instrada)
  instradaRef.current = instrada
  useEffect(() => {
    let smetti: (() => void) | undefined
    let vivo = true
    import('@tauri-apps/api/webview')
      .then(({ getCurrentWebview }) =>
        getCurrentWebview().onDragDropEvent((ev) => {
          const p = ev.payload
          if (p.type === 'enter' || p.type === 'over') setSopra(true)
          else if (p.type === 'leave') setSopra(false)
          else if (p.type === 'drop') {
            setSopra(false)
            if (p.paths.length > 0 && !occupatoRef.current) void (instradaRef.current ?? daPercorsi)(p.paths)
          }
        }),
      )
      .then((u) => {
        if (vivo) smetti = u
        else u()
      })
      .catch(() => {
        /* not in the Tauri window (tests): the page's own drop still works */
      })
    return () => {
      vivo = false
      smetti?.()
    }
  }, [daPercorsi])

  return { daPercorsi, daFile, sopra, inCorso }
}

/** The header's «Importa flussi…»: the system's dialog, several XML files at once. */
export function PulsanteImportaFdr({ importa, occupato, esito }: { importa: ImportaFdr; occupato: boolean; esito: SezioneProps['esito'] }) {
  const scegli = async () => {
    try {
      const p = await open({
        multiple: true,
        directory: false,
        title: 'Scegli i flussi di rendicontazione',
        filters: [{ name: 'Flussi di rendicontazione (XML)', extensions: ['xml', 'XML'] }],
      })
      const percorsi = typeof p === 'string' ? [p] : Array.isArray(p) ? p : []
      if (percorsi.length > 0) await importa.daPercorsi(percorsi)
    } catch (e) {
      esito({ livello: 'errore', testo: messaggioErrore(e) })
    }
  }
  return (
    <Button color="primary" outline onClick={scegli} disabled={occupato} data-testid="riconciliazione-importa">
      {importa.inCorso ? 'Importazione…' : 'Importa flussi…'}
    </Button>
  )
}

/** The drop zone of the FdR section, with the page's own file chooser. */
export function ZonaFdr({ importa, occupato }: { importa: ImportaFdr; occupato: boolean }) {
  const input = useRef<HTMLInputElement>(null)
  return (
    <ZonaRilascio
      evidenziata={importa.sopra}
      occupato={occupato}
      suFile={(files) => void importa.daFile(files)}
      testid="riconciliazione-zona"
    >
      <p id="riconciliazione-file-aiuto" className="mb-2">
        Trascini qui i file XML dei flussi ricevuti dai PSP, oppure li scelga dal computer.
      </p>
      {/* Bootstrap Italia's upload: the system's own control (its words in the system's
          language) hidden behind a button in the window's words. */}
      <input
        id="riconciliazione-file"
        ref={input}
        type="file"
        multiple
        accept=".xml"
        className="upload"
        disabled={occupato}
        aria-describedby="riconciliazione-file-aiuto"
        data-testid="riconciliazione-file"
        onChange={async (e) => {
          await importa.daFile(e.target.files)
          if (input.current) input.current.value = ''
        }}
      />
      <label htmlFor="riconciliazione-file" className="mb-0">
        Scegli i file XML…
      </label>
    </ZonaRilascio>
  )
}
