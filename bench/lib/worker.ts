/**
 * One Parley in its own OS process (run from its bundle, dist/bench/worker.cjs, made by
 * worker-client.ts; or from the sources: node --import tsx bench/lib/worker.ts), for bench/transport.ts, bench/im.ts and the others: a core from createParley (the same
 * composition root every host uses) with an account registered at the bench's Kamailio, driven
 * through the same dispatch() gate the hosts use.
 *
 *   node dist/bench/worker.cjs '{"user":"tx","domain":"parley.test","proxy":"sip:127.0.0.1:5060","transport":"udp","dataDir":"/tmp/x"}'
 *
 * Talks JSON lines: stdout first carries {"type":"ready",...} once registered, then one reply
 * {"id":n,"ok":true,"value":...} | {"id":n,"ok":false,"error":"..."} per request read from stdin
 * ({"id":n,"cmd":"run"|"received"|"burst"|"arrivals"|"presenceStart"|"presenceWait"|"presenceSnapshot"|
 * "idleReady"|"idleStart"|"idleStop"|"soakStart"|"soakSample"|"soakStop"|"profileStart"|"profileStop"|"heapSnapshot"|
 * "fileOffer"|"fileOffered"|"fileMeasure"|"fileAccept"|"fileFinished"|"stats"|"settledMemory"|"stop",...}). With `files` (bench/files.ts) it
 * sends or receives files, measured in this process (files-part.ts). With `soak` (bench/soak.ts) it keeps a conversation and its status busy. With a
 * `roster` (bench/presence.ts) there is no proxy (direct mode) and the core is made by presenceStart,
 * after `ready`. With `idle` (bench/idle.ts) its buddies are stored first and what wakes the event
 * loop is counted between idleStart and idleStop (wakeups.ts).
 * Core diagnostics (warn and up) go to stderr. Timing is taken here, in the process that sends,
 * so the parent's own work never lands inside a measurement.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { writeHeapSnapshot } from 'node:v8';
import type { Reason, SequencedEvent } from '../../shared/ipc.js';
import { wordReason } from '../../shared/words/word-reason.js';
import { createLogger } from '../../electron/support/logger.js';
import type { Core } from '../../electron/core/core.js';
import { createParley } from '../../electron/hosts/compose.js';
import { mean, quantile } from './stats.js';
import { ImBench, type BurstRequest } from './im-bench.js';
import { sendRun } from './send-run.js';
import { PresenceBench, seedContacts, seedRoster, settledMemory, type RosterOptions } from './presence-bench.js';
import { seedHistory, type HistoryShape } from './history-seed.js';
import { WakeupCounter } from './wakeups.js';
import { SoakPart, type SoakStart } from './soak-part.js';
import { FilesPart } from './files-part.js';
import type { Round } from './presence-roster.js';

export interface WorkerOptions {
  user: string;
  domain: string;
  /** Proxy URI, e.g. sip:127.0.0.1:5060; none = direct mode (bench/presence.ts). */
  proxy?: string;
  transport: 'udp' | 'tcp' | 'tls';
  dataDir: string;
  /** host:port to listen on (default 127.0.0.1:0). */
  listen?: string;
  /** PEM certificate to trust for TLS (the bench's Kamailio's own). */
  tlsTrust?: string;
  /** Keep-alive/probe interval (ms) instead of the default: to measure its cost. */
  probeMs?: number;
  /** MESSAGEs in flight per conversation instead of chat's default 8. */
  sendWindow?: number;
  /**
   * bench/im.ts: keep the chat bookkeeping (arrival times and order of every message) instead of
   * the transport benchmark's body counts; each costs the receiving process per message, so a
   * worker keeps only the one its benchmark reads.
   */
  im?: boolean;
  /**
   * bench/presence.ts: this roster is stored first, `ready` comes before the core exists, and the
   * core is made by the `presenceStart` request (so its start-up is what gets timed).
   */
  roster?: RosterOptions;
  /** bench/presence.ts --history: this history is written into the data folder before the roster. */
  history?: HistoryShape;
  /** bench/presence-rls.ts: the account keeps its contact list at this XCAP root (resource lists). */
  xcapRoot?: string;
  /** bench/idle.ts: this many buddies sip:buddy<n>@<domain> are stored before the core starts. */
  idle?: { buddies: number };
  /** bench/soak.ts: the soak part (soak-part.ts) instead of the transport benchmark's body counts. */
  soak?: boolean;
  /** bench/files.ts: the file part (files-part.ts); a connection to one of `relayPorts` is the MSRP relay. */
  files?: { relayPorts: number[] };
  /** The account's password (a server with auth; the MSRP relay always asks). */
  password?: string;
  /** The account's MSRP relay (msrp://host:port). */
  msrpRelay?: string;
}

