/**
 * sipp for bench/presence.ts:
 *  - the presence source Parley watches (bench/scenarios/presence-source.xml): a UAS that answers
 *    every buddy's SUBSCRIBE and NOTIFYs round 1 of the roster, then at `stormAt` round 2 for all
 *    at once;
 *  - the reference: the same round-2 NOTIFYs from a sipp UAC (presence-storm-uac.xml), as fast as
 *    it can, into a sipp UAS that answers 200 (presence-sink.xml).
 * Both log each storm NOTIFY as "storm <sent s> <µs> <200 s> <µs>" (-trace_logs).
 *  - for the resource list variant (bench/presence-rls.ts): each buddy PUBLISHes a round of the
 *    roster to the bundled Kamailio (presence-publish.xml).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../server/free-port.js';
import { rosterCsv } from './presence-roster.js';
import { sippArgs } from '../../electron/testing/sipp.js';
import { readSippLog, SCENARIOS, SKIP_RLIMIT, runSipp, startUas, type SippUas } from './sipp.js';

const ROUND_FILES = ['round1.csv', 'round2.csv'] as const;
/**
 * sipp's socket buffers (its default, 64 KB, drops most of a 5,000-datagram burst and the run
 * turns into a test of retransmission timers); the kernel caps it at net.core.rmem_max/wmem_max.
 */
const SIPP_BUFFER = ['-buff_size', String(4 * 1024 * 1024)];

/** The two rounds of the roster as sipp injection files in `dir`. */
export function writeRoster(dir: string, count: number): void {
  writeFileSync(path.join(dir, ROUND_FILES[0]), rosterCsv(count, 1));
  writeFileSync(path.join(dir, ROUND_FILES[1]), rosterCsv(count, 2));
}

export interface StormLog {
  /** Storm NOTIFYs logged with their 200 (sipp may drop the last line or so of its log at exit). */
  answered: number;
  /** Epoch ms: first NOTIFY sent, last one sent, last 200 in. */
  firstSentAt: number;
  lastSentAt: number;
  lastAnsweredAt: number;
}

/** Reads the "storm" lines of a sipp log in `dir` whose name starts with `scenario`. */
export function readStormLog(dir: string, scenario: string): StormLog {
  const log = readSippLog(dir, scenario) ?? '';
  const ms = (s: string, u: string) => Number(s) * 1000 + Number(u) / 1000;
  let answered = 0;
  let firstSentAt = Infinity;
  let lastSentAt = -Infinity;
  let lastAnsweredAt = -Infinity;
  for (const m of log.matchAll(/^storm (\d+)(?:\.\d*)? (\d+)(?:\.\d*)? (\d+)(?:\.\d*)? (\d+)(?:\.\d*)?/gm)) {
    answered++;
    const sent = ms(m[1]!, m[2]!);
    firstSentAt = Math.min(firstSentAt, sent);
    lastSentAt = Math.max(lastSentAt, sent);
    lastAnsweredAt = Math.max(lastAnsweredAt, ms(m[3]!, m[4]!));
  }
  return { answered, firstSentAt, lastSentAt, lastAnsweredAt };
}

/** The presence source on host:port (roster files already in `dir`); round 2 goes at `stormAt` (epoch ms). */
export function startSource(options: { host: string; port: number; dir: string; stormAt: number }): Promise<SippUas> {
  const inf = ROUND_FILES.flatMap((file) => ['-inf', file, '-infindex', file, '0']);
  return startUas({
    transport: 'udp',
    host: options.host,
    port: options.port,
    dir: options.dir,
    scenario: 'presence-source.xml',
    extra: [
      ...inf,
      '-set',
      'storm_at',
      String(Math.round(options.stormAt)),
      '-trace_logs',
      '-default_behaviors',
      'all,-abortunexp',
      ...SIPP_BUFFER,
    ],
  });
}

export interface ReferenceStorm extends StormLog {
  count: number;
  /** First NOTIFY sent to last 200 in. */
  elapsedMs: number;
  notifiesPerSecond: number;
  exitCode: number | null;
  cpuSeconds?: number;
}

/** `count` round-2 NOTIFYs from a sipp UAC into a sipp UAS, all started at once. */
export async function referenceStorm(options: { host: string; dir: string; count: number }): Promise<ReferenceStorm> {
  const { host, dir, count } = options;
  const port = await freePort(host);
  const sink = await startUas({ transport: 'udp', host, port, dir, scenario: 'presence-sink.xml', extra: SIPP_BUFFER });
  try {
    const args = sippArgs({
      target: `${host}:${port}`,
      scenario: path.join(SCENARIOS, 'presence-storm-uac.xml'),
      host,
      calls: count,
      keys: { watcher: 'watcher' },
      timeoutSeconds: 60,
      extra: ['-inf', ROUND_FILES[1], '-l', String(count), '-r', '1000000', '-rp', '1000', '-trace_logs', ...SIPP_BUFFER, ...SKIP_RLIMIT],
    });
    const run = await runSipp(args, dir, 90_000);
    const log = readStormLog(dir, 'presence-storm-uac');
    // Exit 0: every call had its 200. The log is for the times (sipp may lose its last line at exit).
    if (run.code !== 0 || log.answered === 0) {
      throw new Error(`sipp storm UAC: exit ${run.code}, ${log.answered}/${count} answered:\n${run.output.slice(-2500)}`);
    }
    const elapsedMs = log.lastAnsweredAt - log.firstSentAt;
    return {
      ...log,
      count,
      elapsedMs,
      notifiesPerSecond: (count * 1000) / elapsedMs,
      exitCode: run.code,
      ...(run.cpuSeconds !== undefined ? { cpuSeconds: run.cpuSeconds } : {}),
    };
  } finally {
    await sink.stop();
  }
}

/**
 * Every buddy PUBLISHes its document of `round` to the server at `proxy` (host:port) as
 * sip:buddy<n>@domain, `inFlight` at a time; resolves once sipp is done (throws unless every one got 200).
 */
export async function publishRound(options: {
  proxy: string;
  domain: string;
  dir: string;
  round: 1 | 2;
  count: number;
  inFlight?: number;
}): Promise<void> {
  const file = ROUND_FILES[options.round - 1]!;
  const args = sippArgs({
    target: options.proxy,
    scenario: path.join(SCENARIOS, 'presence-publish.xml'),
    transport: 'udp',
    calls: options.count,
    keys: { domain: options.domain },
    timeoutSeconds: 300,
    extra: ['-inf', file, '-l', String(options.inFlight ?? 200), '-r', '2000', ...SIPP_BUFFER, ...SKIP_RLIMIT],
  });
  const run = await runSipp(args, options.dir, 330_000);
  if (run.code !== 0) throw new Error(`sipp PUBLISH round ${options.round}: exit ${run.code}:\n${run.output.slice(-2000)}`);
}
