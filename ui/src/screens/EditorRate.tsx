// The «Rate» part of a position's form (issue 14): an optional rata unica and the instalments,
// each amount and due date, added and removed in place; under them the live sum against the
// rata unica (with the payment type's discount rule) and every problem at its field, naming
// the instalment. Used to create a position (NuovaPosizione) and to change one (PosizioneDovuto).
import { Button } from 'design-react-kit'
import { controllaRate, idCampo, MAX_RATE, nuovaRiga, type RigaRata, type StatoRate } from '../rate'

export function EditorRate({ valore, cambia, sconto, scadenzaObbligatoria, erroriServer, mostraErrori, unicaFissa, prefisso }: {
  valore: StatoRate
  cambia: (s: StatoRate) => void
  /** The payment type allows the rata unica to cost less. */
  sconto: boolean
  scadenzaObbligatoria?: boolean
  /** The back end's problems by field id (see `problemiAlForm`). */
  erroriServer: Record<string, string>
  /** Show the checks of fields not touched yet (after a first «Salva»). */
  mostraErrori: boolean
  /** The rata unica cannot be switched on (a stored position without one). */
  unicaFissa?: boolean
  /** Keeps ids unique when two editors are on screen. */
  prefisso: string
}) {
  const controllo = controllaRate(valore, sconto, scadenzaObbligatoria)
  const errore = (id: string): string | null =>
    erroriServer[id] ?? (mostraErrori || campoToccato(valore, id) ? controllo.campi[id] ?? null : null)
  const riga = (i: number, cosa: Partial<RigaRata>) =>
    cambia({ ...valore, rate: valore.rate.map((x, j) => (j === i ? { ...x, ...cosa } : x)) })
  const campo = (id: string, etichetta: string, v: string, onChange: (v: string) => void, extra: { placeholder?: string; inputMode?: 'decimal' }) => {
    const err = errore(id)
    const domId = `${prefisso}-${id}`
    return (
      <div className="col">
        <label htmlFor={domId} className="form-label small mb-0">{etichetta}</label>
        <input id={domId} type="text" className={`form-control form-control-sm ${err ? 'is-invalid' : ''}`} value={v}
          onChange={(e) => onChange(e.target.value)} aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${domId}-err` : undefined} data-testid={`rate-${id.replace(/^rata-[^-]+-/, 'rata-')}`}
          {...extra} />
        {err && <div id={`${domId}-err`} className="invalid-feedback d-block" data-testid="rate-errore">{err}</div>}
      </div>
    )
  }
  return (
    <fieldset className="border rounded p-2 mb-3" data-testid="editor-rate">
      <legend className="h6 float-none w-auto px-1 mb-1">Rate</legend>
      <div className="form-check mb-1">
        <input className="form-check-input" type="checkbox" id={`${prefisso}-unica`} checked={valore.unica}
          disabled={unicaFissa && !valore.unica}
          onChange={(e) => cambia({ ...valore, unica: e.target.checked })} data-testid="rate-unica-attiva" />
        <label className="form-check-label small" htmlFor={`${prefisso}-unica`}>
          Rata unica (pagamento in un’unica soluzione)
        </label>
      </div>
      {valore.unica && (
        <div className="row g-2 mb-2" role="group" aria-label="Rata unica">
          {campo(idCampo('unica', 'importo'), 'Importo rata unica (€)', valore.importoUnica,
            (v) => cambia({ ...valore, importoUnica: v }), { inputMode: 'decimal' })}
          {campo(idCampo('unica', 'scadenza'), 'Scadenza rata unica', valore.scadenzaUnica,
            (v) => cambia({ ...valore, scadenzaUnica: v }), { placeholder: 'gg/mm/aaaa' })}
          <div className="col-auto" aria-hidden="true" style={{ width: '6.5rem' }} />
        </div>
      )}
      <ol className="list-unstyled mb-1">
        {valore.rate.map((r, i) => (
          <li key={r.chiave} className="row g-2 mb-1 align-items-end" data-testid="rate-riga" aria-label={`Rata ${i + 1}`}>
            {campo(idCampo(r, 'importo'), `Importo rata ${i + 1} (€)`, r.importo, (v) => riga(i, { importo: v }), { inputMode: 'decimal' })}
            {campo(idCampo(r, 'scadenza'), `Scadenza rata ${i + 1}`, r.scadenza, (v) => riga(i, { scadenza: v }), { placeholder: 'gg/mm/aaaa' })}
            <div className="col-auto" style={{ width: '6.5rem' }}>
              <Button color="danger" outline size="sm" type="button" className="w-100"
                onClick={() => cambia({ ...valore, rate: valore.rate.filter((_, j) => j !== i) })}
                aria-label={`Elimina la rata ${i + 1}`} data-testid="rate-togli">
                Elimina
              </Button>
            </div>
          </li>
        ))}
      </ol>
      <div className="d-flex flex-wrap align-items-center gap-2">
        <Button color="primary" outline size="sm" type="button" disabled={valore.rate.length >= MAX_RATE}
          onClick={() => cambia({ ...valore, rate: [...valore.rate, nuovaRiga()] })} data-testid="rate-aggiungi">
          Aggiungi una rata
        </Button>
        <span className="small" aria-live="polite" data-testid="rate-somma">{controllo.riepilogo}</span>
      </div>
      {(mostraErrori ? controllo.generali : []).map((g) => (
        <p key={g} className="small text-danger mb-0 mt-1" data-testid="rate-errore">{g}</p>
      ))}
    </fieldset>
  )
}

/** A field with something typed in it: its check shows before the first «Salva». */
function campoToccato(s: StatoRate, id: string): boolean {
  if (id === 'unica-importo') return s.importoUnica.trim() !== ''
  if (id === 'unica-scadenza') return s.scadenzaUnica.trim() !== ''
  const m = /^rata-(.+)-(importo|scadenza)$/.exec(id)
  const r = m ? s.rate.find((x) => x.chiave === m[1]) : undefined
  return !!r && (m![2] === 'importo' ? r.importo : r.scadenza).trim() !== ''
}