export interface RunRequest {
  to: string;
  count: number;
  concurrency: number;
  /** Bodies are `${tag} ${i}`: the receiver counts them per tag. */
  tag: string;
  /** Give up when nothing completes for this long. */
  stallMs?: number;
}

export interface RunResult {
  tag: string;
  count: number;
  concurrency: number;
  delivered: number;
  failed: number;
  /** Failure reasons seen, with counts. */
  failures: Record<string, number>;
  /** First send to last outcome. */
  elapsedMs: number;
  messagesPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number; max: number };
}

export interface ReceivedResult {
  tag: string;
  /** Distinct bodies of this tag that arrived. */
  distinct: number;
  /** Message events of this tag (a body delivered twice counts twice). */
  total: number;
  duplicates: number;
}

type Request =
  | ({ id: number; cmd: 'run' } & RunRequest)
  | { id: number; cmd: 'received'; tag: string; expected: number; timeoutMs?: number }
  | { id: number; cmd: 'profileStart'; intervalUs?: number }
  | { id: number; cmd: 'profileStop'; file: string }
  | { id: number; cmd: 'heapSnapshot'; file: string }
  | { id: number; cmd: 'stats' }
  | { id: number; cmd: 'settledMemory' }
  | ({ id: number; cmd: 'burst' } & BurstRequest)
  | { id: number; cmd: 'arrivals'; tag: string; expected: number; timeoutMs?: number }
  | { id: number; cmd: 'presenceStart' }
  | { id: number; cmd: 'presenceWait'; round: Round; timeoutMs: number }
  | { id: number; cmd: 'presenceSnapshot'; round: Round }
  | { id: number; cmd: 'idleReady'; timeoutMs: number }
  | { id: number; cmd: 'idleStart' }
  | { id: number; cmd: 'idleStop' }
  | ({ id: number; cmd: 'soakStart' } & SoakStart)
  | { id: number; cmd: 'soakSample' }
  | { id: number; cmd: 'soakStop' }
  | { id: number; cmd: 'fileOffer'; to: string; path: string }
  | { id: number; cmd: 'fileOffered'; timeoutMs: number }
  | { id: number; cmd: 'fileMeasure' }
  | { id: number; cmd: 'fileAccept'; transfer: string; timeoutMs: number }
  | { id: number; cmd: 'fileFinished'; transfer: string; timeoutMs: number }
  | { id: number; cmd: 'stop' };

