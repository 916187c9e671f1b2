/**
 * What `npm run dist` must download beyond the npm registry, whether it can, and the one message
 * for when it cannot. electron-builder fetches the Electron runtime for the target (a zip from
 * GitHub releases, or ELECTRON_MIRROR) and @electron/rebuild fetches Electron's headers to
 * rebuild better-sqlite3 for Electron's ABI. Offline, electron-builder stops with a bare
 * "getaddrinfo ENOTFOUND github.com", after the rebuild has already rewritten
 * node_modules/better-sqlite3; asking first leaves node_modules alone.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Download {
  what: string;
  url: string;
  /** Already on this machine, so nothing needs fetching. */
  cached: boolean;
}

export interface Unfetchable {
  download: Download;
  error: string;
}

const RELEASES = 'https://github.com/electron/electron/releases/download/';
const HEADERS = 'https://www.electronjs.org/headers';

/** @electron/get's cache folder for each OS (ELECTRON_CACHE overrides it). */
function electronCacheDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, home: string): string {
  if (env.ELECTRON_CACHE) return env.ELECTRON_CACHE;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'electron');
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'electron', 'Cache');
  return path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'electron');
}

/** Is `name` in `dir` or one folder below it (the cache keeps each download in a hashed folder)? */
function hasFileWithin(dir: string, name: string): boolean {
  if (existsSync(path.join(dir, name))) return true;
  try {
    return readdirSync(dir, { withFileTypes: true }).some((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, name)));
  } catch {
    return false;
  }
}

export function electronDownloads(
  version: string,
  target: { platform: NodeJS.Platform; arch: string } = { platform: process.platform, arch: process.arch },
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): Download[] {
  const zip = `electron-v${version}-${target.platform}-${target.arch}.zip`;
  const mirror = env.ELECTRON_MIRROR ?? RELEASES;
  return [
    {
      what: `the Electron ${version} runtime for ${target.platform}-${target.arch}`,
      url: `${mirror.endsWith('/') ? mirror : `${mirror}/`}v${version}/${zip}`,
      cached: hasFileWithin(electronCacheDir(env, target.platform, home), zip),
    },
    {
      what: `Electron ${version}'s headers, to rebuild better-sqlite3 for Electron`,
      url: `${HEADERS}/v${version}/node-v${version}-headers.tar.gz`,
      cached: existsSync(path.join(home, '.electron-gyp', version, 'include', 'node', 'node.h')),
    },
  ];
}

/** Asks for each download that is not cached (HEAD, no body); the ones that cannot be fetched. */
export async function unfetchable(downloads: Download[], fetchFn: typeof fetch = fetch, timeoutMs = 10_000): Promise<Unfetchable[]> {
  const checks = downloads
    .filter((download) => !download.cached)
    .map(async (download): Promise<Unfetchable | null> => {
      try {
        const response = await fetchFn(download.url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
        return response.status < 400 ? null : { download, error: `HTTP ${response.status}` };
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        return { download, error: cause?.code ?? cause?.message ?? (error as Error).message };
      }
    });
  return (await Promise.all(checks)).filter((item): item is Unfetchable => item !== null);
}

/** electron-builder's own words when a download failed (for a failure the probe did not foresee). */
export function looksLikeFetchFailure(output: string): boolean {
  return /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH)\b|cannot download|Request(Error)?:.*(github|electronjs)/i.test(
    output,
  );
}

export function unfetchableMessage(items: Unfetchable[]): string {
  return [
    'npm run dist: packaging needs downloads that cannot be fetched from this machine:',
    ...items.map(({ download, error }) => `  - ${download.what}\n    ${download.url}\n    (${error})`),
    '',
    'Nothing was packaged, and node_modules was left as it is. The app itself is built (npm run build: dist/).',
    'Build the installers where those addresses can be reached (or set ELECTRON_MIRROR to a mirror that can):',
    '  npm ci && npm run dist',
    'Here, `npm test` runs the packaging check, which packs the app with a stand-in Electron.',
  ].join('\n');
}
