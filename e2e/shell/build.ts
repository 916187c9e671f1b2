/**
 * Builds what a harness launch runs: the shell's own bundles (electron/build.ts: the preload, the
 * history worker) and the main process bundled with `electron` resolved to the stand-in
 * (e2e/shell/stand-in/electron.ts), as ESM so each launch can import a fresh copy of it.
 */
import path from 'node:path';
import { build } from 'esbuild';
import { buildElectron, MAIN_EXTERNALS } from '../../electron/build.js';
import { ROOT } from '../fixtures.js';

export const HARNESS_DIR = path.join(ROOT, 'dist', 'shell-harness');

/** Returns the harness bundle's path; the preload and the worker sit beside it. */
export async function buildShellHarness(outDir = HARNESS_DIR): Promise<string> {
  await buildElectron({ root: ROOT, outDir });
  const outfile = path.join(outDir, 'shell-harness.mjs');
  await build({
    entryPoints: [path.join(ROOT, 'e2e/shell/entry.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    absWorkingDir: ROOT,
    logLevel: 'warning',
    alias: { electron: path.join(ROOT, 'e2e/shell/stand-in/electron.ts') },
    external: MAIN_EXTERNALS.filter((name) => name !== 'electron'),
    // CommonJS dependencies in an ESM bundle still call require() for Node's modules.
    banner: {
      js: 'import { createRequire as __parleyCreateRequire } from "node:module"; const require = __parleyCreateRequire(import.meta.url);',
    },
  });
  return outfile;
}
