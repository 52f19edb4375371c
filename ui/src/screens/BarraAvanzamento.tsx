// The progress bar of long work (import, submission, download, index upkeep), in
// bootstrap-italia's markup: a known share fills the bar; an unknown one while the work runs
// is a striped, moving full bar; a finished 100% turns green.

export function BarraAvanzamento({
  percentuale,
  attivo = true,
  etichetta,
  altezza = 10,
  className = '',
  testid,
}: {
  /** 0–100, or `null` when the total is not known. */
  percentuale: number | null
  /** The work is still running. */
  attivo?: boolean
  /** What the bar measures, for screen readers. */
  etichetta: string
  altezza?: number
  className?: string
  /** `data-testid` of the bar itself. */
  testid?: string
}) {
  const indefinita = attivo && percentuale == null
  const finita = !attivo && percentuale === 100
  return (
    <div className={`progress ${className}`.trim()} style={{ height: altezza }}>
      <div
        className={`progress-bar${indefinita ? ' progress-bar-striped progress-bar-animated' : ''}${finita ? ' bg-success' : ''}`}
        role="progressbar"
        style={{ width: `${percentuale ?? (attivo ? 100 : 0)}%` }}
        aria-valuenow={percentuale ?? undefined}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-label={etichetta}
        data-testid={testid}
      />
    </div>
  )
}
