import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

// design-react-kit and bootstrap-italia need these aliases and inlining under vitest
// (see the project's notes); `vite build` needs none of it.
const nm = (p: string) => fileURLToPath(new URL('./node_modules/' + p, import.meta.url))
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      'design-react-kit': nm('design-react-kit/dist/index.js'),
      'bootstrap-italia': nm('bootstrap-italia/dist/bootstrap-italia.esm.js'),
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    server: { deps: { inline: ['design-react-kit', 'bootstrap-italia'] } },
  },
})
