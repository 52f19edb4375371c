// Typed calls to the Ente e adesione and Contributo commands (src-tauri/src/commands/adesione.rs).
// Amounts from the back end are decimal strings ("9600.00"): format them with `euroDecimale`.
import { useEffect, useState } from 'react'
import { invoke } from '@tauri-apps/api/core'

import type {
  CalcoloProfilo,
  Completezza,
  CostoVista,
  EsitoContributo,
  EsitoDocumenti,
  ErroreCampo,
  ModuloAvviso,
  ModuloConto,
  ModuloEnte,
  ModuloReferente,
  ModuloTipo,
  Movimento,
  PassoRegistrato,
  PrefissoTipo,
  ProblemaProfilo,
  RigaStima,
  Salvataggio,
  SimulazioneContributo,
  StatoContributo,
  Stima,
  TabelleAdesione,
  VoceNuova,
  VoceSpesa,
  VoceTabella,
  VoceTassonomia,
} from '../bindings'

export type {
  CalcoloProfilo,
  CostoVista,
  EsitoDocumenti,
  ErroreCampo,
  ModuloAvviso,
  ModuloConto,
  ModuloEnte,
  ModuloReferente,
  ModuloTipo,
  Movimento,
  PassoRegistrato,
  PrefissoTipo,
  RigaStima,
  Salvataggio,
  StatoContributo,
  Stima,
  TabelleAdesione,
  VoceNuova,
  VoceSpesa,
  VoceTabella,
  VoceTassonomia,
}
export type { Completezza as Verifica, EsitoContributo as Esito, ProblemaProfilo as Problema, SimulazioneContributo as Simulazione }

/** The kinds of Ente and the adhesion modes, from the Rust rules (`adesione_tabelle`), asked once. */
let tabelle: Promise<TabelleAdesione> | null = null
export function caricaTabelle(): Promise<TabelleAdesione> {
  tabelle ??= invoke<TabelleAdesione>('adesione_tabelle').catch((e) => {
    tabelle = null
    throw e
  })
  return tabelle
}

/** The pick lists of kinds of Ente and modes (empty until they arrive). */
export function useTabelle(): TabelleAdesione {
  const [t, setT] = useState<TabelleAdesione>({ tipi_ente: [], modalita: [] })
  useEffect(() => {
    let vivo = true
    caricaTabelle().then((x) => { if (vivo) setT(x) }).catch(() => {})
    return () => { vivo = false }
  }, [])
  return t
}

export const adesione = {
  tabelle: caricaTabelle,
  enteModulo: () => invoke<ModuloEnte>('ente_modulo'),
  enteSalva: (modulo: ModuloEnte) => invoke<Salvataggio>('ente_salva', { modulo }),
  /** Copies the logo the clerk chose (PNG or JPEG, ≤ 1 MB) into the data folder; the name to
   * put in `avviso.logo` (saved with the form). */
  enteLogo: (percorsoFile: string) => invoke<string>('ente_logo', { percorsoFile }),
  enteCompletezza: () => invoke<Completezza>('ente_completezza'),
  enteDocumenti: (cartella: string, apri = true) => invoke<EsitoDocumenti>('ente_documenti', { cartella, apri }),
  enteImportaProfilo: (percorsoFile: string) => invoke<string[]>('ente_importa_profilo', { percorsoFile }),
  enteEsportaProfilo: (percorsoFile: string) => invoke<string>('ente_esporta_profilo', { percorsoFile }),
  tassonomia: () => invoke<VoceTassonomia[]>('tassonomia_elenco'),
  /** Each payment type's taxonomy prefix in the form as typed (saved or not): what it means for
   * the request to pay in the debtor's bank app, and a warning when it looks unintended;
   * `null` for a code with no known prefix. */
  entePrefissi: (modulo: ModuloEnte) => invoke<(PrefissoTipo | null)[]>('ente_prefissi', { modulo }),
  passi: () => invoke<PassoRegistrato[]>('adesione_passi'),
  passoRegistra: (passo: string, data: string, nota?: string) =>
    invoke<PassoRegistrato[]>('adesione_passo_registra', { passo, data, nota: nota ?? null }),
  contributoStato: () => invoke<StatoContributo>('contributo_stato'),
  voceAggiungi: (voce: VoceNuova) => invoke<StatoContributo>('contributo_voce_aggiungi', { voce }),
  voceElimina: (id: number) => invoke<StatoContributo>('contributo_voce_elimina', { id }),
  importoAggiungi: (tipo: string, importo: string, data: string, riferimento?: string) =>
    invoke<StatoContributo>('contributo_importo_aggiungi', { tipo, importo, data, riferimento: riferimento ?? null }),
  importoElimina: (id: number) => invoke<StatoContributo>('contributo_importo_elimina', { id }),
  simula: (simulazione: SimulazioneContributo) => invoke<EsitoContributo>('contributo_simula', { simulazione }),
  riepilogoSalva: (percorsoFile: string) => invoke<string>('contributo_riepilogo_salva', { percorsoFile }),
}

/** A decimal string from the back end (`"9600.00"`, `"-5.5"`) → `9.600,00 €`. */
export function euroDecimale(s: string | null | undefined): string {
  if (s == null || s === '') return '—'
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim())
  if (!m) return s
  const dec = (m[3] ?? '').padEnd(2, '0').slice(0, 2)
  const int = m[2].replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, '.')
  return `${m[1]}${int},${dec} €`
}

/** A decimal string → a number of euros for the chart only (never for sums). */
export function numeroGrafico(s: string | null | undefined): number {
  const n = Number(s ?? 0)
  return Number.isFinite(n) ? n : 0
}

/**
 * The taxonomy entries matching a search, valid ones only, comuni first, at most `max`.
 * Each word of the query must appear in the code or the name; words of 4 letters or more (not codes) match
 * without their last letter too, so singular and plural find each other (mensa → Mense).
 */
export function cercaTassonomia(elenco: VoceTassonomia[], q: string, max = 40): VoceTassonomia[] {
  const parole = q.toLowerCase().split(/\s+/).filter(Boolean)
  const radici = parole.map((p) => (/^\p{L}{4,}$/u.test(p) ? p.slice(0, -1) : p))
  const trovati = elenco.filter((v) => {
    if (!v.valido) return false
    const testo = `${v.codice} ${v.nome}`.toLowerCase()
    return radici.every((r) => testo.includes(r))
  })
  const comune = (v: VoceTassonomia) => (v.ente.startsWith('COMUNE') ? 0 : 1)
  return [...trovati].sort((a, b) => comune(a) - comune(b)).slice(0, max)
}
