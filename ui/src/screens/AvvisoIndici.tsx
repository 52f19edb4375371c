// A note above the Dovuti table while the background upkeep of the indexes is behind (after a
// very large import): what is happening, how far it is, and that results are complete.
import { useEffect, useState } from 'react'
import { avvisoIndici, statoIndici, type AvvisoIndici as Avviso } from '../comandi/manutenzione'
import { BarraAvanzamento } from './BarraAvanzamento'

/** Asks every `intervallo` ms (2 s) while the upkeep is behind; `onFatto` when it has caught
 * up (to reload the list). */
export function AvvisoIndici({ onFatto, intervallo = 2000 }: { onFatto?: () => void; intervallo?: number }) {
  const [avviso, setAvviso] = useState<Avviso | null>(null)
  useEffect(() => {
    let vivo = true
    let timer: ReturnType<typeof setTimeout> | undefined
    let eraIndietro = false
    const chiedi = () => {
      statoIndici()
        .then((s) => {
          if (!vivo) return
          const a = avvisoIndici(s)
          setAvviso(a)
          if (a) {
            eraIndietro = true
            timer = setTimeout(chiedi, intervallo)
          } else if (eraIndietro) {
            onFatto?.()
          }
        })
        .catch(() => {
          if (vivo) setAvviso(null)
        })
    }
    chiedi()
    return () => {
      vivo = false
      if (timer) clearTimeout(timer)
    }
  }, [onFatto, intervallo])
  if (!avviso) return null
  return (
    <div className="alert alert-info py-2 small" role="status" data-testid="avviso-indici">
      <p className="mb-1">{avviso.testo}</p>
      <BarraAvanzamento percentuale={avviso.percento} etichetta="Indicizzazione dei dovuti" altezza={8} />
    </div>
  )
}
