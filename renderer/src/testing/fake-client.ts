/**
 * A hand-made ParleyClient for renderer unit tests: the test decides what each command answers,
 * when the snapshot arrives and which events come in. (The Electron API boundary is the one
 * place this project mocks; the core itself runs for real in the e2e specs.)
 */
import { commandNames, type Outcome, type ParleyApi, type SequencedEvent, type Snapshot } from '../../../shared/ipc.js';
import type { ConnectionStatus, ParleyClient } from '../api.js';

export function fakeClient(initial: ConnectionStatus = { status: 'open', attempt: 0 }) {
  const eventListeners = new Set<(e: SequencedEvent) => void>();
  const connectionListeners = new Set<(s: ConnectionStatus) => void>();
  let status = initial;
  const snapshotRequests: ((o: Outcome<Snapshot>) => void)[] = [];
  const calls: { command: string; request: unknown }[] = [];
  /** A fixed answer per command; unset commands answer with an error value. */
  const answers: Record<string, Outcome<unknown>> = {};
  const handler = (command: string) => (request: unknown) => {
    calls.push({ command, request });
    if (command === 'getSnapshot') return new Promise((resolve) => snapshotRequests.push(resolve));
    return Promise.resolve(answers[command] ?? { ok: false, error: { code: 'failed', message: 'not available yet' } });
  };
  const commands = Object.fromEntries(commandNames.map((name) => [name, handler(name)]));
  const api = {
    ...commands,
    onEvent: (l: (e: SequencedEvent) => void) => {
      eventListeners.add(l);
      return () => void eventListeners.delete(l);
    },
    connection: () => status,
    onConnection: (l: (s: ConnectionStatus) => void) => {
      connectionListeners.add(l);
      return () => void connectionListeners.delete(l);
    },
    reconnectNow: () => {},
    close: () => {},
  } as unknown as ParleyClient & ParleyApi;
  return {
    api,
    calls,
    answers,
    /** The commands called so far, by name. */
    called: (command: string) => calls.filter((c) => c.command === command),
    emit: (e: SequencedEvent) => eventListeners.forEach((l) => l(e)),
    setStatus: (s: ConnectionStatus) => {
      status = s;
      connectionListeners.forEach((l) => l(s));
    },
    answerSnapshot: (snapshot: Snapshot) => snapshotRequests.shift()!({ ok: true, value: snapshot }),
  };
}

/** Let pending promise callbacks run. */
export const flushPromises = () => new Promise((resolve) => setTimeout(resolve, 0));
