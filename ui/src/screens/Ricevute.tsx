import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Ricevute: placeholder until the screen lands. */
export default function Ricevute(_props: SchermataProps) {
  return <InArrivo titolo="Ricevute" />
}
