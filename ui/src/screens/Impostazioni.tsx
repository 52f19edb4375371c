import InArrivo from './InArrivo'
import type { SchermataProps } from '../navigazione'

/** Impostazioni: placeholder until the screen lands. */
export default function Impostazioni(_props: SchermataProps) {
  return <InArrivo titolo="Impostazioni" />
}
