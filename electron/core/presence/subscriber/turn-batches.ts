/**
 * Work that can be large (emitting thousands of gathered buddy events, adding a roster of
 * thousands) done at most `batch` items per event-loop turn, so no turn keeps the main loop for
 * long: the first batch after `delayMs`, then one per turn (a 0 ms timer, behind whatever I/O has
 * come in meanwhile) until the work says nothing is left.
 */
import type { Clock } from '../../../support/clock.js';

export class TurnBatches {
  private armed = false;
  private timer: unknown;

  /** `work(budget)` handles at most `budget` items and returns whether some are left. */
  constructor(
    private readonly clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>,
    private readonly batch: number,
    private readonly work: (budget: number) => boolean,
  ) {}

  /** Start in `delayMs` unless already started (then the running one picks the new items up). */
  schedule(delayMs = 0): void {
    if (this.armed) return;
    this.armed = true;
    this.timer = this.clock.setTimeout(() => this.run(), delayMs);
  }

  cancel(): void {
    if (this.armed) this.clock.clearTimeout(this.timer);
    this.armed = false;
  }

  private run(): void {
    this.armed = false;
    if (this.work(this.batch)) this.schedule(0);
  }
}
