import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Ente e adesione: placeholder until the screen lands. */
export default function Ente(_props: SchermataProps) {
  return <InArrivo titolo="Ente e adesione" />
}
