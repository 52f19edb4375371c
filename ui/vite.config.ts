import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The window loads ui/dist through Tauri's asset protocol: relative paths, no dev server in CI.
export default defineConfig({
  plugins: [react()],
  base: './',
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 2000 },
})
