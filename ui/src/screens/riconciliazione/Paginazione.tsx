// The page buttons under the screen's long lists (payments, treasury entries, proposals): shown
// only when there is more than one page; the page number is read out as it changes.
import { Button } from 'design-react-kit'
import { numero } from '../../format'

interface Props {
  /** The zero-based page shown. */
  pagina: number
  pagine: number
  setPagina: (p: number) => void
  /** What is paged, for screen readers («Pagine dei movimenti di tesoreria»). */
  etichetta: string
  /** The prefix of the test ids (`<prefisso>-pagina`, `-pagina-prima`, `-pagina-dopo`), if any. */
  testid?: string
}

export function Paginazione({ pagina, pagine, setPagina, etichetta, testid }: Props) {
  if (pagine <= 1) return null
  const id = (s: string) => (testid ? `${testid}-${s}` : undefined)
  return (
    <nav className="d-flex align-items-center gap-2" aria-label={etichetta}>
      <Button
        color="primary"
        outline
        size="sm"
        disabled={pagina === 0}
        onClick={() => setPagina(pagina - 1)}
        data-testid={id('pagina-prima')}
      >
        Precedente
      </Button>
      <span aria-live="polite" data-testid={id('pagina')}>
        Pagina {numero(pagina + 1)} di {numero(pagine)}
      </span>
      <Button
        color="primary"
        outline
        size="sm"
        disabled={pagina >= pagine - 1}
        onClick={() => setPagina(pagina + 1)}
        data-testid={id('pagina-dopo')}
      >
        Successiva
      </Button>
    </nav>
  )
}
