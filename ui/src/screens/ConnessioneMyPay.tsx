import { useEffect, useState } from 'react'
import { messaggioErrore } from '../api'
import { connessioneInfo, descriviConnessione } from '../comandi/connessione'

/** One line under a screen's title: which MyPay the screen talks to and where the password
 * comes from, or why it cannot connect (with a pointer to Impostazioni). */
export default function ConnessioneMyPay() {
  const [testo, setTesto] = useState<string>('MyPay: connessione…')
  const [errore, setErrore] = useState(false)
  useEffect(() => {
    let vivo = true
    connessioneInfo()
      .then((c) => vivo && setTesto(descriviConnessione(c)))
      .catch((e) => {
        if (!vivo) return
        setErrore(true)
        setTesto(`MyPay non raggiungibile con le impostazioni attuali: ${messaggioErrore(e)} (veda «Impostazioni»)`)
      })
    return () => {
      vivo = false
    }
  }, [])
  return (
    <p className={`small ${errore ? 'text-danger' : 'text-muted'}`} data-testid="connessione-mypay">
      {testo}
    </p>
  )
}
