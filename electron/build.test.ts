import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildElectron, checkPreloadMetafile } from './build.js';

describe('checkPreloadMetafile', () => {
  it('refuses a preload that bundles packages or requires anything but electron', () => {
    expect(
      checkPreloadMetafile({
        inputs: { 'electron/preload/preload.ts': { bytes: 1, imports: [] }, 'node_modules/zod/index.js': { bytes: 1, imports: [] } },
        outputs: {
          'dist/electron/preload.cjs': {
            bytes: 1,
            inputs: {},
            imports: [
              { path: 'electron', kind: 'require-call', external: true },
              { path: 'node:fs', kind: 'require-call', external: true },
            ],
            exports: [],
          },
        },
      }),
    ).toEqual(['preload bundles node_modules/zod/index.js', 'preload requires node:fs']);
  });
});

describe('buildElectron', () => {
  it('bundles main and a tiny, zod-free preload', async () => {
    const outDir = await mkdtemp(path.join(os.tmpdir(), 'parley-build-'));
    const { main, preload } = await buildElectron({ outDir });
    const preloadCode = await readFile(preload, 'utf8');
    expect(preloadCode).toContain('exposeInMainWorld("parley"');
    expect(preloadCode).not.toMatch(/zod/i);
    expect([...preloadCode.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preloadCode.length).toBeLessThan(8 * 1024);
    const mainCode = await readFile(main, 'utf8');
    expect(mainCode).toContain('require("electron")');
    expect((await stat(path.join(outDir, 'icon.png'))).size).toBeGreaterThan(0);
    expect((await stat(path.join(outDir, 'tray', 'busy@2x.png'))).size).toBeGreaterThan(0);
    await rm(outDir, { recursive: true, force: true });
  }, 30_000);
});
