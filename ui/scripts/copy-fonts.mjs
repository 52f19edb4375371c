// Copies bootstrap-italia's fonts into public/fonts: the app is offline, so the fonts are
// served by the app itself, never from a CDN or node_modules at run time.
import { cpSync, existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const from = fileURLToPath(new URL('../node_modules/bootstrap-italia/dist/fonts', import.meta.url))
const to = fileURLToPath(new URL('../public/fonts', import.meta.url))
if (!existsSync(from)) {
  console.error('copy-fonts: bootstrap-italia is not installed: run npm ci')
  process.exit(1)
}
cpSync(from, to, { recursive: true, filter: (p) => !/\.(eot|svg)$/.test(p) })
console.log('copy-fonts: fonts copied to public/fonts')
