/**
 * Learns how long the NAT in front of us keeps a UDP binding open with nothing crossing it, from
 * what each keep-alive found (docs/DESIGN.md#6-keeping-the-connection): the longest silence that
 * the binding survived (`held`) and the shortest it did not (`lapsed`). The keep-alive waits
 * `interval()` of silence before it goes.
 *
 *  - Start at RFC 5626's 25 s for UDP (§4.4.1), which most NATs allow.
 *  - A lapse means the NAT forgets sooner: wait no longer than the longest silence that held (or
 *    half the one that lapsed, when none held yet), never under MIN_MS.
 *  - While the binding holds, `HOLDS_BEFORE_LONGER` keep-alives in a row, try a longer silence:
 *    half-way to the shortest that lapsed, or 1.5 times as long while none lapsed, never over
 *    MAX_MS. Once the two bounds are within `SETTLED_WITHIN` of each other the search stops: every
 *    later try would be a lapse (a re-registration) for a few seconds of quiet.
 * Each keep-alive is sent at a random 80–100 % of the interval (RFC 5626 §4.4.1), so many
 * clients behind one NAT do not beat in step; the silences measured are the real ones.
 */
export const INITIAL_MS = 25_000;
/** Below this a NAT is not worth keeping up with by keep-alives (and such NATs are not met). */
export const MIN_MS = 5_000;
/** RFC 4787 REQ-5 asks NATs to keep UDP bindings at least 2 min and recommends 5; we try no longer than 5. */
export const MAX_MS = 300_000;
const HOLDS_BEFORE_LONGER = 3;
const GROWTH = 1.5;
/** Bounds within 10 % (or 2 s) of each other: settled. */
const SETTLED_WITHIN = 0.1;
const SETTLED_MIN_MS = 2_000;

export class NatLifetime {
  /** Longest silence the binding survived, in ms (0: none yet). */
  private held = 0;
  /** Shortest silence after which it had lapsed, in ms. */
  private lapsedAfter = Infinity;
  private current = INITIAL_MS;
  private holdsInRow = 0;

  /** How long to stay silent before the next keep-alive. */
  interval(): number {
    return this.current;
  }

  /** What is known, for logs and the benchmark. */
  get known(): { held: number; lapsedAfter: number; interval: number } {
    return { held: this.held, lapsedAfter: this.lapsedAfter, interval: this.current };
  }

  /** A keep-alive after `silenceMs` of silence found the binding as it was. */
  heldFor(silenceMs: number): void {
    this.held = Math.max(this.held, silenceMs);
    if (this.held >= this.lapsedAfter) this.lapsedAfter = Infinity; // the NAT keeps longer now
    if (++this.holdsInRow < HOLDS_BEFORE_LONGER || this.settled()) return;
    this.holdsInRow = 0;
    const longer = this.lapsedAfter === Infinity ? this.held * GROWTH : (this.held + this.lapsedAfter) / 2;
    this.current = clamp(Math.max(this.current, longer));
  }

  /** A keep-alive after `silenceMs` of silence found a new binding: the old one had lapsed. */
  lapsed(silenceMs: number): void {
    this.holdsInRow = 0;
    this.lapsedAfter = Math.min(this.lapsedAfter, silenceMs);
    if (this.held >= this.lapsedAfter) this.held = 0; // the NAT keeps shorter now: what held says nothing
    this.current = clamp(this.held > 0 ? this.held : this.lapsedAfter / 2);
  }

  private settled(): boolean {
    if (this.lapsedAfter === Infinity) return this.current >= MAX_MS;
    return this.lapsedAfter - this.held <= Math.max(SETTLED_MIN_MS, this.held * SETTLED_WITHIN);
  }
}

function clamp(ms: number): number {
  return Math.round(Math.min(MAX_MS, Math.max(MIN_MS, ms)));
}
