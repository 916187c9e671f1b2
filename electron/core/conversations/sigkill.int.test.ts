/**
 * A Parley killed with SIGKILL in the middle of a burst (the `parley --jsonl` CLI in its own
 * process, talking through the bundled Kamailio to a Parley core in this process) and started
 * again on the same data folder: every message it had accepted arrives exactly once, in order,
 * and its own history holds each once, delivered.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isRegistration, startCore, tempDir, type TestCore } from '../../testing/cores.js';
import { startProgram, type RunningProgram } from '../../testing/program.js';

const CLI = path.resolve(import.meta.dirname, '../../hosts/cli/parley.mjs');
const BURST = 300;

type Line = Record<string, unknown>;
const parse = (text: string): Line | undefined => {
  try {
    return JSON.parse(text) as Line;
  } catch {
    return undefined;
  }
};

describe('SIGKILL mid-burst', () => {
  let server: RunningServer;
  let bob: TestCore;
  const data = tempDir('parley-sigkill-');
  beforeAll(async () => {
    server = await startKamailio({ auth: true, users: ['alice', 'bob'].map((user) => ({ user, password: 'secret' })) });
    bob = await startCore({
      account: { aor: `sip:bob@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
    await bob.waitFor(isRegistration('registered'));
  });
  afterAll(async () => {
    await bob?.stop();
    await server?.stop();
  });

  function alice(): RunningProgram {
    return startProgram(
      'parley',
      process.execPath,
      [CLI, '--jsonl', '--data', data, '--aor', `sip:alice@${server.domain}`, '--proxy', server.uri(), '--listen', '127.0.0.1:0'],
      {
        cwd: data,
        env: { ...process.env, PARLEY_PASSWORD: 'secret' },
        stdin: 'pipe',
      },
    );
  }
  const lines = (program: RunningProgram) => program.lines.map(parse).filter((l): l is Line => l !== undefined);
  const arrived = () =>
    bob.events.filter((e): e is ChatMessage & { type: 'message'; seq: number } => e.type === 'message' && e.direction === 'in');

  it('loses nothing and shows nothing twice', { timeout: 120_000 }, async () => {
    const bodies = Array.from({ length: BURST }, (_, i) => `kill test ${i}`);
    const first = alice();
    onTestFinished(() => first.stop()); // also when the test fails before it is killed
    await first.waitForLine(/"state":"registered"/);
    first.write(bodies.map((body, i) => JSON.stringify({ id: i, command: 'sendMessage', request: { to: 'bob', body } }) + '\n').join(''));
    // Mid-burst: some delivered, most not yet.
    await bob.waitFor(() => arrived().length >= 40, 30_000);
    process.kill(-first.pid, 'SIGKILL');
    await first.exited;
    await first.stop();

    const accepted = new Map<string, string>(); // message id -> body, for every sendMessage answered ok
    for (const line of lines(first)) {
      if (line.type === 'result' && line.ok === true) {
        const value = line.value as ChatMessage;
        accepted.set(value.id, value.body);
      }
    }
    expect(accepted.size).toBeGreaterThan(40);
    const deliveredBefore = new Set(
      lines(first)
        .filter((l) => l.type === 'delivery' && l.state === 'delivered')
        .map((l) => l.id as string),
    );
    expect(deliveredBefore.size).toBeLessThan(accepted.size);

    const second = alice();
    try {
      // Everything accepted and not yet known delivered is sent again on start.
      for (const id of accepted.keys()) {
        if (deliveredBefore.has(id)) continue;
        await second.waitForLine(new RegExp(`"type":"delivery","id":"${id}".*"state":"delivered"`), { timeoutMs: 60_000 });
      }
      const got = arrived().filter((m) => m.body.startsWith('kill test '));
      const counts = new Map<string, number>();
      for (const m of got) counts.set(m.body, (counts.get(m.body) ?? 0) + 1);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      for (const body of accepted.values()) expect(counts.get(body), body).toBe(1);
      // In the sender's order on screen.
      const shown = [...got].sort((a, b) => a.order! - b.order!).map((m) => m.body);
      expect(shown).toEqual(bodies.filter((b) => counts.has(b)));

      // The sender's own history: each once, delivered.
      const { conversationId } = lines(first).find((l) => l.type === 'result' && l.ok === true)!.value as ChatMessage;
      second.write(JSON.stringify({ id: 99_999, command: 'getMessages', request: { conversationId, limit: 500 } }) + '\n');
      const answer = parse(await second.waitForLine(/"id":99999/))!;
      const history = (answer.value as ChatMessage[]).filter((m) => m.direction === 'out');
      expect(history.map((m) => m.body)).toEqual([...accepted.values()]);
      expect(history.every((m) => m.state === 'delivered')).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
