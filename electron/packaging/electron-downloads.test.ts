import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronDownloads, looksLikeFetchFailure, unfetchable, unfetchableMessage } from './electron-downloads.js';

const linux = { platform: 'linux' as const, arch: 'x64' };

describe('electronDownloads', () => {
  it('names the runtime zip and the headers, from GitHub or ELECTRON_MIRROR', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'parley-home-'));
    const [runtime, headers] = electronDownloads('45.5.0', linux, {}, home);
    expect(runtime!.url).toBe('https://github.com/electron/electron/releases/download/v45.5.0/electron-v45.5.0-linux-x64.zip');
    expect(headers!.url).toBe('https://www.electronjs.org/headers/v45.5.0/node-v45.5.0-headers.tar.gz');
    expect(runtime!.cached || headers!.cached).toBe(false);
    expect(electronDownloads('45.5.0', linux, { ELECTRON_MIRROR: 'https://mirror.test/electron' }, home)[0]!.url).toBe(
      'https://mirror.test/electron/v45.5.0/electron-v45.5.0-linux-x64.zip',
    );
  });

  it('knows a runtime already in the Electron cache and headers already unpacked', () => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'parley-home-'));
    const cache = path.join(home, '.cache', 'electron', 'a1b2');
    mkdirSync(cache, { recursive: true });
    writeFileSync(path.join(cache, 'electron-v45.5.0-linux-x64.zip'), '');
    const include = path.join(home, '.electron-gyp', '45.5.0', 'include', 'node');
    mkdirSync(include, { recursive: true });
    writeFileSync(path.join(include, 'node.h'), '');
    expect(electronDownloads('45.5.0', linux, {}, home).map((d) => d.cached)).toEqual([true, true]);
  });
});

describe('unfetchable', () => {
  const download = (url: string, cached = false) => ({ what: url, url, cached });

  it('reports network errors by code and HTTP errors by status; redirects and cached files are fine', async () => {
    const fakeFetch = (async (url: string) => {
      if (url.includes('offline')) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
      return new Response(null, { status: url.includes('gone') ? 404 : 302 });
    }) as typeof fetch;
    const result = await unfetchable(
      [
        download('https://offline.test/a'),
        download('https://gone.test/b'),
        download('https://ok.test/c'),
        download('https://offline.test/cached', true),
      ],
      fakeFetch,
    );
    expect(result.map((r) => [r.download.url, r.error])).toEqual([
      ['https://offline.test/a', 'ENOTFOUND'],
      ['https://gone.test/b', 'HTTP 404'],
    ]);
  });
});

describe('the message', () => {
  it("recognises electron-builder's offline failure", () => {
    expect(looksLikeFetchFailure('  ⨯ getaddrinfo ENOTFOUND github.com  failedTask=build stackTrace=RequestError')).toBe(true);
    expect(looksLikeFetchFailure('  ⨯ Cannot find module main.cjs')).toBe(false);
  });

  it('says what could not be fetched, from where, and where to build instead', () => {
    const text = unfetchableMessage([
      { download: { what: 'the Electron 45.5.0 runtime for linux-x64', url: 'https://x.test/e.zip', cached: false }, error: 'ENOTFOUND' },
    ]);
    expect(text).toContain('the Electron 45.5.0 runtime for linux-x64');
    expect(text).toContain('https://x.test/e.zip');
    expect(text).toContain('(ENOTFOUND)');
    expect(text).toContain('npm ci && npm run dist');
    expect(text).toContain('ELECTRON_MIRROR');
  });
});
