/**
 * Builds the renderer into dist/renderer as plain files: no inline scripts or styles, so the strict
 * Content-Security-Policy below works both from the browser host (as a header) and in Electron.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The dev server's React refresh preamble is an inline script, which the CSP meta tag in
 * index.html would block; drop the meta tag while serving (never in a build).
 */
function dropCspMetaInDev(): Plugin {
  return {
    name: 'parley:drop-csp-meta-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

export default defineConfig({
  root,
  base: './',
  plugins: [react(), dropCspMetaInDev()],
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
