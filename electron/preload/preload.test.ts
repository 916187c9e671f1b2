import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../shared/channels.js';
import * as contract from '../../shared/ipc.js';
import type { ParleyApi, SequencedEvent } from '../../shared/ipc.js';

vi.mock('electron', () => import('../main/testing/fake-electron.js'));

const electron = await import('../main/testing/fake-electron.js');

electron.resetFakeElectron();
await import('./preload.js');
const api = electron.contextBridge.exposed.get('parley') as ParleyApi;

beforeEach(() => {
  electron.ipcRenderer.invoke.mockClear();
  electron.ipcRenderer.listeners.clear();
});

describe('preload', () => {
  it('exposes exactly window.parley: one function per command, plus onEvent and onShell', () => {
    expect(api).toBeDefined();
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['parley']);
    expect(Object.keys(api).sort()).toEqual([...contract.commandNames, 'onEvent', 'onShell'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('keeps the zod-free command list in step with the contract', () => {
    expect([...COMMAND_NAMES]).toEqual(contract.commandNames);
    expect(IPC_INVOKE_CHANNEL).toBe(contract.IPC_INVOKE_CHANNEL);
    expect(IPC_EVENT_CHANNEL).toBe(contract.IPC_EVENT_CHANNEL);
  });

  it('invokes the one channel with the command name and request, and returns the outcome', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { id: 'm1' } });
    const outcome = await api.sendMessage({ to: 'sip:bob@example.org', body: 'hi' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC_INVOKE_CHANNEL, 'sendMessage', {
      to: 'sip:bob@example.org',
      body: 'hi',
    });
    expect(outcome).toEqual({ ok: true, value: { id: 'm1' } });
  });

  it('turns an IPC failure into an error value, not an exception', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('no handler registered'));
    const outcome = await api.getSnapshot({});
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.error.code).toBe('internal');
  });

  it('delivers events without the IpcRendererEvent and unsubscribes', () => {
    const seen: unknown[][] = [];
    const unsubscribe = api.onEvent((...args: unknown[]) => void seen.push(args));
    const event: SequencedEvent = { type: 'notice', level: 'info', text: 'hello', seq: 1 };
    electron.ipcRenderer.deliver(IPC_EVENT_CHANNEL, event);
    expect(seen).toEqual([[event]]);
    unsubscribe();
    unsubscribe();
    electron.ipcRenderer.deliver(IPC_EVENT_CHANNEL, { ...event, seq: 2 });
    expect(seen).toHaveLength(1);
    expect(electron.ipcRenderer.listeners.get(IPC_EVENT_CHANNEL)?.size ?? 0).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    expect(() => api.onEvent('nope' as never)).toThrow(TypeError);
  });
});
