/**
 * Serves the built renderer (dist/renderer) for app://parley/... requests.
 *
 * Only GET/HEAD, only host `parley`, and only files inside the root: the decoded path is
 * resolved against the root and refused if it escapes it (`..`, encoded slashes, backslashes,
 * NUL bytes). Every response carries the CSP, because session.webRequest header hooks do not
 * run for custom protocols.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeOf } from '../content-types.js';
import { APP_HOST, APP_SCHEME, SECURITY_HEADERS } from './security.js';

export { contentTypeOf };

/**
 * The file an app:// URL names inside `rootDir`, or null when the URL is not ours or would
 * leave the root. A path ending in `/` means its index.html.
 */
export function resolveAppAsset(rootDir: string, rawUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname.endsWith('/')) pathname += 'index.html';
  const root = path.resolve(rootDir);
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
  const relative = path.relative(root, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return file;
}

function plain(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
  });
}

/** The handler given to protocol.handle('app', ...). */
export function createAppRequestHandler(options: { rootDir: string }): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveAppAsset(options.rootDir, request.url);
    if (file === null) return plain(404, 'not found');
    try {
      const info = await stat(file);
      if (!info.isFile()) return plain(404, 'not found');
      const body = request.method === 'HEAD' ? null : await readFile(file);
      return new Response(body, {
        status: 200,
        headers: {
          'Content-Type': contentTypeOf(file),
          'Cache-Control': 'no-cache',
          ...SECURITY_HEADERS,
        },
      });
    } catch {
      return plain(404, 'not found');
    }
  };
}
