/**
 * The browser host's access rules and static serving, against a hand-written Core test double
 * (the real core is exercised end to end by e2e/).
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { SequencedEvent, WsServerFrame } from '../../../shared/ipc.js';
import { UserError, type CommandHandlers, type Core } from '../../core/core.js';
import { BROWSER_CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';
import { isLoopbackHost } from './access.js';
import { startBrowserHost, type BrowserHost } from './server.js';
import { UNKNOWN_REQUEST_ID } from './ws-session.js';
import { emptySnapshot, unusedCommands } from '../../testing/host-fakes.js';

const SNAPSHOT = emptySnapshot(3);

class FakeCore implements Core {
  readonly listeners = new Set<(event: SequencedEvent) => void>();
  readonly calls: { name: string; request: unknown }[] = [];
  readonly commands: CommandHandlers = {
    ...unusedCommands(),
    getSnapshot: async (request) => {
      this.calls.push({ name: 'getSnapshot', request });
      return SNAPSHOT;
    },
    setAccount: async () => {
      throw new UserError('the account was given on the command line', 'failed');
    },
    removeAccount: async () => ({ removed: false }),
    register: async () => {
      throw new Error('boom');
    },
    unregister: async () => ({ state: 'unregistered' }),
    sendMessage: async () => {
      throw new UserError('no account', 'not-configured');
    },
    getPeerOptions: async ({ peer }) => ({ peer, newCallIdPerMessage: false, decidedBy: 'default' as const }),
    setPeerOptions: async ({ peer, newCallIdPerMessage }) => ({ peer, newCallIdPerMessage, decidedBy: 'user' as const }),
    getMessages: async () => [],
  };
  subscribe(listener: (event: SequencedEvent) => void) {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
  emit(event: SequencedEvent) {
    for (const l of this.listeners) l(event);
  }
  async start() {}
  async stop() {}
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(port: number, pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, method, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

type WsResult = { open: true; ws: WebSocket } | { open: false; status: number; body: string };

function connect(port: number, options: { path?: string; headers?: Record<string, string>; maxPayload?: number } = {}): Promise<WsResult> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}`, {
      headers: { Host: `127.0.0.1:${port}`, ...options.headers },
    });
    ws.once('open', () => resolve({ open: true, ws }));
    ws.once('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ open: false, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    ws.once('error', (error) => reject(error));
  });
}

/** Next frame from the host, parsed. */
function nextFrame(ws: WebSocket): Promise<WsServerFrame> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)) as WsServerFrame)));
}

