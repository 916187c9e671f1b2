/**
 * Who may talk to the browser host:
 *   - only loopback: it refuses to listen anywhere else;
 *   - Host header must be 127.0.0.1:port or localhost:port (or the bound loopback address): a page
 *     on another name that resolves to 127.0.0.1 (DNS rebinding) is refused;
 *   - a per-launch secret token on every request: `?token=` once (sets an HttpOnly, SameSite=Strict
 *     cookie and redirects to the same URL without the token), the cookie afterwards;
 *   - WebSocket upgrades need the cookie (or `?token=` for non-browser clients) and, when the
 *     client sends an Origin, exactly this host's own origin.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../support/logger.js';
import { rejectUpgrade, securityHeaders, sendText } from './responses.js';

const UNAUTHORIZED_TEXT =
  'Parley: this page needs its access token.\n' + 'Open the URL Parley printed when it started (the one ending in ?token=...).\n';

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.split('.')[0] === '127';
  if (isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** The address to bind for a requested host; throws unless it is a loopback address. */
export function loopbackBindAddress(requestedHost: string): string {
  if (!isLoopbackHost(requestedHost)) {
    throw new Error(`browser host: refusing to listen on ${requestedHost}: only loopback addresses (127.0.0.1, ::1) are allowed`);
  }
  return requestedHost.toLowerCase() === 'localhost' ? '127.0.0.1' : requestedHost.replace(/^\[(.*)\]$/, '$1');
}

/** An address as it stands in a URL or a Host header (IPv6 in brackets). */
export function hostInUrl(bindHost: string): string {
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

/** The given token, checked, or a fresh random one for this launch. */
export function launchToken(given?: string): string {
  const token = given ?? randomBytes(24).toString('base64url');
  if (token.length < 16 || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new Error('browser host: the token must be at least 16 URL-safe characters');
  }
  return token;
}

/** Compare secrets in constant time whatever their lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export interface Access {
  /** Once listening: the Host headers that name this host, and the port's own cookie. */
  listening(port: number): void;
  /**
   * The gate of an HTTP request: the URL to serve, or null when it has been answered (refused, or
   * redirected after taking `?token=`).
   */
  admitRequest(req: IncomingMessage, res: ServerResponse): URL | null;
  /** The gate of a WebSocket upgrade to `path`: true to accept it, false when it has been refused. */
  admitUpgrade(req: IncomingMessage, socket: Duplex, path: string): boolean;
}

export function createAccess(bindHost: string, token: string, logger: Logger): Access {
  let port = 0;
  let cookieName = 'parley_token';
  const allowedHosts = new Set<string>();

  function hostAllowed(req: IncomingMessage): boolean {
    return allowedHosts.has((req.headers.host ?? '').toLowerCase());
  }

  function tokenFrom(req: IncomingMessage, url: URL, allowQuery: boolean): boolean {
    const cookie = readCookie(req.headers.cookie, cookieName);
    if (cookie !== null && sameSecret(cookie, token)) return true;
    const query = allowQuery ? url.searchParams.get('token') : null;
    return query !== null && sameSecret(query, token);
  }

  function parseUrl(req: IncomingMessage): URL | null {
    const raw = req.url ?? '';
    if (!raw.startsWith('/')) return null;
    try {
      return new URL(raw, `http://${hostInUrl(bindHost)}:${port}`);
    } catch {
      return null;
    }
  }

  return {
    listening(listeningPort) {
      port = listeningPort;
      cookieName = `parley_token_${port}`;
      for (const h of new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${hostInUrl(bindHost)}:${port}`])) {
        allowedHosts.add(h.toLowerCase());
      }
    },

    admitRequest(req, res) {
      if (!hostAllowed(req)) {
        logger.debug('browser host: refused request with a foreign Host header', { hostHeader: req.headers.host });
        sendText(res, 403, `Forbidden: open Parley at http://127.0.0.1:${port}/ (the URL it printed).\n`);
        return null;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
        return null;
      }
      const url = parseUrl(req);
      if (!url) {
        sendText(res, 400, 'Bad request\n');
        return null;
      }
      const queryToken = url.searchParams.get('token');
      if (queryToken !== null) {
        if (!sameSecret(queryToken, token)) {
          sendText(res, 401, UNAUTHORIZED_TEXT);
          return null;
        }
        url.searchParams.delete('token');
        res.writeHead(303, {
          ...securityHeaders(),
          'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname + url.search,
          'Cache-Control': 'no-store',
          'Content-Length': '0',
        });
        res.end();
        return null;
      }
      if (!tokenFrom(req, url, false)) {
        sendText(res, 401, UNAUTHORIZED_TEXT);
        return null;
      }
      return url;
    },

    admitUpgrade(req, socket, path) {
      if (!hostAllowed(req)) {
        rejectUpgrade(socket, 403, 'Forbidden: unexpected Host\n');
        return false;
      }
      const url = parseUrl(req);
      if (!url || url.pathname !== path) {
        rejectUpgrade(socket, 404, 'Not found\n');
        return false;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) {
        logger.debug('browser host: refused websocket from a foreign origin', { origin });
        rejectUpgrade(socket, 403, 'Forbidden: foreign origin\n');
        return false;
      }
      if (!tokenFrom(req, url, true)) {
        rejectUpgrade(socket, 401, UNAUTHORIZED_TEXT);
        return false;
      }
      return true;
    },
  };
}
