/**
 * The watching side of bench/presence.ts, inside a bench worker: a Parley in direct mode (no
 * proxy) whose database already holds the whole roster, as when someone with 5,000 contacts opens
 * the app. From its start it follows the `buddy` events (what the UI is sent) and notes when every
 * buddy shows round 1 and then round 2 of the roster (bench/lib/presence-roster.ts), while it
 * watches its own main event loop: monitorEventLoopDelay, and the largest gap between the ticks
 * of a 5 ms interval as a cross-check. Loop and memory figures are per phase (start -> all of
 * round 1 known; -> all of round 2 known).
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { BuddyPresence } from '../../shared/domain/presence.js';
import type { Core } from '../../electron/core/core.js';
import { openDatabase } from '../../electron/storage/database.js';
import { PresenceRepo } from '../../electron/storage/presence-repo.js';
import { buddyAor, buddyNumber, expectedView, sameView, type Round } from './presence-roster.js';
import { fullCollection } from './full-collection.js';

export interface RosterOptions {
  count: number;
  /** Where the presence source listens. */
  host: string;
  port: number;
}

export interface LoopFigures {
  /** Longest event-loop delay seen by monitorEventLoopDelay, ms. */
  maxDelayMs: number;
  p99DelayMs: number;
  /** Longest time between two ticks of a 5 ms interval, ms (5 = no stall). */
  maxTickGapMs: number;
  /** Epoch ms when that longest gap ended (to tell start-up from NOTIFY work). */
  maxTickGapAt: number;
}

export interface PhaseResult {
  round: Round;
  /** Buddies whose view and subscription show this round. */
  known: number;
  /** Epoch ms when the last of them was seen (undefined: not all within the time). */
  doneAt?: number;
  /** Epoch ms of the core's start (round 1) and of the first buddy event. */
  startedAt: number;
  firstEventAt?: number;
  /** buddy events received in this phase. */
  events: number;
  loop: LoopFigures;
  memory: MemoryFigures;
}

/** The process's memory as the OS and V8 see it, MB. */
export interface MemoryFigures {
  rssMb: number;
  heapUsedMb: number;
  /** What V8 holds for the heap, used or not: the part of RSS the heap explains. */
  heapTotalMb: number;
}

export function memoryFigures(): MemoryFigures {
  const memory = process.memoryUsage();
  return { rssMb: memory.rss / 1e6, heapUsedMb: memory.heapUsed / 1e6, heapTotalMb: memory.heapTotal / 1e6 };
}

export interface SettledMemory extends MemoryFigures {
  /** The heap still alive after a full collection: what the process holds, garbage left out. */
  liveHeapMb: number;
  /** RSS once that collection has run (V8 gives some of the freed pages back at once). */
  rssCollectedMb: number;
}

/** The memory figures as they are, then after a full collection (read in that order). */
export function settledMemory(): SettledMemory {
  const before = memoryFigures();
  fullCollection();
  const after = process.memoryUsage();
  return { ...before, liveHeapMb: after.heapUsed / 1e6, rssCollectedMb: after.rss / 1e6 };
}

export interface SnapshotCheck {
  buddies: number;
  /** Buddies the snapshot shows with round 2's view, active and not stale. */
  correct: number;
  /** A few of the others, for the report. */
  wrong: string[];
}

export const TICK_MS = 5;
const now = (): number => performance.timeOrigin + performance.now();

/** The roster into the database before the core opens it (one transaction). */
export function seedRoster(dataDir: string, roster: RosterOptions): void {
  seedContacts(dataDir, roster.count, (n) => buddyAor(n, roster.host, roster.port));
}

/** `count` contacts "Buddy n" with address `aor(n)` into the database before the core opens it. */
export function seedContacts(dataDir: string, count: number, aor: (n: number) => string): void {
  const db = openDatabase(dataDir);
  const repo = new PresenceRepo(db);
  db.transaction(() => {
    for (let n = 0; n < count; n++) repo.saveContact({ aor: aor(n), name: `Buddy ${n}`, groups: [] });
  })();
  db.close();
}

