import { Callout, CalloutText, CalloutTitle } from 'design-react-kit'

/** A section whose screen is not in the window yet: says so, and what the CLI offers. */
export default function InArrivo({ titolo, cli }: { titolo: string; cli?: string }) {
  return (
    <section>
      <h1 className="h2">{titolo}</h1>
      <Callout color="note">
        <CalloutTitle>In arrivo</CalloutTitle>
        <CalloutText>
          Questa schermata non è ancora disponibile nella finestra. Le stesse operazioni si fanno già dalla
          riga di comando:
          <br />
          <code>{cli}</code>
        </CalloutText>
      </Callout>
    </section>
  )
}
