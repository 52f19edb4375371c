// Where to save a file: the system's save dialog, as Rapporto and Ricevute ask it; the
// extension added when the clerk typed a name without it.
import { save } from '@tauri-apps/plugin-dialog'

/** Today as `yyyy-mm-dd`, for the files' default names. */
export function oggiIso(adesso = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0')
  return `${adesso.getFullYear()}-${p(adesso.getMonth() + 1)}-${p(adesso.getDate())}`
}

/** Asks where to save a `.estensione` file; null when the clerk cancels. */
export async function chiediPercorso(titolo: string, nome: string, estensione: string, descrizione: string): Promise<string | null> {
  const percorso = await save({
    title: titolo,
    defaultPath: `${nome}.${estensione}`,
    filters: [{ name: descrizione, extensions: [estensione] }],
  })
  if (!percorso) return null
  return percorso.toLowerCase().endsWith(`.${estensione}`) ? percorso : `${percorso}.${estensione}`
}
