/**
 * Helpers shared by the presence client integration tests (subscriber, publisher, watcher-info):
 * predicates over a core's events, and sipp as one of a user's devices (electron/testing/sipp.ts).
 */
import type { BuddyPresence } from '../../../../shared/domain/presence.js';
import type { SequencedEvent } from '../../../../shared/ipc.js';
import { afterEach } from 'vitest';
import { register } from '../../../../bench/lib/sipp.js';
import { freePort } from '../../../../server/free-port.js';
import { startKamailio, type RunningServer, type ServerOptions } from '../../../../server/kamailio.js';
import type { AccountConfig } from '../../../../shared/ipc.js';
import { startSipp, type RunningSipp, type SippPeer } from '../../../testing/sipp.js';
import { tempDir, type TestCore } from '../../../testing/cores.js';
import { registeredCore } from '../../../testing/kamailio-users.js';
import type { Clock } from '../../../support/clock.js';

/**
 * What a test started, stopped after it in reverse order (cores, then peers, then the server),
 * each stop isolated so one failure does not leave the rest running.
 */
export function started() {
  const stops: (() => Promise<unknown>)[] = [];
  return {
    add<T extends { stop(): Promise<unknown> }>(thing: T): T {
      stops.push(() => thing.stop());
      return thing;
    },
    async stopAll(): Promise<void> {
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
    },
  };
}

export interface ParleyChoices {
  presenceMode?: AccountConfig['presenceMode'];
  clock?: Clock;
  keepAlive?: { intervalMs?: number; pongTimeoutMs?: number };
}

/**
 * Call inside a describe: what its tests start through this is stopped after each test. `server`
 * is a bundled Kamailio, `parley` a registered Parley at it, `add` anything else with stop().
 */
export function presenceWorld() {
  const running = started();
  afterEach(() => running.stopAll());
  return {
    add: running.add,
    server: async (options: ServerOptions = {}) => running.add(await startKamailio(options)),
    parley: async (server: RunningServer, user: string, options: ParleyChoices = {}) =>
      running.add(await registeredParley(server, user, options)),
  };
}

/** A Parley for `user` at the test server over UDP, once it is registered. */
export async function registeredParley(server: RunningServer, user: string, options: ParleyChoices = {}): Promise<TestCore> {
  const { presenceMode, ...rest } = options;
  return registeredCore(server, user, { ...rest, account: presenceMode ? { presenceMode } : {} });
}

/** A `buddy` event for `aor` whose state satisfies `test`. */
export const isBuddy = (aor: string, test: (buddy: BuddyPresence) => boolean) => (event: SequencedEvent) =>
  event.type === 'buddy' && event.buddy.aor === aor && test(event.buddy);

/**
 * sipp playing one of `user`'s devices: `scenario` with `keys` (plus the server's domain) on a
 * free port, registered at the server as a contact of `user`.
 */
export async function sippDevice(
  server: RunningServer,
  user: string,
  scenario: string,
  keys: Record<string, string>,
  options: Pick<SippPeer, 'calls' | 'timeoutSeconds'> = {},
): Promise<RunningSipp> {
  const port = await freePort();
  const device = await startSipp({ scenario, port, keys: { domain: server.domain, ...keys }, trace: true, ...options });
  try {
    await register({
      proxy: `${server.host}:${server.port}`,
      host: '127.0.0.1',
      user,
      domain: server.domain,
      contact: `sip:${user}@127.0.0.1:${port}`,
      dir: tempDir(),
    });
  } catch (error) {
    await device.stop();
    throw error;
  }
  return device;
}

/** The received requests of one method in a sipp trace (sipp marks each block "received"/"sent"). */
export function requests(messages: readonly string[], method: string): string[] {
  return messages.map((m) => m.slice(m.indexOf(method))).filter((m) => m.startsWith(`${method} sip`));
}

/** The responses in a sipp trace to requests of one method (by their CSeq), from the status line on. */
export function responsesTo(messages: readonly string[], method: string): string[] {
  return messages
    .map((m) => m.slice(m.indexOf('SIP/2.0 ')))
    .filter((m) => m.startsWith('SIP/2.0 ') && headerOf(m, 'CSeq')?.split(/\s+/)[1] === method);
}

/** A header's value in a traced message (first occurrence), or undefined. */
export function headerOf(message: string, name: string): string | undefined {
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(message)?.[1]?.trim();
}
