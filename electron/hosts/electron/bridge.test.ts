import { describe, expect, it } from 'vitest';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/channels.js';
import type { ChatMessage, Outcome, SequencedEvent } from '../../../shared/ipc.js';
import { UserError, type CommandHandlers, type Core } from '../../core/core.js';
import { EventBus } from '../../core/event-bus.js';
import type { Logger } from '../../support/logger.js';
import { broadcastTo, bridgeIpc, createSenderCheck, type IpcInvokeEventLike, type IpcMainLike } from './bridge.js';
import { emptySnapshot, unusedCommands } from '../../testing/host-fakes.js';

/** A small in-memory core written for this test: the commands by hand, the real EventBus. */
function testCore() {
  const bus = new EventBus();
  const sent: ChatMessage[] = [];
  const commands: CommandHandlers = {
    ...unusedCommands(),
    getSnapshot: async () => emptySnapshot(bus.lastSeq, { registration: { state: 'direct' }, messages: [...sent] }),
    setAccount: async () => {
      throw new UserError('not in this test', 'failed');
    },
    removeAccount: async () => ({ removed: false }),
    register: async () => {
      throw new UserError('no account is configured', 'not-configured');
    },
    unregister: async () => ({ state: 'unregistered' }),
    sendMessage: async (request) => {
      const message: ChatMessage = {
        id: `m${sent.length + 1}`,
        conversationId: request.conversationId ?? 'c1',
        direction: 'out',
        from: 'sip:alice@example.org',
        to: request.to,
        callId: 'call-1',
        cseq: sent.length + 1,
        contentType: 'text/plain',
        body: request.body,
        at: 1,
        state: 'queued',
      };
      sent.push(message);
      bus.emit({ type: 'delivery', id: message.id, conversationId: message.conversationId, state: 'sending' });
      return message;
    },
    getPeerOptions: async ({ peer }) => ({ peer, newCallIdPerMessage: false, decidedBy: 'default' as const }),
    setPeerOptions: async ({ peer, newCallIdPerMessage }) => ({ peer, newCallIdPerMessage, decidedBy: 'user' as const }),
    getMessages: async () => [...sent],
  };
  const core: Core = {
    commands,
    subscribe: (listener) => bus.subscribe(listener),
    start: async () => {},
    stop: async () => {},
  };
  return { core, bus, sent };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => void handlers.set(channel, listener),
    removeHandler: (channel) => void handlers.delete(channel),
  };
  const invoke = (event: IpcInvokeEventLike, ...args: unknown[]) => {
    const handler = handlers.get(IPC_INVOKE_CHANNEL);
    if (!handler) throw new Error('no handler');
    return handler(event, ...args) as Promise<Outcome<unknown>>;
  };
  return { ipcMain, handlers, invoke };
}

function recordingLogger() {
  const lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

const OUR_ID = 1;
const trusted: IpcInvokeEventLike = { sender: { id: OUR_ID }, senderFrame: { url: 'app://parley/index.html', parent: null } };
const isTrustedSender = createSenderCheck({ isOurWebContents: (id) => id === OUR_ID });

function setup() {
  const { core, bus, sent } = testCore();
  const ipc = fakeIpcMain();
  const { logger, lines } = recordingLogger();
  const delivered: SequencedEvent[] = [];
  const dispose = bridgeIpc({ ipcMain: ipc.ipcMain, core, isTrustedSender, send: (event) => void delivered.push(event), logger });
  return { core, bus, sent, ipc, lines, delivered, dispose };
}

describe('createSenderCheck', () => {
  it('trusts only the top frame of our own window showing the app', () => {
    expect(isTrustedSender(trusted)).toBe(true);
    expect(isTrustedSender({ ...trusted, sender: { id: 99 } })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderFrame: null })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderFrame: { url: 'https://evil.example/', parent: null } })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderFrame: { url: 'app://evil/index.html', parent: null } })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderFrame: { url: 'file:///tmp/index.html', parent: null } })).toBe(false);
    expect(isTrustedSender({ ...trusted, senderFrame: { url: 'app://parley/index.html', parent: {} } })).toBe(false);
  });
});