let dir: string;
let staticDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'parley-browser-host-'));
  staticDir = path.join(dir, 'www');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Parley</title>');
  await writeFile(path.join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(path.join(staticDir, 'assets', 'app-1234.css'), 'body{}');
  await writeFile(path.join(staticDir, 'assets', 'blob.bin'), 'x');
  await writeFile(path.join(staticDir, '.env'), 'HIDDEN');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP SECRET');
  await symlink(dir, path.join(staticDir, 'escape'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startBrowserHost', () => {
  let host: BrowserHost | undefined;
  let core: FakeCore;
  const open = async (extra: { token?: string; maxPayload?: number } = {}) => {
    core = new FakeCore();
    host = await startBrowserHost({ core, staticDir, ...extra });
    return host;
  };
  const cookie = () => `parley_token_${host!.port}=${host!.token}`;

  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  it('listens on loopback only', async () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.8.9.10')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    for (const bad of ['0.0.0.0', '::', '192.168.1.10', 'example.org', '128.0.0.1']) {
      expect(isLoopbackHost(bad)).toBe(false);
      await expect(startBrowserHost({ core: new FakeCore(), staticDir, host: bad })).rejects.toThrow(/loopback/);
    }
  });

  it('prints a URL with a fresh random token on 127.0.0.1', async () => {
    const { url, token, port } = await open();
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    const other = await startBrowserHost({ core: new FakeCore(), staticDir });
    expect(other.token).not.toBe(token);
    await other.close();
  });

  it('refuses a request without the token, with a hint to use the printed URL', async () => {
    const { port } = await open();
    for (const pathname of ['/', '/index.html', '/assets/app-1234.js', '/?token=wrong']) {
      const reply = await request(port, pathname);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatch(/URL Parley printed/);
      expect(reply.headers['cache-control']).toBe('no-store');
    }
    const wrongCookie = await request(port, '/', { Cookie: `parley_token_${port}=nope` });
    expect(wrongCookie.status).toBe(401);
  });

  it('takes ?token= once: sets an HttpOnly SameSite=Strict cookie and redirects without the token', async () => {
    const { port, token } = await open();
    const reply = await request(port, `/?token=${token}&lang=en`);
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/?lang=en');
    expect(reply.headers['set-cookie']).toEqual([`parley_token_${port}=${token}; HttpOnly; SameSite=Strict; Path=/`]);
    const bare = await request(port, `/?token=${token}`);
    expect(bare.headers.location).toBe('/');
  });

  it('serves the app with the cookie, with security headers and content types', async () => {
    const { port } = await open();
    const page = await request(port, '/', { Cookie: `other=1; ${cookie()}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Parley</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(BROWSER_CONTENT_SECURITY_POLICY);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(page.headers['cache-control']).toBe('no-store');
    const js = await request(port, '/assets/app-1234.js', { Cookie: cookie() });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    const css = await request(port, '/assets/app-1234.css', { Cookie: cookie() });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const bin = await request(port, '/assets/blob.bin', { Cookie: cookie() });
    expect(bin.headers['content-type']).toBe('application/octet-stream');
    const head = await request(port, '/', { Cookie: cookie() }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await request(port, '/missing.js', { Cookie: cookie() })).status).toBe(404);
    expect((await request(port, '/', { Cookie: cookie() }, 'POST')).status).toBe(405);
    expect((await request(port, '/ws', { Cookie: cookie() })).status).toBe(426);
  });

  it('never serves a file outside the static folder', async () => {
    const { port } = await open();
    for (const pathname of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/escape/secret.txt',
      '/.env',
      '/index.html%00.js',
      '/%E0%A4%A',
    ]) {
      const reply = await request(port, pathname, { Cookie: cookie() });
      expect([400, 404], pathname).toContain(reply.status);
      expect(reply.body).not.toContain('TOP SECRET');
      expect(reply.body).not.toContain('HIDDEN');
    }
  });

  it('refuses a Host header other than 127.0.0.1:port or localhost:port (DNS rebinding)', async () => {
    const { port } = await open();
    expect((await request(port, '/', { Cookie: cookie(), Host: `localhost:${port}` })).status).toBe(200);
    for (const bad of [`evil.example:${port}`, `127.0.0.1:${port + 1}`, '127.0.0.1', `attacker.127.0.0.1.nip.io:${port}`]) {
      const reply = await request(port, '/', { Cookie: cookie(), Host: bad });
      expect(reply.status, bad).toBe(403);
    }
    const ws = await connect(port, { headers: { Cookie: cookie(), Host: `evil.example:${port}` } });
    expect(ws).toMatchObject({ open: false, status: 403 });
  });

  it('WebSocket: needs the cookie (or ?token=) and the own Origin', async () => {
    const { port, token } = await open();
    const origin = `http://127.0.0.1:${port}`;
    expect(await connect(port, { headers: { Origin: origin } })).toMatchObject({ open: false, status: 401 });
    expect(await connect(port, { path: '/ws?token=wrong' })).toMatchObject({ open: false, status: 401 });
    expect(await connect(port, { headers: { Origin: 'http://evil.example', Cookie: cookie() } })).toMatchObject({
      open: false,
      status: 403,
    });
    expect(await connect(port, { headers: { Origin: `http://localhost:${port}`, Cookie: cookie() } })).toMatchObject({
      open: false,
      status: 403,
    });
    expect(await connect(port, { headers: { Origin: 'null', Cookie: cookie() } })).toMatchObject({ open: false, status: 403 });
    expect(await connect(port, { path: '/other', headers: { Cookie: cookie() } })).toMatchObject({ open: false, status: 404 });

    const browser = await connect(port, { headers: { Origin: origin, Cookie: cookie() } });
    expect(browser.open).toBe(true);
    const viaLocalhost = await connect(port, {
      headers: { Origin: `http://localhost:${port}`, Host: `localhost:${port}`, Cookie: cookie() },
    });
    expect(viaLocalhost.open).toBe(true);
    const tool = await connect(port, { path: `/ws?token=${token}` });
    expect(tool.open).toBe(true);
    for (const r of [browser, viaLocalhost, tool]) if (r.open) r.ws.close();
  });

  it('WebSocket: answers commands through dispatch, errors as values, and forwards events', async () => {
    const { port, token } = await open();
    const result = await connect(port, { path: `/ws?token=${token}` });
    if (!result.open) throw new Error('not open');
    const ws = result.ws;
    const ask = async (frame: unknown) => {
      const reply = nextFrame(ws);
      ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      return reply;
    };

    expect(await ask({ id: 1, command: 'getSnapshot', request: {} })).toEqual({
      kind: 'result',
      id: 1,
      outcome: { ok: true, value: SNAPSHOT },
    });
    expect(await ask({ id: 2, command: 'nope', request: {} })).toMatchObject({
      id: 2,
      outcome: { ok: false, error: { code: 'unknown-command' } },
    });
    expect(await ask({ id: 3, command: 'getSnapshot', request: { extra: 1 } })).toMatchObject({
      id: 3,
      outcome: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(await ask({ id: 4, command: 'sendMessage', request: { to: 'sip:bob@example.org', body: 'hi' } })).toEqual({
      kind: 'result',
      id: 4,
      outcome: { ok: false, error: { code: 'not-configured', message: 'no account' } },
    });
    expect(await ask({ id: 5, command: 'register', request: {} })).toMatchObject({
      id: 5,
      outcome: { ok: false, error: { code: 'internal' } },
    });
    expect(await ask('{not json')).toMatchObject({
      kind: 'result',
      id: UNKNOWN_REQUEST_ID,
      outcome: { ok: false, error: { code: 'invalid-request' } },
    });
    expect(await ask({ id: 6, command: 42 })).toMatchObject({ id: 6, outcome: { ok: false, error: { code: 'invalid-request' } } });
    expect(await ask({ id: 'x', command: 'getSnapshot' })).toMatchObject({ id: UNKNOWN_REQUEST_ID, outcome: { ok: false } });
    expect(await ask('null')).toMatchObject({ id: UNKNOWN_REQUEST_ID, outcome: { ok: false } });
    const binary = nextFrame(ws);
    ws.send(Buffer.from([1, 2, 3]));
    expect(await binary).toMatchObject({ id: UNKNOWN_REQUEST_ID, outcome: { ok: false, error: { code: 'invalid-request' } } });

    // Still alive after the bad frames, and events flow.
    const event = nextFrame(ws);
    core.emit({ type: 'notice', level: 'info', text: 'hello', seq: 4 });
    core.emit({ type: 'notice', level: 'info', text: 'again', seq: 5 });
    // The events of one turn travel together, in order.
    expect(await event).toEqual({
      kind: 'events',
      events: [
        { type: 'notice', level: 'info', text: 'hello', seq: 4 },
        { type: 'notice', level: 'info', text: 'again', seq: 5 },
      ],
    });
    expect(core.calls).toHaveLength(1);

    // Large events of one turn are cut into frames of at most about 1 MiB, in order.
    const big = (seq: number) => ({ type: 'notice' as const, level: 'info' as const, text: String(seq).repeat(600_000), seq });
    const cut: WsServerFrame[] = [];
    const three = new Promise<void>((resolve) => {
      const onFrame = (data: unknown) => {
        const frame = JSON.parse(String(data)) as WsServerFrame;
        if (frame.kind === 'events') cut.push(frame);
        if (cut.flatMap((f) => (f.kind === 'events' ? f.events : [])).length === 3) {
          ws.off('message', onFrame);
          resolve();
        }
      };
      ws.on('message', onFrame);
    });
    core.emit(big(7));
    core.emit(big(8));
    core.emit(big(9));
    await three;
    expect(cut.map((f) => (f.kind === 'events' ? f.events.map((e) => e.seq) : []))).toEqual([[7], [8], [9]]);

    // A result never overtakes the events the core emitted before answering.
    core.commands.unregister = async () => {
      core.emit({ type: 'notice', level: 'info', text: 'before the answer', seq: 10 });
      return { state: 'unregistered' };
    };
    const frames: WsServerFrame[] = [];
    const both = new Promise<void>((resolve) =>
      ws.on('message', (data) => frames.push(JSON.parse(String(data)) as WsServerFrame) === 2 && resolve()),
    );
    ws.send(JSON.stringify({ id: 7, command: 'unregister', request: {} }));
    await both;
    expect(frames.map((frame) => frame.kind)).toEqual(['events', 'result']);

    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close();
    await closed;
    // The host unsubscribes when it sees the socket close, a moment after the client does.
    await expect.poll(() => core.listeners.size).toBe(0);
  });

  it('WebSocket: a frame over maxPayload closes that socket (1009), the host stays up', async () => {
    const { port, token } = await open({ maxPayload: 1024 });
    const result = await connect(port, { path: `/ws?token=${token}` });
    if (!result.open) throw new Error('not open');
    const code = new Promise<number>((resolve) => result.ws.once('close', (c: number) => resolve(c)));
    result.ws.send(JSON.stringify({ id: 1, command: 'sendMessage', request: { to: 'sip:bob@example.org', body: 'x'.repeat(4096) } }));
    expect(await code).toBe(1009);
    const again = await connect(port, { path: `/ws?token=${token}` });
    expect(again.open).toBe(true);
    if (again.open) again.ws.close();
  });

  it('close() ends open WebSockets and stops listening', async () => {
    const { port, token } = await open();
    const result = await connect(port, { path: `/ws?token=${token}` });
    if (!result.open) throw new Error('not open');
    const closed = new Promise<number>((resolve) => result.ws.once('close', (c: number) => resolve(c)));
    await host!.close();
    host = undefined;
    expect(await closed).toBe(1001);
    await expect(request(port, '/')).rejects.toThrow();
  });

  it('accepts a given token and refuses a weak one', async () => {
    const { token, url } = await open({ token: 'a-fixed-token-for-tests' });
    expect(token).toBe('a-fixed-token-for-tests');
    expect(url).toContain('?token=a-fixed-token-for-tests');
    await expect(startBrowserHost({ core: new FakeCore(), staticDir, token: 'short' })).rejects.toThrow(/token/);
  });
});
