/**
 * Builds the renderer into dist/renderer as plain files: no inline scripts or styles, so the strict
 * Content-Security-Policy (shared/csp.ts, written into index.html by csp-meta.ts) works both from
 * the browser host and in Electron.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { cspMeta } from './csp-meta.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Everything as files: a data: URL for a script or a font would need a looser CSP.
    assetsInlineLimit: 0,
    sourcemap: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
