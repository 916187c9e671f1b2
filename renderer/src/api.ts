/**
 * The renderer's one way to talk to the core: `getApi()` returns `window.parley` when the Electron
 * preload provided it, otherwise a WebSocket bridge to the browser host that implements the same
 * ParleyApi over the WsRequest / WsServerFrame wire format of shared/ipc.ts.
 *
 * Bridge connection states:
 *   connecting ──open──> open ──close──> closed ──back-off timer / reconnectNow()──> connecting
 * Requests made while not open wait (up to their timeout) and go out on the next open. Requests
 * already sent when the connection drops fail with a value (`ok: false`), never an exception:
 * whether the core ran them is unknown, and the store re-reads the snapshot after every reconnect.
 */
import { commandNames, type CommandName, type Outcome, type ParleyApi, type SequencedEvent } from '../../shared/ipc.js';
import { backoffDelay, type Backoff } from '../../shared/backoff.js';

export type ConnectionStatus =
  | { status: 'connecting'; attempt: number }
  | { status: 'open'; attempt: 0 }
  | { status: 'closed'; attempt: number; retryAt: number | null; reason: string };

/** ParleyApi plus what a UI needs to show and steer the link itself. */
export type ParleyClient = ParleyApi & {
  connection(): ConnectionStatus;
  onConnection(listener: (status: ConnectionStatus) => void): () => void;
  /** Skip the back-off wait (a "retry now" button, the network coming back). */
  reconnectNow(): void;
  /** Stop for good: close the socket, fail waiting requests, no more reconnects. */
  close(): void;
};

declare global {
  interface Window {
    /** Set by the Electron preload (contextBridge); absent in a plain browser. */
    parley?: ParleyApi;
  }
}

