/**
 * The packaging check: `npm run build`, then electron-builder with electron-builder.yml into an
 * unpacked Linux app, then assertions on what the user would get: the app.asar, the desktop entry
 * and the icons.
 *
 * Why a stand-in Electron: the Electron distribution (and the headers to rebuild better-sqlite3
 * for its ABI) are downloaded from outside the npm registry, which is not reachable here. The app
 * folder, the asar and the desktop entry do not depend on Electron's own files, so a stand-in
 * folder (stand-in-electron.ts) gives the same asar. Packing skips the native rebuild, so the
 * Node build of better-sqlite3 that every other test loads stays as it is (checked below).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packUnpackedLinux, type UnpackedApp } from './pack-unpacked.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SQLITE_NODE = path.join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** What the main bundle loads at run time: the SQLite binding and the two modules that find it. */
const RUNTIME_MODULES = ['better-sqlite3', 'bindings', 'file-uri-to-path'];

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

let outDir = '';
let app: UnpackedApp;
let files: string[] = [];
let sqliteBefore = '';
const read = (name: string) => extractFile(app.asar, name).toString('utf8');

beforeAll(async () => {
  sqliteBefore = sha256(SQLITE_NODE);
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`npm run build failed:\n${built.stdout}\n${built.stderr}`);
  outDir = await mkdtemp(path.join(os.tmpdir(), 'parley-pack-'));
  app = await packUnpackedLinux(ROOT, outDir);
  files = listPackage(app.asar, { isPack: false }).map((name) =>
    name
      .replace(/^[\\/]/, '')
      .split(path.sep)
      .join('/'),
  );
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
  if (app?.electronDist) await rm(app.electronDist, { recursive: true, force: true });
});

describe('the packaged app (electron-builder.yml, unpacked Linux app)', () => {
  it('has the executable and the asar', () => {
    expect(path.basename(app.executable)).toBe('parley');
    expect(files.length).toBeGreaterThan(0);
  });

  it('starts where package.json says, with the preload and renderer the main bundle looks for', () => {
    const packed = JSON.parse(read('package.json')) as { main: string };
    expect(packed.main).toBe(pkg.main);
    expect(files).toContain(pkg.main);
    // electron/main/app.ts appPaths(): preload.cjs beside main.cjs, the renderer in ../renderer.
    const bundleDir = path.posix.dirname(pkg.main);
    expect(files).toContain(`${bundleDir}/preload.cjs`);
    expect(files).toContain(path.posix.join(bundleDir, '..', 'renderer', 'index.html'));
    const main = read(pkg.main);
    expect(main).toContain('preload.cjs');
    expect(main).toContain('"renderer"');
    // Every script and stylesheet the page asks for is in the archive.
    const html = read('dist/renderer/index.html');
    const refs = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `dist/renderer/${m[1]}`);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(files).toContain(ref);
  });

  it('bundles one preload, sandbox-safe', () => {
    expect(files.filter((name) => /preload/i.test(path.posix.basename(name)))).toEqual(['dist/electron/preload.cjs']);
    expect([...read('dist/electron/preload.cjs').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
  });

  it('holds no sources, tests, source maps or development files', () => {
    const offending = files.filter(
      (name) =>
        /\.(ts|tsx|mts|cts|map)$/.test(name) ||
        /(^|\/)(test|tests|__tests__|e2e|bench|server|shared|renderer\/src|electron\/(main|core|sip|hosts|storage))(\/|$)/.test(name) ||
        /\.(test|spec)\.[cm]?js$/.test(name) ||
        /(^|\/)(tsconfig\.json|vitest\.config\.|eslint\.config\.|electron-builder\.yml|package-lock\.json)/.test(name),
    );
    expect(offending).toEqual([]);
  });

  it('ships of node_modules only the runtime SQLite binding, no development dependency', () => {
    const modules = new Set(files.filter((name) => name.startsWith('node_modules/')).map((name) => name.split('/')[1]!));
    expect([...modules].sort()).toEqual([...RUNTIME_MODULES].sort());
    for (const dev of Object.keys(pkg.devDependencies)) expect(modules.has(dev)).toBe(false);
    // Native code cannot load from inside an archive: it is unpacked beside it.
    expect(
      readFileSync(path.join(`${app.asar}.unpacked`, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node')).length,
    ).toBeGreaterThan(0);
  });

  it("serves the renderer's HTML with its Content-Security-Policy", () => {
    const html = read('dist/renderer/index.html');
    const csp = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  });

  it('declares the sip, sips and im links in the desktop entry, with the icon set', () => {
    const mime = /^MimeType=(.*)$/m.exec(app.desktopEntry)?.[1];
    expect(mime).toBe('x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/im;');
    expect(app.desktopEntry).toMatch(/^Exec=.*parley %U$/m);
    expect(app.desktopEntry).toMatch(/^Categories=Network;InstantMessaging;$/m);
    expect(app.iconSizes).toEqual(expect.arrayContaining([16, 32, 48, 128, 256, 512]));
  });

  it('left the Node build of better-sqlite3 in node_modules as it was', () => {
    expect(sha256(SQLITE_NODE)).toBe(sqliteBefore);
  });
});
