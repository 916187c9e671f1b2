/**
 * Test helpers for integration tests: real cores in temp folders, and waiting on events
 * (milestones, never sleeps).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AccountConfig, SequencedEvent } from '../../shared/ipc.js';
import type { Core } from '../core/core.js';
import { createParley, type ParleyOptions } from '../hosts/compose.js';
import { createLogger, levelFromEnv, silentLogger } from '../support/logger.js';

export interface TestCore {
  core: Core;
  events: SequencedEvent[];
  dataDir: string;
  /** Resolves with the first event (already seen or future) matching the predicate. */
  waitFor<T extends SequencedEvent>(predicate: (event: SequencedEvent) => event is T, timeoutMs?: number): Promise<T>;
  waitFor(predicate: (event: SequencedEvent) => boolean, timeoutMs?: number): Promise<SequencedEvent>;
  stop(): Promise<void>;
}

export function tempDir(prefix = 'parley-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startCore(options: Partial<ParleyOptions> & { account?: AccountConfig } = {}): Promise<TestCore> {
  const dataDir = options.dataDir ?? tempDir();
  const events: SequencedEvent[] = [];
  const waiters = new Set<{ predicate: (e: SequencedEvent) => boolean; resolve: (e: SequencedEvent) => void }>();
  // Quiet unless PARLEY_LOG_LEVEL asks: then each core's log goes to stderr (to see why a test failed).
  const level = levelFromEnv(process.env);
  const logger = level ? createLogger([{ level, stream: process.stderr }]) : silentLogger;
  const core = await createParley({ listen: '127.0.0.1:0', logger, ...options, dataDir });
  // Events emitted during start are in the snapshot; replay them as synthetic events for waiters.
  const snapshot = await core.commands.getSnapshot({});
  events.push({ type: 'registration', ...snapshot.registration, seq: snapshot.seq });
  core.subscribe((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(event)) {
        waiters.delete(waiter);
        waiter.resolve(event);
      }
    }
  });
  const waitFor = (predicate: (event: SequencedEvent) => boolean, timeoutMs = 15_000) => {
    const seen = events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise<SequencedEvent>((resolve, reject) => {
      const waiter = { predicate, resolve: (e: SequencedEvent) => (clearTimeout(timer), resolve(e)) };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(
          new Error(
            `no matching event within ${timeoutMs} ms; saw: ${events.map((e) => e.type + ('state' in e ? ':' + String(e.state) : '')).join(', ')}`,
          ),
        );
      }, timeoutMs);
      waiters.add(waiter);
    });
  };
  return {
    core,
    events,
    dataDir,
    waitFor: waitFor as TestCore['waitFor'],
    stop: async () => {
      await core.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const isRegistration = (state: string) => (e: SequencedEvent) => e.type === 'registration' && e.state === state;
export const isIncoming = (body: string) => (e: SequencedEvent) => e.type === 'message' && e.direction === 'in' && e.body === body;
export const isDelivery =
  (id: string, ...states: string[]) =>
  (e: SequencedEvent) =>
    e.type === 'delivery' && e.id === id && states.includes(e.state);
