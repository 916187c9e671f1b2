/**
 * The browser host: the same core served to a browser on a loopback address, over HTTP (the built
 * renderer) and one WebSocket (the contract of shared/ipc.ts as WsRequest / WsServerFrame frames).
 *
 * Who may talk to it:
 *   - only loopback: it refuses to listen anywhere else;
 *   - Host header must be 127.0.0.1:port or localhost:port (or the bound loopback address): a page
 *     on another name that resolves to 127.0.0.1 (DNS rebinding) is refused;
 *   - a per-launch secret token on every request: `?token=` once (sets an HttpOnly, SameSite=Strict
 *     cookie and redirects to the same URL without the token), the cookie afterwards;
 *   - WebSocket upgrades need the cookie (or `?token=` for non-browser clients) and, when the
 *     client sends an Origin, exactly this host's own origin.
 * Every frame goes through dispatch() (schema validation, errors as values); a bad frame gets an
 * error outcome and never closes the server.
 */
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';
import { contentTypeOf } from '../content-types.js';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { BROWSER_CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';
import { WsRequest, type Outcome, type SequencedEvent, type WsServerFrame } from '../../../shared/ipc.js';
import type { Core } from '../../core/core.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { dispatch } from '../dispatch.js';

/** Largest WebSocket frame accepted: a 64 KiB message body, JSON-escaped, with room to spare. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** A client this far behind on events is disconnected; it reconnects and re-reads the snapshot. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Events of one turn travel together up to this size, then in the next frame. */
const MAX_EVENTS_FRAME_BYTES = 1024 * 1024;
/** Commands one connection may have running at once. */
const MAX_IN_FLIGHT = 64;
const HEARTBEAT_MS = 30_000;
/** The id used in an answer to a frame whose own id could not be read. */
export const UNKNOWN_REQUEST_ID = -1;

const UNAUTHORIZED_TEXT =
  'Parley: this page needs its access token.\n' + 'Open the URL Parley printed when it started (the one ending in ?token=...).\n';

export interface BrowserHostOptions {
  core: Core;
  /** A loopback address: 127.0.0.1 (default), another 127.x.y.z, ::1 or localhost. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** The access secret; a fresh random one per launch when omitted. */
  token?: string;
  logger?: Logger;
  maxPayload?: number;
}

export interface BrowserHost {
  /** The URL to open, token included: print it for the user. */
  url: string;
  token: string;
  port: number;
  /** Close every WebSocket and the HTTP server (the core is the caller's to stop). */
  close(): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (isIPv4(h)) return h.split('.')[0] === '127';
  if (isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
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

function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': BROWSER_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${body.length}\r\n\r\n` +
      text,
  );
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { core } = options;
  const logger = options.logger ?? silentLogger;
  const requestedHost = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(requestedHost)) {
    throw new Error(`browser host: refusing to listen on ${requestedHost}: only loopback addresses (127.0.0.1, ::1) are allowed`);
  }
  const bindHost = requestedHost.toLowerCase() === 'localhost' ? '127.0.0.1' : requestedHost.replace(/^\[(.*)\]$/, '$1');
  const token = options.token ?? randomBytes(24).toString('base64url');
  if (token.length < 16 || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new Error('browser host: the token must be at least 16 URL-safe characters');
  }
  const root = await realpath(options.staticDir);
  const maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;

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
      return new URL(raw, `http://${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`);
    } catch {
      return null;
    }
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return sendText(res, 400, 'Bad request\n');
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return sendText(res, 400, 'Bad request\n');
    if (decoded.endsWith('/')) decoded += 'index.html';
    if (decoded.split('/').some((segment) => segment.startsWith('.'))) return sendText(res, 404, 'Not found\n');
    const candidate = path.resolve(root, '.' + decoded);
    const inside = (p: string) => p === root || p.startsWith(root + path.sep);
    if (!inside(candidate)) return sendText(res, 404, 'Not found\n');
    let file: string;
    let size: number;
    try {
      file = await realpath(candidate);
      if (!inside(file)) return sendText(res, 404, 'Not found\n');
      const info = await stat(file);
      if (!info.isFile()) return sendText(res, 404, 'Not found\n');
      size = info.size;
    } catch {
      return sendText(res, 404, 'Not found\n');
    }
    const ext = path.extname(file).toLowerCase();
    const isHtml = ext === '.html';
    const hashedAsset = decoded.startsWith('/assets/') && !isHtml;
    res.writeHead(200, {
      ...securityHeaders(),
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(size),
      'Cache-Control': isHtml ? 'no-store' : hashedAsset ? 'private, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req)) {
      logger.debug('browser host: refused request with a foreign Host header', { hostHeader: req.headers.host });
      return sendText(res, 403, `Forbidden: open Parley at http://127.0.0.1:${port}/ (the URL it printed).\n`);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    }
    const url = parseUrl(req);
    if (!url) return sendText(res, 400, 'Bad request\n');

    const queryToken = url.searchParams.get('token');
    if (queryToken !== null) {
      if (!sameSecret(queryToken, token)) return sendText(res, 401, UNAUTHORIZED_TEXT);
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...securityHeaders(),
        'Set-Cookie': `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
        'Content-Length': '0',
      });
      res.end();
      return;
    }
    if (!tokenFrom(req, url, false)) return sendText(res, 401, UNAUTHORIZED_TEXT);
    if (url.pathname === '/ws') return sendText(res, 426, 'Upgrade Required\n', { Upgrade: 'websocket' });
    await serveStatic(req, res, url.pathname);
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      logger.error('browser host: request failed', { error });
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });

  // ---- WebSocket ----

  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

  /**
   * Events waiting for the end of this turn of the event loop, per connection, each already
   * serialised: a frame is cut at MAX_EVENTS_FRAME_BYTES, so one turn with many large events (a
   * roster of thousands, once per added contact) never becomes one string too large to build.
   */
  const pendingEvents = new Map<WebSocket, { texts: string[]; bytes: number }>();

  function queueEvent(ws: WebSocket, event: SequencedEvent): void {
    let text: string;
    try {
      text = JSON.stringify(event);
    } catch (error) {
      logger.error('browser host: cannot serialise an event', { error, type: event.type, seq: event.seq });
      return;
    }
    let queued = pendingEvents.get(ws);
    if (queued && queued.bytes + text.length > MAX_EVENTS_FRAME_BYTES) {
      flushEvents(ws);
      queued = undefined;
    }
    if (!queued) {
      queued = { texts: [], bytes: 0 };
      pendingEvents.set(ws, queued);
      const mine = queued;
      setImmediate(() => pendingEvents.get(ws) === mine && flushEvents(ws));
    }
    queued.texts.push(text);
    queued.bytes += text.length;
  }

  function flushEvents(ws: WebSocket): void {
    const queued = pendingEvents.get(ws);
    if (!queued) return;
    pendingEvents.delete(ws);
    sendFrame(ws, `{"kind":"events","events":[${queued.texts.join(',')}]}`);
  }

  /** A command's result; it never overtakes the events the core emitted before it. */
  function send(ws: WebSocket, frame: Extract<WsServerFrame, { kind: 'result' }>): void {
    flushEvents(ws);
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      logger.error('browser host: cannot serialise a frame', { error });
      text = JSON.stringify({
        kind: 'result',
        id: frame.id,
        outcome: { ok: false, error: { code: 'internal', message: 'the result could not be serialised' } },
      } satisfies WsServerFrame);
    }
    sendFrame(ws, text);
  }

  function sendFrame(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      ws.close(1013, 'too far behind: reconnect and reload the snapshot');
      return;
    }
    ws.send(text);
  }

  function invalid(message: string): Outcome<never> {
    return { ok: false, error: { code: 'invalid-request', message } };
  }

  function idOf(value: unknown): number {
    if (value && typeof value === 'object' && 'id' in value) {
      const id = (value as { id: unknown }).id;
      if (typeof id === 'number' && Number.isSafeInteger(id)) return id;
    }
    return UNKNOWN_REQUEST_ID;
  }

  function onConnection(ws: WebSocket): void {
    alive.set(ws, true);
    let inFlight = 0;
    ws.on('pong', () => alive.set(ws, true));
    const unsubscribe = core.subscribe((event: SequencedEvent) => queueEvent(ws, event));

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return send(ws, { kind: 'result', id: UNKNOWN_REQUEST_ID, outcome: invalid('frames must be JSON text') });
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return send(ws, { kind: 'result', id: UNKNOWN_REQUEST_ID, outcome: invalid('the frame is not JSON') });
      }
      const parsed = WsRequest.safeParse(json);
      if (!parsed.success) {
        return send(ws, {
          kind: 'result',
          id: idOf(json),
          outcome: invalid('a request frame is {"id": integer, "command": string, "request": object}'),
        });
      }
      const { id, command, request } = parsed.data;
      if (inFlight >= MAX_IN_FLIGHT) {
        return send(ws, { kind: 'result', id, outcome: { ok: false, error: { code: 'failed', message: 'too many requests at once' } } });
      }
      inFlight++;
      dispatch(core, command, request)
        .catch((error: unknown): Outcome<unknown> => ({
          ok: false,
          error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
        }))
        .then((outcome) => {
          inFlight--;
          send(ws, { kind: 'result', id, outcome });
        });
    });
    ws.on('error', (error) => logger.debug('browser host: websocket error', { error }));
    ws.on('close', () => unsubscribe());
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!hostAllowed(req)) return rejectUpgrade(socket, 403, 'Forbidden: unexpected Host\n');
    const url = parseUrl(req);
    if (!url || url.pathname !== '/ws') return rejectUpgrade(socket, 404, 'Not found\n');
    const origin = req.headers.origin;
    if (origin !== undefined && origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) {
      logger.debug('browser host: refused websocket from a foreign origin', { origin });
      return rejectUpgrade(socket, 403, 'Forbidden: foreign origin\n');
    }
    if (!tokenFrom(req, url, true)) return rejectUpgrade(socket, 401, UNAUTHORIZED_TEXT);
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate();
        continue;
      }
      alive.set(ws, false);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('browser host: no TCP address');
  port = address.port;
  cookieName = `parley_token_${port}`;
  const shownHost = bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  for (const h of new Set([`127.0.0.1:${port}`, `localhost:${port}`, `${shownHost}:${port}`])) allowedHosts.add(h.toLowerCase());
  server.on('error', (error) => logger.error('browser host: server error', { error }));

  const url = `http://${shownHost}:${port}/?token=${token}`;
  let closing: Promise<void> | null = null;

  return {
    url,
    token,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.close(1001, 'Parley is shutting down');
        const force = setTimeout(() => {
          for (const ws of wss.clients) ws.terminate();
        }, 1000);
        force.unref();
        wss.close();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}
