import { useEffect, useRef, useState } from 'react'
import { Alert, Button } from 'design-react-kit'
import { open, save } from '@tauri-apps/plugin-dialog'
import { messaggioErrore } from '../api'
import { useNaviga, type SchermataProps } from '../navigazione'
import {
  abbinamentiDa,
  assegna,
  conservaResoconto,
  estensioneAmmessa,
  importa,
  intestazioneRiga,
  lettera,
  obbligatoriMancanti,
  perColonna,
  percentualeImport,
  resocontoConservato,
  segnaPronti,
  type Anteprima,
  type Avanzamento,
  type Formati,
  type Importazione,
  type Report,
  type RigaReport,
} from '../comandi/importa'
import { formattaNumero } from '../comandi/avanzamento'
import { BarraAvanzamento } from './BarraAvanzamento'
import { GruppiDuplicati } from './GruppiDuplicati'
import { Distintivo } from './Distintivo'
import { conta } from '../format'

type Fase = 'scelta' | 'anteprima' | 'lavoro' | 'report'

interface FileScelto {
  percorso: string
  nome: string
}

const nomeDi = (percorso: string) => percorso.split(/[\\/]/).pop() ?? percorso

/** Importa: a clerk's spreadsheet → preview with the proposed mapping → import → report. */
export default function Importa({ dati, ricarica }: SchermataProps) {
  const naviga = useNaviga()
  // The last import's report survives leaving the screen (see `resocontoConservato`).
  const conservato = resocontoConservato()
  const [fase, setFase] = useState<Fase>(conservato ? 'report' : 'scelta')
  const [file, setFile] = useState<FileScelto | null>(null)
  const [anteprima, setAnteprima] = useState<Anteprima | null>(null)
  const [foglio, setFoglio] = useState('')
  const [tipo, setTipo] = useState('')
  const [proposta, setProposta] = useState<Record<number, string>>({})
  const [scelta, setScelta] = useState<Record<number, string>>({})
  const [mancantiServer, setMancantiServer] = useState<string[]>([])
  const [avanzamento, setAvanzamento] = useState<Avanzamento | null>(null)
  const [lavoro, setLavoro] = useState<'verifica' | 'importa'>('importa')
  const [report, setReport] = useState<Report | null>(conservato?.report ?? null)
  const [soloVerifica, setSoloVerifica] = useState(false)
  // The import the report describes (its undo), or on the file chooser the last one recorded.
  const [importazione, setImportazione] = useState<Importazione | null>(conservato?.importazione ?? null)
  const [ultima, setUltima] = useState<Importazione | null>(null)
  const [confermaAnnullaImp, setConfermaAnnullaImp] = useState(false)
  const [errore, setErrore] = useState<string | null>(null)
  const [avviso, setAvviso] = useState<string | null>(null)
  const [sopra, setSopra] = useState(false)
  const inputFile = useRef<HTMLInputElement>(null)
  const tipi = dati.ente?.tipi_dovuto ?? []
  // The files the import reads, from the back end (until known, the back end checks alone).
  const [formati, setFormati] = useState<Formati | null>(null)
  const estensioni = formati?.estensioni ?? []
  const nonAmmesso = (nome: string) =>
    formati !== null && !estensioneAmmessa(nome, estensioni)
      ? `«${nome}»: si importano file ${estensioni.map((e) => '.' + e).join(' ')}`
      : null

  useEffect(() => {
    if (conservato) return
    importa
      .ultima()
      .then(setUltima)
      .catch(() => {
        /* no undo offered: the CLI still has it */
      })
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  useEffect(() => {
    importa
      .formati()
      .then(setFormati)
      .catch(() => {
        /* the back end checks each file anyway */
      })
  }, [])

  const abbinamenti = abbinamentiDa(proposta, scelta)
  const scelte = () => ({
    percorso: file!.percorso,
    foglio: foglio || undefined,
    tipo: tipo || undefined,
    abbinamenti,
  })

  // A new file or sheet: the proposed mapping, from scratch.
  const caricaAnteprima = async (f: FileScelto, nomeFoglio: string) => {
    setErrore(null)
    setReport(null)
    try {
      const a = await importa.anteprima({ percorso: f.percorso, foglio: nomeFoglio || undefined, tipo: tipo || undefined })
      setAnteprima(a)
      const p = perColonna(a.mappatura)
      setProposta(p)
      setScelta(p)
      setMancantiServer(a.mancanti)
      setFoglio(a.sorgente.foglio)
      setFase('anteprima')
    } catch (e) {
      setAnteprima(null)
      setFase('scelta')
      setErrore(messaggioErrore(e))
    }
  }

  const scegli = (f: FileScelto) => {
    const no = nonAmmesso(f.nome)
    if (no) {
      setErrore(no)
      return
    }
    setFile(f)
    setFoglio('')
    void caricaAnteprima(f, '')
  }

  const daInput = async (files: FileList | null) => {
    const f = files?.[0]
    if (!f) return
    const no = nonAmmesso(f.name)
    if (no) {
      setErrore(no)
      return
    }
    try {
      setAvviso(`Lettura di ${f.name}…`)
      const c = await importa.carica(f)
      setAvviso(null)
      scegli({ percorso: c.percorso, nome: f.name })
    } catch (e) {
      setAvviso(null)
      setErrore(messaggioErrore(e))
    }
  }

  // Files dropped on the window: Tauri gives their paths.
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
            const percorso = p.paths[0]
            if (percorso) scegli({ percorso, nome: nomeDi(percorso) })
          }
        }),
      )
      .then((u) => {
        if (vivo) smetti = u
        else u()
      })
      .catch(() => {
        /* not in the Tauri window (tests): the HTML drop below still works */
      })
    return () => {
      vivo = false
      smetti?.()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  const dialogo = async () => {
    try {
      const p = await open({
        multiple: false,
        directory: false,
        title: 'Scegli il foglio dei dovuti',
        filters: estensioni.length ? [{ name: 'Fogli di calcolo e CSV', extensions: estensioni }] : [],
      })
      if (typeof p === 'string') scegli({ percorso: p, nome: nomeDi(p) })
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }

  // Each change of mapping asks the back end again (it says which mandatory fields are missing).
  const cambiaColonna = (col: number, campo: string) => {
    const nuova = assegna(scelta, col, campo)
    setScelta(nuova)
    if (!file) return
    importa
      .anteprima({ percorso: file.percorso, foglio: foglio || undefined, tipo: tipo || undefined, abbinamenti: abbinamentiDa(proposta, nuova) })
      .then((a) => setMancantiServer(a.mancanti))
      .catch((e) => setErrore(messaggioErrore(e)))
  }

  useEffect(() => {
    if (!file || fase !== 'anteprima') return
    importa
      .anteprima({ ...scelte() })
      .then((a) => setMancantiServer(a.mancanti))
      .catch((e) => setErrore(messaggioErrore(e)))
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tipo])

  const avvia = async (modo: 'verifica' | 'importa') => {
    if (!file) return
    setErrore(null)
    setLavoro(modo)
    setAvanzamento(null)
    setFase('lavoro')
    try {
      const r =
        modo === 'verifica'
          ? await importa.verifica(scelte(), setAvanzamento)
          : await importa.esegui(scelte(), setAvanzamento)
      setReport(r)
      setSoloVerifica(modo === 'verifica')
      setFase('report')
      if (modo === 'importa') {
        // The import just written is the last one recorded (none when nothing was stored).
        const imp = r.importate > 0 ? await importa.ultima().catch(() => null) : null
        setImportazione(imp)
        conservaResoconto({ report: r, importazione: imp })
        ricarica()
      }
    } catch (e) {
      setFase('anteprima')
      setErrore(messaggioErrore(e))
    }
  }

  const modello = async () => {
    setErrore(null)
    try {
      const p = await save({
        title: 'Salva il modello Excel',
        defaultPath: 'modello-dovuti.xlsx',
        filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      })
      if (!p) return
      const scritto = await importa.modello(p)
      setAvviso(`Modello salvato in ${scritto}: lo compili e lo importi da qui.`)
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }

  const ricomincia = () => {
    setFase('scelta')
    setFile(null)
    setAnteprima(null)
    setReport(null)
    setConfermaAnnullaImp(false)
    if (inputFile.current) inputFile.current.value = ''
  }

  // «Annulla questa importazione»: everything it created goes, or nothing if some was sent.
  const annullaImportazione = async (imp: Importazione) => {
    setErrore(null)
    setConfermaAnnullaImp(false)
    try {
      const r = await importa.annullaImportazione(imp.id)
      const n = r.eliminati.length
      setAvviso(
        `Importazione di «${r.importazione.file}» annullata: ` +
          `${conta(n, 'dovuto eliminato', 'dovuti eliminati')}.`,
      )
      conservaResoconto(null)
      setImportazione(null)
      setUltima(null)
      ricomincia()
      ricarica()
    } catch (e) {
      setErrore(messaggioErrore(e))
    }
  }

  const chiediAnnullaImportazione = (imp: Importazione) => (
    <Alert color="warning" data-testid="importa-annulla-importazione-domanda">
      <p className="mb-2">
        Annullare l’importazione di «{imp.file}»?{' '}
        {imp.dovuti === 1
          ? 'L’unico dovuto che ha creato verrà eliminato e non si potrà recuperare.'
          : `I ${formattaNumero(imp.dovuti)} dovuti che ha creato verranno eliminati e non si potranno recuperare.`}{' '}
        Se qualcuno è già stato inviato a MyPay, non si elimina nulla.
      </p>
      <div className="d-flex gap-2">
        <Button color="danger" size="sm" onClick={() => void annullaImportazione(imp)}
          data-testid="importa-annulla-importazione-conferma">
          Sì, annulla l’importazione
        </Button>
        <Button color="secondary" outline size="sm" onClick={() => setConfermaAnnullaImp(false)}>No</Button>
      </div>
    </Alert>
  )

  const mancantiLocali = anteprima && !anteprima.tracciato ? obbligatoriMancanti(scelta, anteprima.campi) : []
  const bloccato = !!anteprima && !anteprima.tracciato && mancantiServer.length > 0
  // Issue 13, item 16: the mapping's controls are described by the message saying which
  // required fields still have no column; the payment type of the rows, when that is what is
  // missing, is marked invalid too.
  const idMancanti = bloccato ? 'importa-mancanti-elenco' : mancantiLocali.length > 0 ? 'importa-mancanti-locali' : undefined
  const tipoMancante = !!idMancanti && !tipo && [...(bloccato ? mancantiServer : mancantiLocali)].some((m) => /tipo/i.test(m))
  const colonne = anteprima ? Math.max(anteprima.intestazioni.length, ...anteprima.righe.map((r) => r.celle.length)) : 0
  const pct = percentualeImport(avanzamento)

  return (
    <section
      onDragOver={(e) => {
        e.preventDefault()
        setSopra(true)
      }}
      onDragLeave={() => setSopra(false)}
      onDrop={(e) => {
        e.preventDefault()
        setSopra(false)
        void daInput(e.dataTransfer.files)
      }}
    >
      <div className="d-flex justify-content-between align-items-center mb-3">
        <h1 className="h2 mb-0">Importa dovuti</h1>
        <Button color="primary" outline size="sm" onClick={modello} data-testid="importa-modello">
          Scarica il modello Excel
        </Button>
      </div>
      {errore && <Alert color="danger">{errore}</Alert>}
      {avviso && <Alert color="info">{avviso}</Alert>}

      {fase === 'scelta' && !file && ultima && ultima.dovuti > 0 && (
        <div className="mb-3 small" data-testid="importa-ultima">
          Ultima importazione: «{ultima.file}»,{' '}
          {conta(ultima.dovuti, 'dovuto', 'dovuti')}.{' '}
          <Button color="danger" outline size="sm" className="ms-2" onClick={() => setConfermaAnnullaImp(true)}
            data-testid="importa-annulla-importazione">
            Annulla questa importazione
          </Button>
          {confermaAnnullaImp && <div className="mt-2">{chiediAnnullaImportazione(ultima)}</div>}
        </div>
      )}

      {fase === 'scelta' && (
        <div className={`mpd-drop p-5 text-center border rounded ${sopra ? 'border-primary bg-light' : ''}`} style={{ borderStyle: 'dashed' }}>
          <p className="lead">Trascini qui il foglio dei dovuti (Excel, LibreOffice o CSV)</p>
          <p className="small text-muted">
            La prima riga con le intestazioni può stare anche sotto un titolo. Le colonne si abbinano da sole
            («Codice fiscale», «Cognome e nome», «Importo», «Scadenza», «Causale»…) e può correggerle prima di importare.
          </p>
          <div className="d-flex justify-content-center gap-3 align-items-center flex-wrap">
            <Button color="primary" onClick={dialogo} data-testid="importa-scegli">Scegli file…</Button>
            <span className="text-muted">oppure</span>
            <div style={{ maxWidth: 360 }}>
              <label htmlFor="importa-file" className="visually-hidden">File da importare</label>
              <input
                id="importa-file"
                ref={inputFile}
                type="file"
                data-testid="importa-file"
                accept={estensioni.map((e) => '.' + e).join(',') || undefined}
                className="form-control"
                onChange={(e) => void daInput(e.target.files)}
              />
            </div>
          </div>
        </div>
      )}

      {fase === 'anteprima' && anteprima && file && (
        <>
          <div className="row g-3 align-items-end mb-3">
            <div className="col-md-4">
              <div className="small text-muted">File</div>
              <div className="fw-semibold text-break">{file.nome}</div>
              <div className="small">
                {anteprima.tracciato
                  ? `Tracciato MyPay ${anteprima.tracciato}`
                  : `${anteprima.sorgente.formato}${anteprima.sorgente.codifica ? `, ${anteprima.sorgente.codifica}` : ''}` +
                    (anteprima.riga_intestazione ? `, intestazioni alla riga ${anteprima.riga_intestazione}` : '')}
              </div>
            </div>
            {anteprima.sorgente.fogli.length > 1 && (
              <div className="col-md-3">
                <label htmlFor="importa-foglio" className="form-label small">Foglio</label>
                <select id="importa-foglio" className="form-select" data-testid="importa-foglio" value={foglio}
                  onChange={(e) => {
                    setFoglio(e.target.value)
                    void caricaAnteprima(file, e.target.value)
                  }}>
                  {anteprima.sorgente.fogli.map((f) => (
                    <option key={f.nome} value={f.nome}>{f.nome}{f.nascosto ? ' (nascosto)' : ''}</option>
                  ))}
                </select>
              </div>
            )}
            {!anteprima.tracciato && (
              <div className="col-md-3">
                <label htmlFor="importa-tipo" className="form-label small">Tipo dovuto delle righe senza tipo</label>
                <select id="importa-tipo" className={`form-select ${tipoMancante ? 'is-invalid' : ''}`} value={tipo} onChange={(e) => setTipo(e.target.value)}
                  aria-invalid={tipoMancante || undefined} aria-describedby={tipoMancante ? idMancanti : undefined}>
                  <option value="">{tipi.length === 1 ? tipi[0].descrizione || tipi[0].codice : '— scegli —'}</option>
                  {tipi.map((t) => (
                    <option key={t.codice} value={t.codice}>{t.descrizione ? `${t.descrizione} (${t.codice})` : t.codice}</option>
                  ))}
                </select>
              </div>
            )}
            <div className="col-md-2 text-end">
              <Button color="secondary" outline size="sm" onClick={ricomincia}>Cambia file</Button>
            </div>
          </div>
          {anteprima.sorgente.note.map((n) => (
            <p key={n} className="small text-muted mb-1">Nota: {n}</p>
          ))}
          {anteprima.mappatura_salvata && (
            <p className="small text-success">Abbinamento delle colonne ricordato dall’ultima importazione di un file come questo.</p>
          )}
          {bloccato && (
            <Alert color="warning" data-testid="importa-mancanti">
              <strong>Prima di importare:</strong>
              <ul className="mb-0" id="importa-mancanti-elenco">
                {mancantiServer.map((m) => (
                  <li key={m}>{m}</li>
                ))}
              </ul>
              <p className="mb-0 mt-1 small">Scelga la colonna nell’abbinamento qui sotto, o il tipo dovuto delle righe più sopra.</p>
            </Alert>
          )}
          {anteprima.colonne_escluse.length > 0 && (
            <div className="small mb-2" data-testid="importa-escluse">
              {anteprima.colonne_escluse.map((c) => (
                <p key={c.lettera} className="mb-1">
                  Colonna {c.lettera} «{c.intestazione}» lasciata fuori: {c.motivo}. Se invece contiene dati, la scelga
                  nell’abbinamento qui sotto.
                </p>
              ))}
            </div>
          )}
          {!bloccato && mancantiLocali.length > 0 && (
            <p className="small text-warning" id="importa-mancanti-locali">Campi obbligatori senza colonna: {mancantiLocali.join(', ')}</p>
          )}
          <div className="table-responsive mb-3" style={{ maxHeight: 420 }}>
            <table className="table table-sm table-bordered small" data-testid="importa-anteprima">
              <thead>
                <tr>
                  <th scope="col">Riga</th>
                  {Array.from({ length: colonne }, (_, i) => (
                    <th key={i} scope="col" style={{ minWidth: 140 }}>
                      <div className="text-muted">{lettera(i)} · {anteprima.intestazioni[i] || '(senza intestazione)'}</div>
                      {!anteprima.tracciato && (
                        <select
                          className={`form-select form-select-sm mt-1 ${scelta[i] ? 'border-primary' : ''}`}
                          aria-label={`Campo della colonna ${lettera(i)}`}
                          aria-describedby={scelta[i] ? undefined : idMancanti}
                          data-testid={`importa-colonna-${lettera(i)}`}
                          value={scelta[i] ?? ''}
                          onChange={(e) => cambiaColonna(i, e.target.value)}
                        >
                          <option value="">— non importare —</option>
                          {anteprima.campi.map((c) => (
                            <option key={c.chiave} value={c.chiave}>{c.etichetta}{c.obbligatorio ? ' *' : ''}</option>
                          ))}
                        </select>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {anteprima.righe.map((r) => (
                  <tr key={r.riga}>
                    <th scope="row" className="text-muted">{r.riga}</th>
                    {Array.from({ length: colonne }, (_, i) => (
                      <td key={i} className={scelta[i] || anteprima.tracciato ? '' : 'text-muted'}>{r.celle[i] ?? ''}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="d-flex gap-3">
            <Button color="primary" onClick={() => void avvia('importa')} disabled={bloccato} data-testid="importa-conferma">
              Importa
            </Button>
            <Button color="primary" outline onClick={() => void avvia('verifica')} disabled={bloccato} data-testid="importa-verifica">
              Solo verifica
            </Button>
          </div>
          <p className="small text-muted mt-2">
            Le righe valide diventano dovuti pronti per il prossimo flusso; quelle con errori diventano bozze da correggere
            nella sezione Dovuti, così non si perde nulla di quanto scritto nel foglio.
          </p>
        </>
      )}

      {fase === 'lavoro' && (
        <div className="my-4" aria-live="polite">
          <p>
            {lavoro === 'verifica' ? 'Verifica del file' : 'Importazione'}:{' '}
            {avanzamento
              ? avanzamento.fase === 'verifica'
                ? `${conta(avanzamento.righe, 'riga controllata', 'righe controllate')}…`
                : `${formattaNumero(avanzamento.righe)} di ${formattaNumero(avanzamento.totale ?? 0)} righe salvate…`
              : 'lettura del file…'}
          </p>
          <BarraAvanzamento
            percentuale={pct}
            etichetta="Avanzamento dell'importazione"
            altezza={12}
            className="mb-3"
            testid="importa-progresso"
          />
          <Button color="danger" outline size="sm" onClick={() => void importa.annulla()} data-testid="importa-annulla">
            Annulla
          </Button>
        </div>
      )}

      {fase === 'report' && report && (
        <>
          <ReportImport report={report} soloVerifica={soloVerifica}
            pronti={(iud) => {
              // «Importa comunque»: the counts and the kept report say what is true now.
              setReport((r) => {
                if (!r) return r
                const nuovo = segnaPronti(r, iud)
                conservaResoconto({ report: nuovo, importazione })
                return nuovo
              })
              ricarica()
            }}
            apri={(r) => r.iud && r.bozza && naviga('dovuti', { iud: r.iud })}
            importa={() => void avvia('importa')}
            annulla={!soloVerifica && importazione ? () => setConfermaAnnullaImp(true) : undefined}
            ricomincia={ricomincia} />
          {confermaAnnullaImp && importazione && <div className="mt-3">{chiediAnnullaImportazione(importazione)}</div>}
        </>
      )}
    </section>
  )
}

function ReportImport({
  report,
  soloVerifica,
  pronti,
  apri,
  importa: importaOra,
  annulla,
  ricomincia,
}: {
  report: Report
  soloVerifica: boolean
  pronti?: (iud: string[]) => void
  apri: (r: RigaReport) => void
  importa: () => void
  /** «Annulla questa importazione» (the last import's report only). */
  annulla?: () => void
  ricomincia: () => void
}) {
  const bozze = report.bozze ?? 0
  const pronte = report.importate - bozze
  return (
    <div data-testid="importa-report">
      <h2 className="h4">{soloVerifica ? 'Verifica del file (nessun dato salvato)' : 'Importazione completata'}</h2>
      <ul className="list-inline">
        <li className="list-inline-item me-4">Righe lette: <strong>{formattaNumero(report.righe_lette)}</strong></li>
        {(report.posizioni ?? 0) > 0 && (
          <li className="list-inline-item me-4" data-testid="importa-posizioni">
            Posizioni: <strong>{formattaNumero(report.posizioni ?? 0)}</strong>, con{' '}
            {conta(report.opzioni ?? 0, 'opzione di pagamento', 'opzioni di pagamento')} (rata unica e rate)
          </li>
        )}
        <li className="list-inline-item me-4">Valide: <strong>{formattaNumero(report.righe_valide)}</strong></li>
        <li className="list-inline-item me-4">Con errori: <strong>{formattaNumero(report.errori.length)}</strong></li>
        {!soloVerifica && (
          <>
            <li className="list-inline-item me-4">Dovuti pronti: <strong>{formattaNumero(pronte)}</strong></li>
            <li className="list-inline-item me-4">Bozze da correggere: <strong>{formattaNumero(bozze)}</strong></li>
          </>
        )}
      </ul>
      {report.foglio?.note.map((n) => (
        <p key={n} className="small text-muted mb-1">Nota: {n}</p>
      ))}
      <GruppiDuplicati gruppi={report.duplicati ?? []} soloVerifica={soloVerifica} onPronti={pronti} />
      {report.errori.length > 0 && (
        <>
          <h3 className="h5 mt-3">Righe con errori</h3>
          {!soloVerifica && bozze > 0 && (
            <p className="small">Ogni riga è stata salvata come bozza: faccia clic per aprirla e correggerla.</p>
          )}
          <ul className="list-group mb-3">
            {report.errori.map((r) => (
              <li
                key={`${r.riga}-${r.iud}`}
                className={`list-group-item ${r.bozza ? 'list-group-item-action' : ''}`}
                data-testid="importa-errore"
                data-riga={r.riga}
                data-iud={r.bozza ? r.iud : undefined}
                style={r.bozza ? { cursor: 'pointer' } : undefined}
                onClick={() => apri(r)}
              >
                {/* The keyboard's way in: a real button (Enter and Space), whose click reaches
                    the row's handler; the row stays a list item (its list of problems could
                    not sit inside a button). */}
                {r.bozza ? (
                  <button type="button" className="btn btn-link p-0 fw-bold text-start align-baseline" data-testid="importa-errore-apri">
                    {intestazioneRiga(r)}
                  </button>
                ) : (
                  <strong>{intestazioneRiga(r)}</strong>
                )}
                {r.bozza && <Distintivo colore="warning" className="ms-2">bozza {r.iud}</Distintivo>}
                <ul className="mb-0 small">
                  {r.problemi.map((p, i) => (
                    <li key={i} className={p.grave ? 'text-danger' : 'text-body'}>
                      {p.campo && <>«{p.campo}»{p.valore ? <> = <code>{p.valore}</code></> : null}: </>}
                      {p.messaggio}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
      {report.avvisi.length > 0 && (
        <details className="mb-3">
          <summary>Avvisi su {conta(report.avvisi.length, 'riga', 'righe')} (le righe sono comunque valide)</summary>
          <ul className="small">
            {report.avvisi.map((r) => (
              <li key={`${r.riga}-${r.iud}`}>
                {intestazioneRiga(r)}: {r.problemi.map((p) => p.messaggio).join('; ')}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="d-flex gap-3">
        {soloVerifica && <Button color="primary" onClick={importaOra}>Importa ora</Button>}
        <Button color="secondary" outline onClick={ricomincia} data-testid="importa-altro-file">Importa un altro file</Button>
        {annulla && (
          <Button color="danger" outline onClick={annulla} data-testid="importa-annulla-importazione">
            Annulla questa importazione
          </Button>
        )}
      </div>
    </div>
  )
}
