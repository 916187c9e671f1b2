/**
 * Message traffic between real cores for loss and load tests: send many MESSAGEs with a bounded
 * number in flight and wait on delivery events (never on timers), and tally what a receiver saw.
 * Black-box: only the Core interface (commands and events) is used.
 */
import type { DeliveryState, Reason, SequencedEvent } from '../../shared/ipc.js';
import type { Core } from '../core/core.js';

/** "msg-0001" .. "msg-1000" (zero-padded to at least four digits). */
export function numberedBodies(count: number, prefix = 'msg-'): string[] {
  const width = Math.max(4, String(count).length);
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(width, '0')}`);
}

export interface SendOutcome {
  body: string;
  id: string;
  /** The final delivery state (delivered / stored / failed), or 'timeout' if none came. */
  state: DeliveryState | 'timeout';
  code?: number;
  reason?: Reason;
  ms: number;
}

export interface SendReport {
  outcomes: SendOutcome[];
  /** Delivery events per message id (a message must get exactly one final one). */
  finalEventsPerId: Map<string, number>;
  elapsedMs: number;
}

const FINAL: readonly string[] = ['delivered', 'stored', 'failed'];

/**
 * Sends every body to `to`, keeping at most `concurrency` without a final delivery state; each
 * message gets `perMessageTimeoutMs` (after which it counts as 'timeout').
 */
export async function sendMany(
  core: Core,
  to: string,
  bodies: readonly string[],
  concurrency: number,
  perMessageTimeoutMs = 45_000,
): Promise<SendReport> {
  const waiting = new Map<string, (event: SequencedEvent & { type: 'delivery' }) => void>();
  const early = new Map<string, SequencedEvent & { type: 'delivery' }>();
  const finalEventsPerId = new Map<string, number>();
  const unsubscribe = core.subscribe((event) => {
    if (event.type !== 'delivery' || !FINAL.includes(event.state)) return;
    finalEventsPerId.set(event.id, (finalEventsPerId.get(event.id) ?? 0) + 1);
    const resolve = waiting.get(event.id);
    if (resolve) {
      waiting.delete(event.id);
      resolve(event);
    } else if (!early.has(event.id)) early.set(event.id, event);
  });
  const outcomes: SendOutcome[] = new Array(bodies.length);
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const index = next++;
      const body = bodies[index]!;
      const t0 = Date.now();
      const sent = await core.commands.sendMessage({ to, body });
      const final = await new Promise<(SequencedEvent & { type: 'delivery' }) | undefined>((resolve) => {
        const already = early.get(sent.id);
        if (already) return resolve(already);
        const timer = setTimeout(() => {
          waiting.delete(sent.id);
          resolve(undefined);
        }, perMessageTimeoutMs);
        waiting.set(sent.id, (event) => {
          clearTimeout(timer);
          resolve(event);
        });
      });
      early.delete(sent.id);
      outcomes[index] = {
        body,
        id: sent.id,
        state: final ? final.state : 'timeout',
        ...(final?.code !== undefined ? { code: final.code } : {}),
        ...(final?.reason !== undefined ? { reason: final.reason } : {}),
        ms: Date.now() - t0,
      };
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, bodies.length) }, worker));
  } finally {
    unsubscribe();
  }
  return { outcomes, finalEventsPerId, elapsedMs: Date.now() - started };
}

/** Counts incoming message bodies on a core, from now on. */
export class InboxTally {
  readonly counts = new Map<string, number>();
  private total = 0;
  private waiters: { n: number; resolve: () => void }[] = [];
  private readonly unsubscribe: () => void;

  constructor(
    core: Core,
    private readonly filter: (body: string) => boolean = () => true,
  ) {
    this.unsubscribe = core.subscribe((event) => {
      if (event.type !== 'message' || event.direction !== 'in' || !this.filter(event.body)) return;
      this.counts.set(event.body, (this.counts.get(event.body) ?? 0) + 1);
      this.total++;
      this.waiters = this.waiters.filter((w) => (this.total >= w.n ? (w.resolve(), false) : true));
    });
  }

  get received(): number {
    return this.total;
  }

  /** Resolves once `n` matching messages have arrived (rejects after timeoutMs). */
  waitForCount(n: number, timeoutMs = 30_000): Promise<void> {
    if (this.total >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.total} of ${n} messages arrived within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  /** Bodies expected but never seen, and bodies seen more than once (or not expected at all). */
  check(expected: readonly string[]): { missing: string[]; duplicated: string[]; unexpected: string[] } {
    const want = new Set(expected);
    return {
      missing: expected.filter((b) => !this.counts.has(b)),
      duplicated: [...this.counts].filter(([, n]) => n > 1).map(([b, n]) => `${b} x${n}`),
      unexpected: [...this.counts.keys()].filter((b) => !want.has(b)),
    };
  }

  stop(): void {
    this.unsubscribe();
  }
}