/** The part of a browser WebSocket the bridge uses (so tests can hand in a fake). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export interface WsBridgeOptions {
  url: string;
  createSocket?: (url: string) => SocketLike;
  /** A request that gets no answer within this time resolves as failed. Default 60 s. */
  requestTimeoutMs?: number;
  /** Reconnect back-off: base doubles per failed attempt up to max, with jitter. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const OPEN = 1;

interface Pending {
  frame: string;
  sent: boolean;
  timer: unknown;
  resolve: (outcome: Outcome<unknown>) => void;
}

function failure(message: string, code: 'failed' | 'internal' = 'failed'): Outcome<never> {
  return { ok: false, error: { code, message } };
}

export function createWsBridge(options: WsBridgeOptions): ParleyClient {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);
  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  // Jittered to 50-100 %, so the cap is a true ceiling: the banner never counts down past it.
  const backoff: Backoff = { firstMs: options.backoffBaseMs ?? 250, capMs: options.backoffMaxMs ?? 10_000, jitter: [0.5, 1] };
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));

  const eventListeners = new Set<(event: SequencedEvent) => void>();
  const connectionListeners = new Set<(status: ConnectionStatus) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let status: ConnectionStatus = { status: 'connecting', attempt: 1 };
  let reconnectTimer: unknown = null;
  let stopped = false;

  function setStatus(next: ConnectionStatus): void {
    status = next;
    for (const listener of [...connectionListeners]) {
      try {
        listener(next);
      } catch (error) {
        console.error('parley: connection listener failed', error);
      }
    }
  }

  function settle(id: number, outcome: Outcome<unknown>): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    clearTimer(entry.timer);
    entry.resolve(outcome);
  }

  function flush(): void {
    if (!socket || socket.readyState !== OPEN) return;
    for (const entry of pending.values()) {
      if (entry.sent) continue;
      socket.send(entry.frame);
      entry.sent = true;
    }
  }

  function onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object') return;
    const f = frame as { kind?: unknown; id?: unknown; outcome?: unknown; events?: unknown };
    if (f.kind === 'result' && typeof f.id === 'number') {
      const outcome = f.outcome as Outcome<unknown> | undefined;
      if (outcome && typeof outcome === 'object' && typeof outcome.ok === 'boolean') settle(f.id, outcome);
      else settle(f.id, failure('Parley sent a malformed answer', 'internal'));
    } else if (f.kind === 'events' && Array.isArray(f.events)) {
      for (const item of f.events as unknown[]) {
        if (!item || typeof item !== 'object') continue;
        const event = item as SequencedEvent;
        if (typeof event.type !== 'string' || typeof event.seq !== 'number') continue;
        for (const listener of [...eventListeners]) {
          try {
            listener(event);
          } catch (error) {
            console.error('parley: event listener failed', error);
          }
        }
      }
    }
  }

  function connect(attempt: number): void {
    if (stopped) return;
    reconnectTimer = null;
    setStatus({ status: 'connecting', attempt });
    let current: SocketLike;
    try {
      current = createSocket(options.url);
    } catch (error) {
      scheduleReconnect(attempt, error instanceof Error ? error.message : 'cannot open a connection');
      return;
    }
    socket = current;
    current.onopen = () => {
      if (socket !== current) return;
      setStatus({ status: 'open', attempt: 0 });
      flush();
    };
    current.onmessage = (event) => {
      if (socket === current) onFrame(event.data);
    };
    current.onerror = () => {
      /* a close event follows */
    };
    current.onclose = (event) => {
      if (socket !== current) return;
      socket = null;
      const wasOpen = status.status === 'open';
      for (const [id, entry] of [...pending]) {
        if (entry.sent) settle(id, failure('The connection to Parley was lost before it answered'));
      }
      if (stopped) return;
      const reason = event.reason || (wasOpen ? 'Connection to Parley lost' : 'Cannot connect to Parley');
      scheduleReconnect(wasOpen ? 1 : attempt + 1, reason);
    };
  }

  function scheduleReconnect(attempt: number, reason: string): void {
    if (stopped) return;
    const delay = backoffDelay(attempt - 1, backoff, random); // attempts count from 1
    setStatus({ status: 'closed', attempt, retryAt: now() + delay, reason });
    reconnectTimer = setTimer(() => connect(attempt), delay);
  }

  function call(command: CommandName, request: unknown): Promise<Outcome<unknown>> {
    if (stopped) return Promise.resolve(failure('The connection to Parley is closed'));
    const id = nextId++;
    return new Promise((resolve) => {
      const entry: Pending = {
        frame: JSON.stringify({ id, command, request: request ?? {} }),
        sent: false,
        timer: setTimer(() => settle(id, failure('Parley did not answer in time')), requestTimeoutMs),
        resolve,
      };
      pending.set(id, entry);
      flush();
    });
  }

  const commandsApi = {} as Record<CommandName, (request: unknown) => Promise<Outcome<unknown>>>;
  for (const name of commandNames) commandsApi[name] = (request: unknown) => call(name, request);

  connect(1);

  const client = {
    ...commandsApi,
    onEvent(listener: (event: SequencedEvent) => void) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    connection: () => status,
    onConnection(listener: (status: ConnectionStatus) => void) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    reconnectNow() {
      if (stopped || status.status !== 'closed') return;
      if (reconnectTimer !== null) clearTimer(reconnectTimer);
      connect(status.attempt);
    },
    close() {
      stopped = true;
      if (reconnectTimer !== null) clearTimer(reconnectTimer);
      const current = socket;
      socket = null;
      current?.close(1000, 'closed by the page');
      for (const id of [...pending.keys()]) settle(id, failure('The connection to Parley is closed'));
      setStatus({ status: 'closed', attempt: 0, retryAt: null, reason: 'Closed' });
    },
  };
  return client as unknown as ParleyClient;
}

/** Wrap the Electron preload's API: IPC is always connected. */
export function fromPreload(api: ParleyApi): ParleyClient {
  const open: ConnectionStatus = { status: 'open', attempt: 0 };
  return {
    ...api,
    connection: () => open,
    onConnection: () => () => {},
    reconnectNow: () => {},
    close: () => {},
  };
}

/** ws(s)://<same host>/ws for the page at `location`. */
export function bridgeUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
}

let instance: ParleyClient | null = null;

export function getApi(): ParleyClient {
  if (instance) return instance;
  if (window.parley) {
    instance = fromPreload(window.parley);
  } else {
    const client = createWsBridge({ url: bridgeUrl(window.location) });
    window.addEventListener('online', () => client.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') client.reconnectNow();
    });
    instance = client;
  }
  return instance;
}
