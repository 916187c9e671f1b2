/**
 * window.parley for the Electron renderer, built from the command-name list: one function per
 * command (invoke on the one channel), plus onEvent. Bundled into the sandboxed preload, so it
 * imports only shared/channels.ts at runtime (types from shared/ipc.ts vanish at build time).
 */
import { COMMAND_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, IPC_SHELL_CHANNEL, type CommandNameList } from '../../shared/channels.js';
import type { CommandName, Outcome, ParleyApi, SequencedEvent } from '../../shared/ipc.js';

// Compile-time proof that the zod-free name list and the contract agree, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const namesMatchContract: Same<CommandName, CommandNameList> = true;
void namesMatchContract;

/** What the API uses of ipcRenderer (the listener's first argument is the IpcRendererEvent). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function failure(error: unknown): Outcome<never> {
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: 'internal', message: `IPC failed: ${message}` } };
}

/** Pass one channel's payloads to `listener`; returns the unsubscribe function. */
function listen(ipc: IpcRendererLike, channel: string, name: string, listener: (payload: never) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError(`${name} needs a function`);
  // The IpcRendererEvent (with its sender) never reaches the page.
  const wrapped = (_event: unknown, payload: unknown) => listener(payload as never);
  ipc.on(channel, wrapped);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipc.removeListener(channel, wrapped);
  };
}

export function createParleyApi(ipc: IpcRendererLike): ParleyApi {
  const api: Record<string, unknown> = {};
  for (const name of COMMAND_NAMES) {
    api[name] = async (request?: unknown) => {
      try {
        return await ipc.invoke(IPC_INVOKE_CHANNEL, name, request ?? {});
      } catch (error) {
        return failure(error);
      }
    };
  }
  api.onEvent = (listener: (event: SequencedEvent) => void) => listen(ipc, IPC_EVENT_CHANNEL, 'onEvent', listener);
  // The shell's requests (a clicked notification, a sip: link); the renderer validates them.
  api.onShell = (listener: (request: unknown) => void) => listen(ipc, IPC_SHELL_CHANNEL, 'onShell', listener);
  return Object.freeze(api) as ParleyApi;
}
