import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/ipc.js';
import { UserError, type CommandHandlers, type Core } from '../core/core.js';
import { dispatch } from './dispatch.js';
import { emptySnapshot, unusedCommands } from '../testing/host-fakes.js';

const SNAPSHOT = emptySnapshot(0);

const MESSAGE: ChatMessage = {
  id: 'm1',
  conversationId: 'c1',
  direction: 'out',
  from: 'sip:alice@example.org',
  to: 'sip:bob@example.org',
  callId: 'call-1',
  cseq: 1,
  contentType: 'text/plain',
  body: 'hi',
  at: 1,
  state: 'queued',
};

/** A small hand-written Core that records what reaches it. */
function fakeCore() {
  const calls: { name: string; request: unknown }[] = [];
  const commands: CommandHandlers = {
    ...unusedCommands(),
    getSnapshot: async (request) => {
      calls.push({ name: 'getSnapshot', request });
      return SNAPSHOT;
    },
    setAccount: async () => {
      throw new UserError('the account was given on the command line', 'not-configured');
    },
    removeAccount: async () => {
      throw new Error('disk full');
    },
    register: async () => {
      throw 'a string, not an Error';
    },
    unregister: async () => {
      throw new UserError('not registered');
    },
    sendMessage: async (request) => {
      calls.push({ name: 'sendMessage', request });
      return { ...MESSAGE, to: request.to, body: request.body };
    },
    getPeerOptions: async ({ peer }) => ({ peer, newCallIdPerMessage: false, decidedBy: 'default' as const }),
    setPeerOptions: async ({ peer, newCallIdPerMessage }) => ({ peer, newCallIdPerMessage, decidedBy: 'user' as const }),
    getMessages: async (request) => {
      calls.push({ name: 'getMessages', request });
      return [];
    },
  };
  const core: Core = {
    commands,
    subscribe: () => () => {},
    start: async () => {},
    stop: async () => {},
  };
  return { core, calls };
}

describe('dispatch', () => {
  it('returns the handler value for a valid command', async () => {
    const { core, calls } = fakeCore();
    expect(await dispatch(core, 'getSnapshot', {})).toEqual({ ok: true, value: SNAPSHOT });
    expect(calls).toEqual([{ name: 'getSnapshot', request: {} }]);
  });

  it('treats a missing payload as an empty object', async () => {
    const { core } = fakeCore();
    expect(await dispatch(core, 'getSnapshot', undefined)).toEqual({ ok: true, value: SNAPSHOT });
    expect(await dispatch(core, 'getSnapshot', null)).toEqual({ ok: true, value: SNAPSHOT });
  });

  it('passes the parsed payload (trimmed, defaults filled in) to the handler', async () => {
    const { core, calls } = fakeCore();
    const outcome = await dispatch(core, 'sendMessage', { to: '  bob@example.org  ', body: 'hello' });
    expect(outcome).toEqual({ ok: true, value: { ...MESSAGE, to: 'bob@example.org', body: 'hello' } });
    await dispatch(core, 'getMessages', { conversationId: 'c1' });
    expect(calls.map((c) => c.request)).toEqual([
      { to: 'bob@example.org', body: 'hello' },
      { conversationId: 'c1', limit: 100 },
    ]);
  });

  it('refuses unknown command names, including inherited object properties', async () => {
    const { core, calls } = fakeCore();
    for (const name of ['nope', 'toString', 'constructor', '__proto__', 'hasOwnProperty', '']) {
      const outcome = await dispatch(core, name, {});
      expect(outcome, name).toEqual({ ok: false, error: { code: 'unknown-command', message: `unknown command: ${name}` } });
    }
    expect(calls).toEqual([]);
  });

  it('refuses non-string names and cuts long ones in the message', async () => {
    const { core } = fakeCore();
    expect(await dispatch(core, 42, {})).toEqual({ ok: false, error: { code: 'unknown-command', message: 'unknown command: 42' } });
    expect(await dispatch(core, undefined, {})).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    const outcome = await dispatch(core, 'x'.repeat(1000), {});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toBe(`unknown command: ${'x'.repeat(64)}`);
  });

  it('reports an invalid payload as invalid-request naming the command and the field path, without calling the core', async () => {
    const { core, calls } = fakeCore();
    const empty = await dispatch(core, 'sendMessage', { to: '   ', body: 'hi' });
    expect(empty.ok).toBe(false);
    if (!empty.ok) {
      expect(empty.error.code).toBe('invalid-request');
      expect(empty.error.message).toMatch(/^sendMessage: to: /);
    }
    const nested = await dispatch(core, 'setAccount', { account: { aor: 'alice@example.org' } });
    expect(nested.ok).toBe(false);
    if (!nested.ok) {
      expect(nested.error.code).toBe('invalid-request');
      expect(nested.error.message).toMatch(/^setAccount: account\.aor: /);
      expect(nested.error.message).toContain('sip:');
    }
    const limit = await dispatch(core, 'getMessages', { conversationId: 'c1', limit: 0 });
    expect(!limit.ok && limit.error.message.startsWith('getMessages: limit: ')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('lists every problem, and names the request itself for problems without a path', async () => {
    const { core } = fakeCore();
    const many = await dispatch(core, 'sendMessage', { to: 5, body: '' });
    expect(!many.ok && many.error.message).toMatch(/^sendMessage: to: .+; body: .+/);
    const extra = await dispatch(core, 'getSnapshot', { surprise: true });
    expect(extra.ok).toBe(false);
    if (!extra.ok) {
      expect(extra.error.code).toBe('invalid-request');
      expect(extra.error.message).toMatch(/^getSnapshot: request: /);
      expect(extra.error.message).toContain('surprise');
    }
    const notAnObject = await dispatch(core, 'getMessages', 'c1');
    expect(!notAnObject.ok && notAnObject.error.message).toMatch(/^getMessages: request: /);
  });

  it('passes a UserError through with its code and message', async () => {
    const { core } = fakeCore();
    expect(await dispatch(core, 'setAccount', { account: { aor: 'sip:alice@example.org' } })).toEqual({
      ok: false,
      error: { code: 'not-configured', message: 'the account was given on the command line' },
    });
    expect(await dispatch(core, 'unregister', {})).toEqual({ ok: false, error: { code: 'failed', message: 'not registered' } });
  });

  it('turns any other throw into an internal error value naming the command', async () => {
    const { core } = fakeCore();
    expect(await dispatch(core, 'removeAccount', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'removeAccount failed: disk full' },
    });
    expect(await dispatch(core, 'register', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'register failed: a string, not an Error' },
    });
  });
});
