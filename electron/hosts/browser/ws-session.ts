/**
 * The browser host's WebSockets: each connection carries the contract of shared/ipc.ts as WsRequest
 * frames in and result and events frames out (ws-frames.ts). Every request goes through dispatch()
 * (schema validation, errors as values); a bad frame gets an error outcome and never closes the
 * server. Connections that stop answering pings are dropped.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { WsRequest, type Outcome, type SequencedEvent } from '../../../shared/ipc.js';
import type { Core } from '../../core/core.js';
import type { Logger } from '../../support/logger.js';
import { dispatch } from '../dispatch.js';
import { frameSender } from './ws-frames.js';

/** Largest WebSocket frame accepted: a 64 KiB message body, JSON-escaped, with room to spare. */
export const DEFAULT_MAX_PAYLOAD = 1024 * 1024;
/** Commands one connection may have running at once. */
const MAX_IN_FLIGHT = 64;
const HEARTBEAT_MS = 30_000;
/** The id used in an answer to a frame whose own id could not be read. */
export const UNKNOWN_REQUEST_ID = -1;

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

/** One connection: the core's events out, its requests dispatched, at most MAX_IN_FLIGHT at once. */
function openSession(ws: WebSocket, core: Core, logger: Logger): void {
  const frames = frameSender(ws, logger);
  let inFlight = 0;
  const unsubscribe = core.subscribe((event: SequencedEvent) => frames.event(event));

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) return frames.result({ kind: 'result', id: UNKNOWN_REQUEST_ID, outcome: invalid('frames must be JSON text') });
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return frames.result({ kind: 'result', id: UNKNOWN_REQUEST_ID, outcome: invalid('the frame is not JSON') });
    }
    const parsed = WsRequest.safeParse(json);
    if (!parsed.success) {
      return frames.result({
        kind: 'result',
        id: idOf(json),
        outcome: invalid('a request frame is {"id": integer, "command": string, "request": object}'),
      });
    }
    const { id, command, request } = parsed.data;
    if (inFlight >= MAX_IN_FLIGHT) {
      return frames.result({ kind: 'result', id, outcome: { ok: false, error: { code: 'failed', message: 'too many requests at once' } } });
    }
    inFlight++;
    dispatch(core, command, request)
      .catch((error: unknown): Outcome<unknown> => ({
        ok: false,
        error: { code: 'internal', message: error instanceof Error ? error.message : String(error) },
      }))
      .then((outcome) => {
        inFlight--;
        frames.result({ kind: 'result', id, outcome });
      });
  });
  ws.on('error', (error) => logger.debug('browser host: websocket error', { error }));
  ws.on('close', () => unsubscribe());
}

export interface WsSessions {
  /** Take an upgrade the access rules have admitted. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /**
   * Close every connection (terminated if still open after 1 s) and stop the heartbeat; returns what
   * to call once the HTTP server has closed (no connection is left to terminate then).
   */
  close(): () => void;
}

export function startWsSessions(core: Core, logger: Logger, maxPayload: number): WsSessions {
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();

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

  return {
    accept(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        alive.set(ws, true);
        ws.on('pong', () => alive.set(ws, true));
        openSession(ws, core, logger);
      });
    },
    close() {
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'Parley is shutting down');
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, 1000);
      force.unref();
      wss.close();
      return () => clearTimeout(force);
    },
  };
}