function write(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

function waitForRegistration(core: Core, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let unsubscribe = () => {};
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`not registered within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = (state: string, reason?: Reason) => {
      if (state === 'registered' || state === 'direct') {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      } else if (state === 'failed') {
        clearTimeout(timer);
        unsubscribe();
        reject(new Error(`registration failed: ${reason ? wordReason(reason) : 'no reason'}`));
      }
    };
    unsubscribe = core.subscribe((event) => {
      if (event.type === 'registration') check(event.state, event.reason);
    });
    void core.commands.getSnapshot({}).then((snapshot) => check(snapshot.registration.state, snapshot.registration.reason));
  });
}

class Bench {
  /** body -> how many times it arrived */
  private readonly bodies = new Map<string, number>();
  private onDelivery: ((event: SequencedEvent & { type: 'delivery' }) => void) | undefined;
  constructor(private readonly core: Core) {
    core.subscribe((event) => {
      if (event.type === 'message' && event.direction === 'in') this.bodies.set(event.body, (this.bodies.get(event.body) ?? 0) + 1);
      else if (event.type === 'delivery' && event.state !== 'sending' && event.state !== 'queued') this.onDelivery?.(event);
    });
  }

  /** Sends `count` MESSAGEs keeping `concurrency` outstanding; a round trip ends with the delivery event. */
  async run(request: RunRequest): Promise<RunResult> {
    const { to, count, concurrency, tag } = request;
    const run = await sendRun(this.core, (listener) => this.listen(listener), {
      to,
      count,
      concurrency,
      stallMs: request.stallMs ?? 20_000,
      body: (i) => `${tag} ${i}`,
    });
    const latencies = run.roundTripsMs;
    return {
      tag,
      count,
      concurrency,
      delivered: run.delivered,
      failed: count - run.delivered,
      failures: run.failures,
      elapsedMs: run.elapsedMs,
      messagesPerSecond: run.messagesPerSecond,
      latencyMs: {
        p50: quantile(latencies, 0.5),
        p90: quantile(latencies, 0.9),
        p99: quantile(latencies, 0.99),
        mean: mean(latencies),
        max: latencies.length ? Math.max(...latencies) : Number.NaN,
      },
    };
  }

  private listen(listener: (event: SequencedEvent & { type: 'delivery' }) => void): () => void {
    this.onDelivery = listener;
    return () => (this.onDelivery = undefined);
  }

  /** How many bodies of a tag arrived; waits (up to timeoutMs) until `expected` distinct ones are in. */
  async received(tag: string, expected: number, timeoutMs = 5000): Promise<ReceivedResult> {
    const prefix = `${tag} `;
    const count = (): ReceivedResult => {
      let distinct = 0;
      let total = 0;
      for (const [body, n] of this.bodies) {
        if (!body.startsWith(prefix)) continue;
        distinct++;
        total += n;
      }
      return { tag, distinct, total, duplicates: total - distinct };
    };
    const deadline = Date.now() + timeoutMs;
    let result = count();
    while (result.distinct < expected && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      result = count();
    }
    return result;
  }
}

/** The CPU profiler of this process (node:inspector); one at a time. */
class Profiler {
  private session?: Session;

  async start(intervalUs = 200): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    this.session = session;
  }

  async stop(file: string): Promise<{ file: string }> {
    const session = this.session;
    if (!session) throw new Error('the profiler is not running');
    this.session = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  }
}

function startCore(options: WorkerOptions): Promise<Core> {
  return createParley({
    dataDir: options.dataDir,
    listen: options.listen ?? '127.0.0.1:0',
    logger: createLogger([{ level: 'warn', stream: process.stderr }]),
    account: {
      aor: `sip:${options.user}@${options.domain}`,
      ...(options.proxy ? { proxy: options.proxy } : {}),
      transport: options.transport,
      registerExpires: 3600,
      ...(options.tlsTrust ? { tlsTrust: options.tlsTrust } : {}),
      ...(options.xcapRoot ? { xcapRoot: options.xcapRoot } : {}),
      ...(options.msrpRelay ? { msrpRelay: options.msrpRelay } : {}),
    },
    ...(options.password ? { password: options.password } : {}),
    ...(options.probeMs ? { keepAlive: { intervalMs: options.probeMs } } : {}),
    ...(options.sendWindow ? { sendWindow: options.sendWindow } : {}),
  });
}

/** The transport's counters (retransmissions, absorbed requests); a peek past the Core interface, for diagnostics only. */
function coreStats(core: Core): unknown {
  const peek = core as unknown as { endpoint?: { transport?: { stats?: unknown } } };
  return { transport: peek.endpoint?.transport?.stats ?? null, memoryMb: Math.round(process.memoryUsage().rss / 1e6) };
}

/** A started core and the bookkeeping its benchmark reads (only that one: each costs per message). */
interface Running {
  core: Core;
  bench?: Bench;
  im?: ImBench;
  presence?: PresenceBench;
  soak?: SoakPart;
  files?: FilesPart;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
  const profiler = new Profiler();
  let running: Running | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    running?.presence?.stop();
    running?.soak?.stop();
    await running?.core.stop().catch(() => {});
    rmSync(options.dataDir, { recursive: true, force: true });
  };
  const started = (): Running => {
    if (!running) throw new Error('the core is not started');
    return running;
  };

  // Counting starts with idleStart; the hook goes in before the core so it knows every timer's type.
  const wakeups = options.idle ? new WakeupCounter() : undefined;
  if (options.idle) seedContacts(options.dataDir, options.idle.buddies, (n) => `sip:buddy${n}@${options.domain}`);
  if (options.roster) {
    if (options.history) seedHistory(options.dataDir, options.history);
    seedRoster(options.dataDir, options.roster);
    write({ type: 'ready', pid: process.pid });
  } else {
    const core = await startCore(options);
    running = options.im
      ? { core, im: new ImBench(core) }
      : options.soak
        ? { core, soak: new SoakPart(core) }
        : options.files
          ? { core, files: new FilesPart(core, options.files.relayPorts) }
          : { core, bench: new Bench(core) };
    try {
      await waitForRegistration(core, 15_000);
    } catch (error) {
      await stop();
      throw error;
    }
    const snapshot = await core.commands.getSnapshot({});
    write({ type: 'ready', pid: process.pid, aor: snapshot.account?.aor, listening: snapshot.listening });
  }

  /** The part of the worker a request needs, or a clear error when this worker was started without it. */
  const part = <K extends 'bench' | 'im' | 'soak' | 'files'>(key: K): NonNullable<Running[K]> => {
    const value = started()[key];
    if (!value)
      throw new Error(
        `this worker has no ${key} part (started ${key === 'bench' ? 'with' : 'without'} the ${key === 'bench' ? 'im, soak or files' : key} option)`,
      );
    return value as NonNullable<Running[K]>;
  };

  const presenceStart = async () => {
    if (running || !options.roster) throw new Error('presenceStart: no roster, or already started');
    const startedAt = performance.timeOrigin + performance.now();
    const core = await startCore(options);
    running = { core, presence: new PresenceBench(core, options.roster.count, startedAt) };
    return { startedAt };
  };
  const presence = (): PresenceBench => {
    const bench = started().presence;
    if (!bench) throw new Error('not a presence worker');
    return bench;
  };

  /** bench/idle.ts: until every buddy's subscription is active (the roster is known, the rest is idle). */
  const idleReady = async (timeoutMs: number) => {
    const core = started().core;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const buddies = (await core.commands.getSnapshot({})).presence.buddies;
      const active = buddies.filter((b) => b.subscription === 'active').length;
      if (active === buddies.length || Date.now() > deadline) return { buddies: buddies.length, active };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const counter = (): WakeupCounter => {
    if (!wakeups) throw new Error('not an idle worker');
    return wakeups;
  };

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    let request: Request;
    try {
      request = JSON.parse(line) as Request;
    } catch {
      return;
    }
    const handle = async (): Promise<unknown> => {
      switch (request.cmd) {
        case 'run':
          return part('bench').run(request);
        case 'received':
          return part('bench').received(request.tag, request.expected, request.timeoutMs);
        case 'profileStart':
          return profiler.start(request.intervalUs);
        case 'profileStop':
          return profiler.stop(request.file);
        case 'heapSnapshot':
          return writeHeapSnapshot(request.file);
        case 'stats':
          return coreStats(started().core);
        case 'settledMemory':
          return settledMemory();
        case 'burst':
          return part('im').burst(request);
        case 'arrivals':
          return part('im').received(request.tag, request.expected, request.timeoutMs);
        case 'presenceStart':
          return presenceStart();
        case 'presenceWait':
          return presence().wait(request.round, request.timeoutMs);
        case 'presenceSnapshot':
          return presence().checkSnapshot(request.round);
        case 'idleReady':
          return idleReady(request.timeoutMs);
        case 'idleStart':
          return counter().start();
        case 'idleStop':
          return counter().stop();
        case 'soakStart':
          return part('soak').start(request);
        case 'soakSample':
          return part('soak').sample();
        case 'soakStop':
          return part('soak').stop();
        case 'fileOffer':
          return part('files').offer(request.to, request.path);
        case 'fileOffered':
          return part('files').offered(request.timeoutMs);
        case 'fileMeasure':
          return part('files').measure();
        case 'fileAccept':
          return part('files').accept(request.transfer, request.timeoutMs);
        case 'fileFinished':
          return part('files').finished(request.transfer, request.timeoutMs);
        case 'stop':
          await stop();
          return null;
      }
    };
    handle().then(
      (value) => {
        write({ id: request.id, ok: true, value: value ?? null });
        if (request.cmd === 'stop') process.exit(0);
      },
      (error: unknown) => write({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
  });
  // The parent went away: do not linger.
  lines.on('close', () => void stop().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
