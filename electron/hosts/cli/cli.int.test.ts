/**
 * The `parley` command as a script would use it: real processes, a real Kamailio.
 * `parley listen` prints events as JSON lines; `parley send` exits 0 once delivered.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { tempDir } from '../../testing/cores.js';

const BIN = path.resolve(import.meta.dirname, 'parley.mjs');

interface Listener {
  child: ChildProcessWithoutNullStreams;
  lines: Record<string, unknown>[];
  waitFor(predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

function listen(args: string[]): Listener {
  const child = spawn(process.execPath, [BIN, 'listen', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters: { predicate: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  readline.createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text) as Record<string, unknown>;
    lines.push(line);
    for (const w of waiters.splice(0)) {
      if (w.predicate(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return {
    child,
    lines,
    waitFor: (predicate, timeoutMs = 15_000) => {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timeout; lines: ${JSON.stringify(lines)} stderr: ${stderr}`)), timeoutMs);
        waiters.push({ predicate, resolve: (l) => (clearTimeout(timer), resolve(l)) });
      });
    },
  };
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code))));
}

describe('parley CLI', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startKamailio({
      auth: true,
      users: [
        { user: 'alice', password: 'secret' },
        { user: 'bob', password: 'secret' },
      ],
    });
  });
  afterAll(async () => server?.stop());

  /** The options that sign `user` in at the test's server, with a data folder of its own. */
  const accountOf = (user: string) => [
    '--aor',
    `sip:${user}@${server.domain}`,
    '--password',
    'secret',
    '--proxy',
    server.uri(),
    '--data',
    tempDir(),
  ];

  it('send delivers through the server to a listening peer, which prints the message as JSON', async () => {
    const bob = listen(accountOf('bob'));
    try {
      await bob.waitFor((l) => l.type === 'registration' && l.state === 'registered');
      const result = await run(['send', `sip:bob@${server.domain}`, 'hello from the CLI', ...accountOf('alice')]);
      expect(result.code, result.stderr).toBe(0);
      const outcome = JSON.parse(result.stdout.trim().split('\n').pop()!);
      expect(outcome).toMatchObject({ type: 'delivery', state: 'delivered', code: 200 });
      const message = await bob.waitFor((l) => l.type === 'message');
      expect(message).toMatchObject({
        from: `sip:alice@${server.domain}`,
        to: `sip:bob@${server.domain}`,
        body: 'hello from the CLI',
        callId: outcome.callId,
        contentType: expect.stringMatching(/^text\/plain/),
      });
      expect(typeof message.cseq).toBe('number');
      expect(typeof message.conversationId).toBe('string');
    } finally {
      bob.child.kill('SIGTERM');
    }
    expect(await exited(bob.child)).toBe(0);
    expect(bob.lines.some((l) => l.type === 'registration' && l.state === 'unregistered')).toBe(true);
  });

  it('send exits non-zero with the reason when delivery fails', async () => {
    const result = await run(['send', `sip:nobody@${server.domain}`, 'hi', ...accountOf('alice')]);
    expect(result.code).toBe(1);
    // The reason as data for a script, and in words for a person.
    expect(JSON.parse(result.stdout.trim())).toMatchObject({
      type: 'delivery',
      state: 'failed',
      reason: { code: expect.stringMatching(/^delivery\.(unknown-user|offline)$/), params: { peer: `sip:nobody@${server.domain}` } },
      reasonText: expect.stringMatching(new RegExp(`^nobody@${server.domain.replace(/\./g, '\\.')} is (not a known user|offline)`)),
    });
  });

  it('send works directly, peer to peer, without a server', async () => {
    const peer = listen(['--listen', '127.0.0.1:0', '--data', tempDir()]);
    try {
      const listening = await peer.waitFor((l) => l.type === 'listening');
      const uri = (listening.addresses as { transport: string; uri: string }[]).find((a) => a.transport === 'udp')!.uri;
      // Direct mode: the host:port is the address, whatever user part the sender puts in front.
      const result = await run(['send', uri.replace(/^sip:[^@]+@/, 'sip:whoever@'), 'direct via CLI', '--data', tempDir()]);
      expect(result.code, result.stderr).toBe(0);
      await peer.waitFor((l) => l.type === 'message' && l.body === 'direct via CLI');
    } finally {
      peer.child.kill('SIGINT');
      await exited(peer.child);
    }
  });

  it('--jsonl answers contract commands and rejects bad ones as values', async () => {
    const child = spawn(process.execPath, [BIN, '--jsonl', '--data', tempDir(), '--listen', '127.0.0.1:0'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines: Record<string, unknown>[] = [];
    readline.createInterface({ input: child.stdout }).on('line', (t) => lines.push(JSON.parse(t)));
    child.stdin.write('{"id":1,"command":"getSnapshot","request":{}}\n');
    child.stdin.write('{"id":2,"command":"sendMessage","request":{"to":"sip:x@127.0.0.1:9","body":""}}\n');
    child.stdin.write('{"id":3,"command":"rmRf","request":{}}\n');
    child.stdin.write('this is not json\n');
    child.stdin.end();
    expect(await exited(child)).toBe(0);
    const result = (id: number | null) => lines.find((l) => l.type === 'result' && l.id === id);
    expect(result(1)).toMatchObject({ ok: true, value: { registration: { state: 'direct' } } });
    expect(result(2)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(result(3)).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    expect(result(null)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(lines.some((l) => l.type === 'listening')).toBe(true);
  });

  it('rejects bad options with a usage message and exit code 2', async () => {
    const result = await run(['send', 'sip:bob@example.org', 'hi', '--transport', 'carrier-pigeon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/transport/);
  });
});