class LoopWatch {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 2 });
  private readonly ticker: NodeJS.Timeout;
  private lastTick = performance.now();
  private maxGap = 0;
  private maxGapAt = 0;

  constructor() {
    this.histogram.enable();
    this.ticker = setInterval(() => {
      const t = performance.now();
      if (t - this.lastTick > this.maxGap) {
        this.maxGap = t - this.lastTick;
        this.maxGapAt = performance.timeOrigin + t;
      }
      this.lastTick = t;
    }, TICK_MS);
  }

  /** The figures since the last cut; starts over. */
  cut(): LoopFigures {
    const figures = {
      maxDelayMs: this.histogram.max / 1e6,
      p99DelayMs: this.histogram.percentile(99) / 1e6,
      maxTickGapMs: this.maxGap,
      maxTickGapAt: this.maxGapAt,
    };
    this.histogram.reset();
    this.maxGap = 0;
    this.maxGapAt = 0;
    return figures;
  }

  stop(): void {
    clearInterval(this.ticker);
    this.histogram.disable();
  }
}

interface Phase {
  known: Set<number>;
  startedAt: number;
  firstEventAt?: number;
  events: number;
  result?: PhaseResult;
  waiters: Array<() => void>;
}

export class PresenceBench {
  private readonly loop = new LoopWatch();
  private readonly phases: Record<Round, Phase>;
  private current: Round = 1;

  /** `startedAt`: epoch ms just before the core was created. */
  constructor(
    private readonly core: Core,
    private readonly count: number,
    startedAt: number,
  ) {
    this.phases = { 1: this.phase(startedAt), 2: this.phase(startedAt) };
    core.subscribe((event) => {
      if (event.type === 'buddy') this.seen(event.buddy);
    });
  }

  private phase(startedAt: number): Phase {
    return { known: new Set(), startedAt, events: 0, waiters: [] };
  }

  private seen(buddy: BuddyPresence): void {
    const phase = this.phases[this.current];
    phase.events++;
    phase.firstEventAt ??= now();
    const n = buddyNumber(buddy.aor);
    if (n === undefined || buddy.subscription !== 'active' || buddy.stale) return;
    for (const round of [1, 2] as const) {
      if (sameView(buddy.view, expectedView(n, round))) this.phases[round].known.add(n);
    }
    if (phase.known.size === this.count && !phase.result) this.close(this.current);
  }

  /** The phase is over: its figures are cut here, and the next phase starts counting. */
  private close(round: Round): void {
    const phase = this.phases[round];
    phase.result = {
      round,
      known: phase.known.size,
      ...(phase.known.size === this.count ? { doneAt: now() } : {}),
      startedAt: phase.startedAt,
      ...(phase.firstEventAt !== undefined ? { firstEventAt: phase.firstEventAt } : {}),
      events: phase.events,
      loop: this.loop.cut(),
      memory: memoryFigures(),
    };
    if (round === 1) {
      this.current = 2;
      this.phases[2].startedAt = now();
    }
    for (const wake of phase.waiters.splice(0)) wake();
  }

  /** Waits until every buddy shows `round` (or timeoutMs passed: then the phase closes incomplete). */
  async wait(round: Round, timeoutMs: number): Promise<PhaseResult> {
    const phase = this.phases[round];
    if (!phase.result) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          if (!phase.result) this.close(round);
        }, timeoutMs);
        phase.waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return phase.result!;
  }

  /** What the snapshot (what a window opened now would get) says of every buddy. */
  async checkSnapshot(round: Round): Promise<SnapshotCheck> {
    const snapshot = await this.core.commands.getSnapshot({});
    const wrong: string[] = [];
    let correct = 0;
    // Only the roster's buddies: the contacts of a seeded history (--history) answer nothing.
    const roster = snapshot.presence.buddies.filter((buddy) => buddyNumber(buddy.aor) !== undefined);
    for (const buddy of roster) {
      const n = buddyNumber(buddy.aor)!;
      const good = buddy.subscription === 'active' && !buddy.stale && sameView(buddy.view, expectedView(n, round));
      if (good) correct++;
      else if (wrong.length < 5) wrong.push(JSON.stringify(buddy).slice(0, 300));
    }
    return { buddies: roster.length, correct, wrong };
  }

  stop(): void {
    this.loop.stop();
  }
}
