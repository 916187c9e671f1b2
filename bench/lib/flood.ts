/**
 * One receiving client under a MESSAGE flood (bench/im.ts): a sipp UAC sends `count` MESSAGEs
 * through the bench's Kamailio to the client's address, each on a Call-ID of its own as most clients
 * send them, with `inFlight` outstanding, the way a busy group chat or a server delivering a backlog
 * would, and the same flood reaches each client in turn. Figures per run: the rate sipp saw (first
 * send to last 200), the round trip of each MESSAGE to its 200 (the receiver answers once it has the
 * message), the client's CPU per message, and whether every message reached the client.
 *
 * One Call-ID per message, not many MESSAGEs per Call-ID as bench/transport.ts sends them:
 * linphonec (liblinphone 5.1) answers 200 to a second MESSAGE on a Call-ID it has seen but never
 * shows it, so that flood would measure messages it drops.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { cpuSeconds } from './procstat.js';
import type { ReceivingClient } from './receiving-clients.js';
import { runRateUac } from './sipp.js';
import { quantile } from './stats.js';

/** The sipp scenario's bodies begin so (bench/scenarios/message-loop-uac.xml). */
export const FLOOD_PREFIX = 'bench sipp';
/** How long a client may take to show the last message after sipp saw its 200. */
const SHOW_WITHIN_MS = 10_000;
/** After the last message shows, a client may still be finishing work it charged to the flood. */
const SETTLE_MS = 200;

export interface FloodTarget {
  /** host:port of the proxy. */
  proxy: string;
  /** Our address to send from. */
  host: string;
  domain: string;
  /** The client's user part at `domain`. */
  user: string;
  dir: string;
  track?: (child: ChildProcess) => void;
}

export interface FloodRun {
  /** What sipp sent. */
  sent: number;
  /** Of those, how many got their 200 (the proxy answers 408 for a client that takes too long). */
  answered: number;
  /** Of those, how many the client showed or stored. */
  taken: number;
  messagesPerSecond: number;
  /** MESSAGE to its 200, at sipp. */
  roundTripMs: { p50: number; p99: number };
  cpuUsPerMessage: number;
}

/** As fast as sipp can: the receiver's answers (at most `inFlight` outstanding) set the pace. */
const UNBOUNDED_RATE = 100_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function flood(client: ReceivingClient, target: FloodTarget, count: number, inFlight: number): Promise<FloodRun> {
  const takenBefore = await client.taken(FLOOD_PREFIX);
  const cpuBefore = cpuSeconds(client.pid);
  const run = await runRateUac({
    transport: 'udp',
    proxy: target.proxy,
    host: target.host,
    from: 'sipp-flood',
    to: target.user,
    domain: target.domain,
    dir: mkdtempSync(path.join(target.dir, `flood-${client.name}-`)),
    rate: UNBOUNDED_RATE,
    tolerateUnanswered: true,
    inFlight,
    count,
    ...(target.track ? { track: target.track } : {}),
  });
  const deadline = Date.now() + SHOW_WITHIN_MS;
  let taken = (await client.taken(FLOOD_PREFIX)) - takenBefore;
  while (taken < run.count && Date.now() < deadline) {
    await pause(50);
    taken = (await client.taken(FLOOD_PREFIX)) - takenBefore;
  }
  await pause(SETTLE_MS);
  const cpu = cpuSeconds(client.pid) - cpuBefore;
  return {
    sent: run.count,
    answered: run.answered,
    taken,
    messagesPerSecond: run.messagesPerSecond,
    roundTripMs: { p50: quantile(run.roundTripsMs, 0.5), p99: quantile(run.roundTripsMs, 0.99) },
    cpuUsPerMessage: (cpu * 1e6) / run.count,
  };
}
