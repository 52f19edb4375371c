import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Sportello: placeholder until the screen lands. */
export default function Sportello(_props: SchermataProps) {
  return <InArrivo titolo="Sportello" />
}
