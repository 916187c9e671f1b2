/**
 * One Parley in its own OS process, for bench/transport.ts and bench/im.ts: a core from createParley (the same
 * composition root every host uses) with an account registered at the bench's Kamailio, driven
 * through the same dispatch() gate the hosts use.
 *
 *   node --import tsx bench/lib/worker.ts '{"user":"tx","domain":"parley.test","proxy":"sip:127.0.0.1:5060","transport":"udp","dataDir":"/tmp/x"}'
 *
 * Talks JSON lines: stdout first carries {"type":"ready",...} once registered, then one reply
 * {"id":n,"ok":true,"value":...} | {"id":n,"ok":false,"error":"..."} per request read from stdin
 * ({"id":n,"cmd":"run"|"received"|"burst"|"arrivals"|"profileStart"|"profileStop"|"stats"|"stop",...}).
 * Core diagnostics (warn and up) go to stderr. Timing is taken here, in the process that sends,
 * so the parent's own work never lands inside a measurement.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import type { ChatMessage, SequencedEvent } from '../../shared/ipc.js';
import { createLogger } from '../../electron/core/logger.js';
import type { Core } from '../../electron/core/core.js';
import { createParley } from '../../electron/hosts/compose.js';
import { dispatch } from '../../electron/hosts/dispatch.js';
import { mean, quantile } from './stats.js';
import { ImBench, type BurstRequest } from './im-bench.js';

export interface WorkerOptions {
  user: string;
  domain: string;
  /** Proxy URI, e.g. sip:127.0.0.1:5060. */
  proxy: string;
  transport: 'udp' | 'tcp';
  dataDir: string;
  /** Keep-alive/probe interval (ms) instead of the default: to measure its cost. */
  probeMs?: number;
  /** MESSAGEs in flight per conversation instead of chat's default 8. */
  sendWindow?: number;
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
  | { id: number; cmd: 'stats' }
  | ({ id: number; cmd: 'burst' } & BurstRequest)
  | { id: number; cmd: 'arrivals'; tag: string; expected: number; timeoutMs?: number }
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
    const check = (state: string, reason?: string) => {
      if (state === 'registered') {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      } else if (state === 'failed') {
        clearTimeout(timer);
        unsubscribe();
        reject(new Error(`registration failed: ${reason ?? 'no reason'}`));
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
  private profiler?: Session;

  constructor(private readonly core: Core) {
    core.subscribe((event) => {
      if (event.type === 'message' && event.direction === 'in') this.bodies.set(event.body, (this.bodies.get(event.body) ?? 0) + 1);
      else if (event.type === 'delivery' && event.state !== 'sending' && event.state !== 'queued') this.onDelivery?.(event);
    });
  }

  /** Sends `count` MESSAGEs keeping `concurrency` outstanding; a round trip ends with the delivery event. */
  run(request: RunRequest): Promise<RunResult> {
    const { to, count, concurrency, tag } = request;
    const stallMs = request.stallMs ?? 20_000;
    const latencies: number[] = [];
    const failures: Record<string, number> = {};
    const inFlight = new Map<string, number>(); // message id -> send time
    const early = new Map<string, SequencedEvent & { type: 'delivery' }>(); // outcome before sendMessage returned
    let launched = 0;
    let settled = 0;
    let delivered = 0;
    const t0 = performance.now();
    let tLast = t0;

    return new Promise<RunResult>((resolve) => {
      let stall: NodeJS.Timeout | undefined;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(stall);
        this.onDelivery = undefined;
        const elapsedMs = tLast - t0;
        resolve({
          tag,
          count,
          concurrency,
          delivered,
          failed: count - delivered,
          failures,
          elapsedMs,
          messagesPerSecond: elapsedMs > 0 ? (delivered * 1000) / elapsedMs : 0,
          latencyMs: {
            p50: quantile(latencies, 0.5),
            p90: quantile(latencies, 0.9),
            p99: quantile(latencies, 0.99),
            mean: mean(latencies),
            max: latencies.length ? Math.max(...latencies) : Number.NaN,
          },
        });
      };
      const armStall = () => {
        clearTimeout(stall);
        stall = setTimeout(() => {
          failures[`no outcome within ${stallMs} ms`] = count - settled;
          finish();
        }, stallMs);
      };
      const fail = (reason: string) => {
        failures[reason] = (failures[reason] ?? 0) + 1;
      };
      const settle = (sentAt: number, event: (SequencedEvent & { type: 'delivery' }) | undefined, reason?: string) => {
        if (finished) return; // gave up on this run (stalled); late outcomes do not count
        const now = performance.now();
        tLast = now;
        settled++;
        if (event?.state === 'delivered') {
          delivered++;
          latencies.push(now - sentAt);
        } else fail(reason ?? `${event?.state ?? 'failed'}${event?.code ? ' ' + event.code : ''}${event?.reason ? ': ' + event.reason : ''}`);
        if (settled === count) finish();
        else {
          armStall();
          launch();
        }
      };
      this.onDelivery = (event) => {
        const sentAt = inFlight.get(event.id);
        if (sentAt === undefined) {
          early.set(event.id, event);
          return;
        }
        inFlight.delete(event.id);
        settle(sentAt, event);
      };
      const launch = () => {
        if (finished || launched >= count) return;
        const i = launched++;
        const sentAt = performance.now();
        void dispatch(this.core, 'sendMessage', { to, body: `${tag} ${i}` }).then((outcome) => {
          if (!outcome.ok) {
            settle(sentAt, undefined, `${outcome.error.code}: ${outcome.error.message}`);
            return;
          }
          const { id } = outcome.value as ChatMessage;
          const known = early.get(id);
          if (known) {
            early.delete(id);
            settle(sentAt, known);
          } else inFlight.set(id, sentAt);
        });
      };
      armStall();
      for (let k = 0; k < Math.min(concurrency, count); k++) launch();
    });
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

  async profileStart(intervalUs = 200): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.post('Profiler.start');
    this.profiler = session;
  }

  async profileStop(file: string): Promise<{ file: string }> {
    const session = this.profiler;
    if (!session) throw new Error('the profiler is not running');
    this.profiler = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    return { file };
  }

  /** The transport's counters (retransmissions, absorbed requests); a peek past the Core interface, for diagnostics only. */
  stats(): unknown {
    const peek = this.core as unknown as { endpoint?: { transport?: { stats?: unknown } } };
    return { transport: peek.endpoint?.transport?.stats ?? null, memoryMb: Math.round(process.memoryUsage().rss / 1e6) };
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
  const core = await createParley({
    dataDir: options.dataDir,
    listen: '127.0.0.1:0',
    logger: createLogger('warn'),
    account: {
      aor: `sip:${options.user}@${options.domain}`,
      proxy: options.proxy,
      transport: options.transport,
      registerExpires: 3600,
    },
    ...(options.probeMs ? { keepAlive: { intervalMs: options.probeMs } } : {}),
    ...(options.sendWindow ? { sendWindow: options.sendWindow } : {}),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await core.stop().catch(() => {});
    rmSync(options.dataDir, { recursive: true, force: true });
  };
  try {
    await waitForRegistration(core, 15_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const bench = new Bench(core);
  const im = new ImBench(core);
  const snapshot = await core.commands.getSnapshot({});
  write({ type: 'ready', pid: process.pid, aor: snapshot.account?.aor, listening: snapshot.listening });

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
          return bench.run(request);
        case 'received':
          return bench.received(request.tag, request.expected, request.timeoutMs);
        case 'profileStart':
          return bench.profileStart(request.intervalUs);
        case 'profileStop':
          return bench.profileStop(request.file);
        case 'stats':
          return bench.stats();
        case 'burst':
          return im.burst(request);
        case 'arrivals':
          return im.received(request.tag, request.expected, request.timeoutMs);
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
  process.stderr.write(`bench worker: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
