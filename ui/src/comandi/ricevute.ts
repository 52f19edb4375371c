// Typed calls to the Ricevute commands (mpd-app `ricevute`; types generated in ../bindings) and
// the helpers of the screen (RT decoding, match labels, summary text).
import { Channel, invoke } from '@tauri-apps/api/core'

import type {
  Abbinamento,
  AvanzamentoRicevute,
  EsitoScarico,
  PagamentiSimulati,
  RicevutaDettaglio,
  RicevutaRiga,
} from '../bindings'
import type { EventoSync } from './avanzamento'
import { conta, numero } from '../format'

export type { Abbinamento, EsitoScarico, RicevutaDettaglio, RicevutaRiga }

export const ricevute = {
  elenco: (abbinamento?: Abbinamento) => invoke<RicevutaRiga[]>('ricevute_elenco', { abbinamento }),
  dettaglio: (id: number) => invoke<RicevutaDettaglio>('ricevute_dettaglio', { id }),
  /** The news since the last download, or the payments dated `dal`..`al` (`GG/MM/AAAA` or
   * `AAAA-MM-GG`). */
  scarica: (su: (e: EventoSync) => void, dal?: string, al?: string) => {
    const avanzamento = new Channel<AvanzamentoRicevute>()
    avanzamento.onmessage = (m) => su(m.evento)
    return invoke<EsitoScarico>('ricevute_scarica', { dal, al, avanzamento })
  },
  annulla: () => invoke<void>('ricevute_annulla'),
  esporta: (percorso: string) => invoke<number>('ricevute_esporta', { percorso }),
  simulaPagamenti: (quota?: number) => invoke<PagamentiSimulati>('demo_simula_pagamenti', { quota }),
}

/** Match codes with their Italian label and badge colour. */
export const ABBINAMENTI: Record<Abbinamento, { etichetta: string; colore: string }> = {
  pagato: { etichetta: 'Pagato', colore: 'success' },
  importo_diverso: { etichetta: 'Importo diverso', colore: 'warning' },
  sconosciuto: { etichetta: 'Sconosciuto in locale', colore: 'danger' },
  doppio: { etichetta: 'Pagato due volte', colore: 'danger' },
}

/** The RT as text: MyPay sends it base64 (sometimes twice, sometimes XML already). */
export function decodificaRt(b64: string | null | undefined): string {
  if (!b64) return ''
  let testo = b64.trim()
  for (let i = 0; i < 2; i++) {
    if (testo.startsWith('<')) break
    try {
      const bin = atob(testo.replace(/\s+/g, ''))
      const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0))
      testo = new TextDecoder('utf-8').decode(bytes).trim()
    } catch {
      break
    }
  }
  return testo
}

/** Puts each XML element on its own line, indented, for reading (not a validator). */
export function indentaXml(xml: string): string {
  if (!xml.startsWith('<')) return xml
  const pezzi = xml.replace(/>\s*</g, '><').split(/(?=<)|(?<=>)/).filter((p) => p.trim() !== '')
  let livello = 0
  const righe: string[] = []
  for (let i = 0; i < pezzi.length; i++) {
    const p = pezzi[i]
    if (p.startsWith('</')) {
      livello = Math.max(0, livello - 1)
      righe.push('  '.repeat(livello) + p)
    } else if (p.startsWith('<')) {
      // <a>text</a> on one line.
      const testo = pezzi[i + 1]
      const chiusura = pezzi[i + 2]
      if (testo && !testo.startsWith('<') && chiusura?.startsWith('</')) {
        righe.push('  '.repeat(livello) + p + testo + chiusura)
        i += 2
        continue
      }
      righe.push('  '.repeat(livello) + p)
      if (!p.startsWith('<?') && !p.endsWith('/>') && !p.startsWith('<!')) livello++
    } else {
      righe.push('  '.repeat(livello) + p.trim())
    }
  }
  return righe.join('\n')
}

/** One sentence for the end of a download. */
export function testoRiepilogo(e: EsitoScarico): string {
  if (e.annullato) return 'Scaricamento annullato: riprenderà dal punto in cui si è fermato.'
  const r = e.esito
  if (!r) return ''
  const s = r.riepilogo
  const parti = [conta(s.nuove, 'ricevuta nuova', 'ricevute nuove')]
  if (s.gia_presenti) parti.push(conta(s.gia_presenti, 'già presente', 'già presenti'))
  const problemi: string[] = []
  if (s.importo_diverso) problemi.push(`${numero(s.importo_diverso)} con importo diverso`)
  if (s.sconosciuto) problemi.push(conta(s.sconosciuto, 'sconosciuta in locale', 'sconosciute in locale'))
  if (s.doppio) problemi.push(conta(s.doppio, 'pagata due volte', 'pagate due volte'))
  let t = `Scaricate: ${parti.join(', ')}.`
  if (problemi.length) t += ` Da controllare: ${problemi.join(', ')}.`
  const a = s.annullate_per_posizione
  if (a) t += ` ${conta(a, 'rata annullata', 'rate annullate')}: la posizione è stata pagata nell'altro modo.`
  if (r.in_attesa) t += ' MyPay sta ancora preparando le ricevute: riprovi tra poco.'
  return t
}
