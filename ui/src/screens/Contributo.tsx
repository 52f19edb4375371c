import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Contributo: placeholder until the screen lands. */
export default function Contributo(_props: SchermataProps) {
  return <InArrivo titolo="Contributo" />
}
