/**
 * window.parley for the Electron renderer, built from the command-name list: one function per
 * command (invoke on the one channel), plus onEvent. Bundled into the sandboxed preload, so it
 * imports only shared/channels.ts at runtime (types from shared/ipc.ts vanish at build time).
 */
import {
  COMMAND_NAMES,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  type CommandNameList,
} from '../../shared/channels.js';
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
  api.onEvent = (listener: (event: SequencedEvent) => void) => {
    if (typeof listener !== 'function') throw new TypeError('onEvent needs a function');
    // The IpcRendererEvent (with its sender) never reaches the page.
    const wrapped = (_event: unknown, payload: unknown) => listener(payload as SequencedEvent);
    ipc.on(IPC_EVENT_CHANNEL, wrapped);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  };
  return Object.freeze(api) as ParleyApi;
}
