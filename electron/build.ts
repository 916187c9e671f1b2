/**
 * Bundles the Electron shell with esbuild (no type checking; `npm run typecheck` does that):
 *   electron/main/main.ts       -> dist/electron/main.cjs     (Node, native modules left external)
 *   electron/preload/preload.ts -> dist/electron/preload.cjs  (sandboxed: may require only 'electron')
 *   electron/storage/history/history-worker.ts -> dist/electron/history-worker.cjs (the history
 *     worker thread; main.cjs starts it from beside itself)
 * and copies assets/icon.png next to them for the window and notifications, and assets/tray/ (a
 * picture per presence state and the macOS template, made by `npm run icons`) into tray/.
 *
 * Run: `tsx electron/build.ts [--minify] [--sourcemap]`, or call buildElectron() from code.
 */
import { copyFile, cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';

/** Modules the main bundle must load from node_modules at run time (native code, or Electron itself). */
export const MAIN_EXTERNALS = ['electron', 'better-sqlite3', 'bufferutil', 'utf-8-validate', 'fsevents'];

/** Code written as ESM may read import.meta.url; in a CJS bundle it names the bundle file. */
export const CJS_IMPORT_META_URL = {
  define: { 'import.meta.url': '__parleyImportMetaUrl' },
  banner: { js: 'const __parleyImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
};

/** What a sandboxed preload may require. */
const PRELOAD_ALLOWED_REQUIRES = new Set(['electron']);

export interface BuildOptions {
  /** Repository root (the folder with package.json). */
  root?: string;
  /** Where the bundles go; <root>/dist/electron by default. */
  outDir?: string;
  minify?: boolean;
  sourcemap?: boolean;
  /** Print a line per output. */
  log?: (line: string) => void;
}

export interface BuildResult {
  main: string;
  preload: string;
  historyWorker: string;
}

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The preload must stay tiny and self-contained: no zod, no Node modules, only 'electron'. */
export function checkPreloadMetafile(metafile: Metafile): string[] {
  const problems: string[] = [];
  for (const input of Object.keys(metafile.inputs)) {
    if (input.includes('node_modules/')) problems.push(`preload bundles ${input}`);
  }
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) {
      if (imported.external && !PRELOAD_ALLOWED_REQUIRES.has(imported.path)) {
        problems.push(`preload requires ${imported.path}`);
      }
    }
  }
  return problems;
}

function commonOptions(root: string, options: BuildOptions) {
  return {
    bundle: true,
    format: 'cjs' as const,
    minify: options.minify ?? false,
    sourcemap: options.sourcemap ?? false,
    legalComments: 'none' as const,
    logLevel: 'warning' as const,
    absWorkingDir: root,
    metafile: true,
  };
}

/**
 * One bundle run by Node as the shell's main process runs its code (native modules from
 * node_modules, so `outfile` must lie inside `root`): the main bundle, the history worker, and
 * code a benchmark measures as it would run in the app (bench/history.ts).
 */
export function bundleForNode(root: string, entry: string, outfile: string, options: BuildOptions = {}) {
  return build({
    ...commonOptions(root, options),
    entryPoints: [path.join(root, entry)],
    outfile,
    platform: 'node',
    target: 'node22',
    external: MAIN_EXTERNALS,
    ...CJS_IMPORT_META_URL,
  });
}

export async function buildElectron(options: BuildOptions = {}): Promise<BuildResult> {
  const root = options.root ?? defaultRoot;
  const outDir = options.outDir ?? path.join(root, 'dist', 'electron');
  const main = path.join(outDir, 'main.cjs');
  const preload = path.join(outDir, 'preload.cjs');
  const historyWorker = path.join(outDir, 'history-worker.cjs');

  const [mainResult, preloadResult, workerResult] = await Promise.all([
    bundleForNode(root, 'electron/main/main.ts', main, options),
    build({
      ...commonOptions(root, options),
      entryPoints: [path.join(root, 'electron/preload/preload.ts')],
      outfile: preload,
      platform: 'node',
      target: 'chrome130',
      external: ['electron'],
    }),
    bundleForNode(root, 'electron/storage/history/history-worker.ts', historyWorker, options),
  ]);

  const metafileOf = (result: typeof mainResult): Metafile => result.metafile ?? { inputs: {}, outputs: {} };
  const problems = checkPreloadMetafile(metafileOf(preloadResult));
  if (problems.length > 0) throw new Error(`the preload is not sandbox-safe:\n  ${problems.join('\n  ')}`);

  await mkdir(outDir, { recursive: true });
  await copyFile(path.join(root, 'assets', 'icon.png'), path.join(outDir, 'icon.png'));
  await cp(path.join(root, 'assets', 'tray'), path.join(outDir, 'tray'), { recursive: true });

  const log = options.log ?? (() => {});
  const size = (result: typeof mainResult, file: string) =>
    metafileOf(result).outputs[path.relative(root, file).split(path.sep).join('/')]?.bytes ?? 0;
  log(`built ${path.relative(root, main)} (${Math.round(size(mainResult, main) / 1024)} KiB)`);
  log(`built ${path.relative(root, preload)} (${Math.round(size(preloadResult, preload) / 1024)} KiB)`);
  log(`built ${path.relative(root, historyWorker)} (${Math.round(size(workerResult, historyWorker) / 1024)} KiB)`);
  return { main, preload, historyWorker };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const args = new Set(process.argv.slice(2));
  buildElectron({
    minify: args.has('--minify'),
    sourcemap: args.has('--sourcemap'),
    log: (line) => console.log(line),
  }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
