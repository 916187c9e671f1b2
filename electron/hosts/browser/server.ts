/**
 * The browser host: the same core served to a browser on a loopback address, over HTTP (the built
 * renderer, static-files.ts) and one WebSocket (the contract of shared/ipc.ts, ws-session.ts).
 * Who may talk to it is decided in access.ts: loopback only, the Host and Origin checks and the
 * per-launch token. Every answer carries the CSP (responses.ts).
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Core } from '../../core/core.js';
import { silentLogger, type Logger } from '../../support/logger.js';
import { createAccess, hostInUrl, launchToken, loopbackBindAddress } from './access.js';
import { sendText } from './responses.js';
import { openStaticFiles } from './static-files.js';
import { DEFAULT_MAX_PAYLOAD, startWsSessions } from './ws-session.js';

const WS_PATH = '/ws';

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

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const logger = options.logger ?? silentLogger;
  const bindHost = loopbackBindAddress(options.host ?? '127.0.0.1');
  const token = launchToken(options.token);
  const files = await openStaticFiles(options.staticDir);
  const access = createAccess(bindHost, token, logger);

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = access.admitRequest(req, res);
    if (!url) return;
    if (url.pathname === WS_PATH) return sendText(res, 426, 'Upgrade Required\n', { Upgrade: 'websocket' });
    await files.serve(req, res, url.pathname);
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      logger.error('browser host: request failed', { error });
      if (!res.headersSent) sendText(res, 500, 'Internal error\n');
      else res.destroy();
    });
  });

  const sessions = startWsSessions(options.core, logger, options.maxPayload ?? DEFAULT_MAX_PAYLOAD);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (access.admitUpgrade(req, socket, WS_PATH)) sessions.accept(req, socket, head);
  });

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
  const port = address.port;
  access.listening(port);
  server.on('error', (error) => logger.error('browser host: server error', { error }));

  const url = `http://${hostInUrl(bindHost)}:${port}/?token=${token}`;
  let closing: Promise<void> | null = null;

  return {
    url,
    token,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const closed = sessions.close();
        server.close(() => {
          closed();
          resolve();
        });
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}
