import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Importa: placeholder until the screen lands. */
export default function Importa(_props: SchermataProps) {
  return <InArrivo titolo="Importa" />
}
