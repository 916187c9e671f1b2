/**
 * The worker's part for `npm run soak` (bench/soak.ts): a steady conversation and status churn
 * driven from inside the measured process (the other side is a contact who may see our status),
 * and samples of what it holds over time: RSS, the JS heap as the process runs, the heap that is
 * still alive after a full collection (what a leak shows in: the running heap is a GC sawtooth
 * whose samples fall anywhere between its lows and highs), and the longest event-loop stall since
 * the previous sample (the collection this sampling forces is left out of it).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { Core } from '../../electron/core/core.js';
import type { Availability } from '../../shared/domain/availability.js';
import { fullCollection } from './full-collection.js';

export interface SoakStart {
  /** Whom to write to. */
  to: string;
  /** Messages per second this worker sends. */
  ratePerSecond: number;
  /** How often this worker changes its status (ms; 0: never). */
  statusEveryMs: number;
  /** Bodies are `${tag} ${n}`. */
  tag: string;
}

export interface SoakSample {
  rssMb: number;
  heapUsedMb: number;
  /** heapUsed right after a full collection: what is alive. */
  liveHeapMb: number;
  externalMb: number;
  /** The longest event-loop delay since the previous sample, and its p99 (ms). */
  stallMaxMs: number;
  stallP99Ms: number;
  sent: number;
  delivered: number;
  failed: number;
  received: number;
  statusChanges: number;
  buddyUpdates: number;
}

const CYCLE: Availability[] = ['online', 'away', 'busy'];
const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

export class SoakPart {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly counts = { sent: 0, failed: 0, received: 0, statusChanges: 0, buddyUpdates: 0 };
  /**
   * Ids of the messages sent that reached the peer: a receipt announces a message again, sometimes
   * in the same event as its delivery. About 40 bytes a message (some 0.01 MB a minute at the
   * default rate), far below the growth this benchmark looks for.
   */
  private readonly delivered = new Set<string>();

  constructor(private readonly core: Core) {
    core.subscribe((event) => {
      // The other side asks to see our status: let them, so the churn reaches them as NOTIFYs.
      if (event.type === 'watcher' && event.watcher.status === 'pending') {
        void core.commands.answerWatcher({ aor: event.watcher.aor, decision: 'allow' }).catch(() => undefined);
      }
      if (event.type === 'message' && event.direction === 'in') this.counts.received++;
      else if (event.type === 'delivery' && (event.state === 'delivered' || event.state === 'stored')) this.delivered.add(event.id);
      else if (event.type === 'delivery' && event.state === 'failed') this.counts.failed++;
      else if (event.type === 'buddy') this.counts.buddyUpdates++;
    });
  }

  /** Adds `to` as a contact (a presence subscription through the server), then starts the churn. */
  async start(request: SoakStart): Promise<void> {
    await this.core.commands.saveContact({ aor: request.to, groups: [] });
    this.delay.enable();
    if (request.ratePerSecond > 0) {
      this.timers.push(
        setInterval(() => {
          const n = ++this.counts.sent;
          this.core.commands.sendMessage({ to: request.to, body: `${request.tag} ${n}` }).catch(() => this.counts.failed++);
        }, 1000 / request.ratePerSecond),
      );
    }
    if (request.statusEveryMs > 0) {
      this.timers.push(
        setInterval(() => {
          const availability = CYCLE[++this.counts.statusChanges % CYCLE.length]!;
          void this.core.commands.setStatus({ view: { availability, activities: [] }, until: 'cleared' }).catch(() => undefined);
        }, request.statusEveryMs),
      );
    }
  }

  sample(): SoakSample {
    const memory = process.memoryUsage();
    const stallMaxMs = Math.round(this.delay.max / 1e5) / 10;
    const stallP99Ms = Math.round(this.delay.percentile(99) / 1e5) / 10;
    fullCollection();
    const live = process.memoryUsage().heapUsed;
    const sample = {
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
      liveHeapMb: mb(live),
      externalMb: mb(memory.external),
      stallMaxMs,
      stallP99Ms,
      ...this.counts,
      delivered: this.delivered.size,
    };
    // The forced collection's pause is ours, not the product's: the next sample starts after it.
    this.delay.reset();
    return sample;
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.delay.disable();
  }
}
