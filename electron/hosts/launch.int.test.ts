/**
 * launch() end to end where Electron is not installed: the real core and the real browser host,
 * served from a temporary root with a tiny prebuilt interface.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { launch, type LaunchHandle } from './launch.js';

let root = '';
let handle: LaunchHandle | null = null;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'parley-launch-int-'));
  await mkdir(path.join(root, 'dist', 'renderer'), { recursive: true });
  await writeFile(path.join(root, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Parley test</title>');
});
afterEach(async () => {
  await handle?.close();
  handle = null;
  await rm(root, { recursive: true, force: true });
});

describe('launch without the Electron runtime', () => {
  it('serves Parley to the browser, says why, and stops cleanly', async () => {
    const lines: string[] = [];
    handle = await launch({
      root,
      dataDir: path.join(root, 'data'),
      listen: '127.0.0.1:0',
      build: false,
      open: false,
      handleSignals: false,
      print: (line) => void lines.push(line),
    });
    expect(handle.host).toBe('browser');
    expect(lines[0]).toBe(
      'Parley: Electron runtime not installed (the electron package is not installed); serving Parley to your browser instead.',
    );
    expect(lines).toContain(`Parley is at ${handle.url}`);
    expect(handle.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);

    const first = await fetch(handle.url ?? '', { redirect: 'manual' });
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const page = await fetch(new URL('/', handle.url), { headers: { cookie } });
    expect(await page.text()).toContain('<title>Parley test</title>');

    await handle.close();
    expect(await handle.done).toBe(0);
  });

  it('fails plainly when the interface was never built', async () => {
    await rm(path.join(root, 'dist'), { recursive: true });
    await expect(launch({ root, dataDir: path.join(root, 'data'), build: false, handleSignals: false, print: () => {} })).rejects.toThrow(
      /interface is not built/,
    );
  });

  it('refuses --electron when the runtime is missing', async () => {
    await expect(
      launch({ root, mode: 'electron', dataDir: path.join(root, 'data'), build: false, handleSignals: false, print: () => {} }),
    ).rejects.toThrow(/Electron runtime not installed/);
  });
});