describe('bridgeIpc', () => {
  it('dispatches a command from a trusted sender to the core and returns its value', async () => {
    const { ipc, sent } = setup();
    const outcome = await ipc.invoke(trusted, 'sendMessage', { to: 'sip:bob@example.org', body: 'hello' });
    expect(outcome).toMatchObject({ ok: true, value: { to: 'sip:bob@example.org', body: 'hello', state: 'queued' } });
    expect(sent).toHaveLength(1);
  });

  it('refuses an untrusted sender without calling the core, and logs it', async () => {
    const { ipc, sent, lines } = setup();
    const foreign: IpcInvokeEventLike = { sender: { id: 42 }, senderFrame: { url: 'https://evil.example/', parent: null } };
    const outcome = await ipc.invoke(foreign, 'sendMessage', { to: 'sip:bob@example.org', body: 'hello' });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.message).toMatch(/not a Parley window/);
    expect(sent).toHaveLength(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ command: 'sendMessage', url: 'https://evil.example/' }) }),
    );
  });

  it('validates payloads and names before the core sees them', async () => {
    const { ipc, sent } = setup();
    const bad = await ipc.invoke(trusted, 'sendMessage', { to: '', body: 'x', extra: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const unknown = await ipc.invoke(trusted, 'deleteEverything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-command' } });
    const userError = await ipc.invoke(trusted, 'register', {});
    expect(userError).toEqual({ ok: false, error: { code: 'not-configured', message: 'no account is configured' } });
    expect(sent).toHaveLength(0);
  });

  it('forwards core events to the windows', async () => {
    const { ipc, delivered } = setup();
    await ipc.invoke(trusted, 'sendMessage', { to: 'sip:bob@example.org', body: 'hello' });
    expect(delivered).toEqual([expect.objectContaining({ type: 'delivery', state: 'sending', seq: 1 })]);
  });

  it('keeps going when a window cannot take an event', () => {
    const { core } = testCore();
    const ipc = fakeIpcMain();
    const { logger, lines } = recordingLogger();
    bridgeIpc({
      ipcMain: ipc.ipcMain,
      core,
      isTrustedSender,
      send: () => {
        throw new Error('gone');
      },
      logger,
    });
    let other = 0;
    core.subscribe(() => void other++);
    // sendMessage emits a delivery event; the failing window must not stop the other listener.
    return core.commands.sendMessage({ to: 'sip:bob@example.org', body: 'x' }).then(() => {
      expect(other).toBe(1);
      expect(lines.some((line) => line.level === 'warn')).toBe(true);
    });
  });

  it('disposes: removes the handler and stops forwarding', async () => {
    const { ipc, bus, delivered, dispose } = setup();
    dispose();
    dispose();
    expect(ipc.handlers.has(IPC_INVOKE_CHANNEL)).toBe(false);
    bus.emit({ type: 'notice', level: 'info', text: 'after' });
    expect(delivered).toHaveLength(0);
  });
});

describe('broadcastTo', () => {
  it('sends each event on the event channel to every live webContents', () => {
    const calls: Array<[number, unknown[]]> = [];
    const target = (id: number, destroyed: boolean) => ({
      id,
      isDestroyed: () => destroyed,
      send: (...args: unknown[]) => void calls.push([id, args]),
    });
    const send = broadcastTo(() => [target(1, false), target(2, true), target(3, false)]);
    const event: SequencedEvent = { type: 'notice', level: 'info', text: 'hi', seq: 4 };
    send(event);
    expect(calls).toEqual([
      [1, [IPC_EVENT_CHANNEL, event]],
      [3, [IPC_EVENT_CHANNEL, event]],
    ]);
  });
});
