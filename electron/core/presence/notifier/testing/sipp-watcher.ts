/**
 * Test helpers for the notifier: sipp as a presence watcher (scenarios/watcher.xml) with its
 * message trace read back exactly (bodies cut by Content-Length, in bytes), and a clock that can
 * jump and run fast for boundary and expiry tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../../support/clock.js';
import type { RunningProgram } from '../../../../testing/program.js';
import { startSipp } from '../../../../testing/sipp.js';

const SCENARIO = path.join(import.meta.dirname, '..', 'scenarios', 'watcher.xml');

export interface WatcherOptions {
  /** host:port sipp sends the first SUBSCRIBE to (Parley itself, or the proxy). */
  target: string;
  from: string;
  to: string;
  /** Domain of the From and To URIs (for direct mode: Parley's host:port). */
  domain: string;
  expires?: number;
  /** Refresh after this many NOTIFYs (0 = never). */
  refresh?: number;
  /** Un-subscribe after this many NOTIFYs (0 = never). */
  unsub?: number;
}

export interface TracedMessage {
  direction: 'sent' | 'received';
  startLine: string;
  /** Header values by lower-case name. */
  headers: Map<string, string[]>;
  /** The body, exactly (Content-Length bytes). */
  body: string;
}

export interface SippWatcher {
  program: RunningProgram;
  /** Resolves once the watcher has answered its n-th NOTIFY. */
  notified(n: number): Promise<void>;
  /** sipp's exit code (0: the scenario ran to its end). */
  exited: Promise<number | string | null>;
  /** Every message so far, in order. */
  trace(): TracedMessage[];
  /** The NOTIFYs received, in order. */
  notifies(): TracedMessage[];
  stop(): Promise<void>;
}

export async function startWatcher(options: WatcherOptions): Promise<SippWatcher> {
  const sipp = await startSipp({
    name: 'sipp watcher',
    target: options.target,
    scenario: SCENARIO,
    timeoutSeconds: 60,
    trace: true,
    keys: {
      from: options.from,
      to: options.to,
      domain: options.domain,
      expires: String(options.expires ?? 600),
      refresh: String(options.refresh ?? 0),
      unsub: String(options.unsub ?? 0),
    },
  });
  const { program } = sipp;
  const trace = (): TracedMessage[] => (fs.existsSync(sipp.traceFile) ? readTrace(fs.readFileSync(sipp.traceFile)) : []);
  return {
    program,
    notified: async (n) => {
      await program.waitForLine(new RegExp(`^parley-watcher notify ${n}(\\.0+)? `), { timeoutMs: 20_000 });
    },
    exited: program.exited,
    trace,
    notifies: () => trace().filter((m) => m.direction === 'received' && m.startLine.startsWith('NOTIFY ')),
    stop: () => sipp.stop(),
  };
}

const BLOCK_START = /^-{20,} [^\n]*\n(?:UDP|TCP) message (sent|received)[^\n]*\n\n/gm;

/** Parses sipp's -trace_msg file (bytes, so bodies keep their exact length). */
export function readTrace(file: Buffer): TracedMessage[] {
  const text = file.toString('latin1');
  const starts = [...text.matchAll(BLOCK_START)];
  return starts.map((match, i) => {
    const begin = match.index! + match[0].length;
    const end = i + 1 < starts.length ? starts[i + 1]!.index! : text.length;
    return parseMessage(match[1] as 'sent' | 'received', Buffer.from(text.slice(begin, end), 'latin1'));
  });
}

function parseMessage(direction: 'sent' | 'received', raw: Buffer): TracedMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, split < 0 ? raw.length : split)
    .toString('utf8')
    .split('\r\n');
  const headers = headerMap(head.slice(1));
  const length = Number(headers.get('content-length')?.[0] ?? 0);
  const body = split < 0 ? '' : raw.subarray(split + 4, split + 4 + length).toString('utf8');
  return { direction, startLine: head[0] ?? '', headers, body };
}

/** Header lines -> values by lower-case name, in order. */
export function headerMap(lines: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
}

export function header(message: Pick<TracedMessage, 'headers'>, name: string): string | undefined {
  return message.headers.get(name.toLowerCase())?.[0];
}

/**
 * Wall-clock time for the core under test: starts at `start`, runs `speed` times as fast as real
 * time (its timers fire that much sooner), and can jump ahead as across sleep.
 */
export class TestClock implements Clock {
  private readonly realStart = Date.now();
  private jumped = 0;

  constructor(
    private readonly start: number,
    private readonly speed = 1,
  ) {}

  now(): number {
    return this.start + (Date.now() - this.realStart) * this.speed + this.jumped;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return setTimeout(fn, ms / this.speed);
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  }

  /** The wall clock moves to `wall` without any timer firing. */
  jumpTo(wall: number): void {
    this.jumped += wall - this.now();
  }
}
