import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Flussi: placeholder until the screen lands. */
export default function Flussi(_props: SchermataProps) {
  return <InArrivo titolo="Flussi" />
}
