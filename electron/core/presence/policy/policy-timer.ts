/**
 * Keeps the status in force current as time passes: one timer for the next boundary (or manual
 * lapse), and a fresh evaluation whenever the settings change or the machine wakes.
 *
 * Timers are not trusted with long waits: across sleep they fire late or never, and the wall clock
 * can jump (NTP, a time zone or manual change). So no timer is armed more than `maxArmMs` ahead; each
 * firing re-evaluates from the clock's `now()` and re-arms. wake() does the same at once.
 */
import type { Clock } from '../../../support/clock.js';
import { audienceViews, viewsChanged, type AudienceViews } from './audience.js';
import { effectiveStatus, type EffectiveStatus, type PresencePolicy } from './effective-status.js';

export const DEFAULT_MAX_ARM_MS = 60 * 60_000;

export interface PolicyChange {
  before: AudienceViews;
  after: AudienceViews;
  status: EffectiveStatus;
}

export interface PolicyTimerOptions {
  clock: Clock;
  /** The settings as they are now; read at every evaluation. */
  policy: () => PresencePolicy;
  /** The active profile, the manual status or what some audience sees changed. */
  onChange: (change: PolicyChange) => void;
  /** Evaluation failed (settings that slipped past validation); the last views stay in force. */
  onError?: (error: unknown) => void;
  maxArmMs?: number;
}

export class PolicyTimer {
  private handle: unknown;
  private armed = false;
  private running = false;
  private views: AudienceViews | undefined;
  private last: EffectiveStatus | undefined;
  private readonly maxArmMs: number;

  constructor(private readonly options: PolicyTimerOptions) {
    this.maxArmMs = options.maxArmMs ?? DEFAULT_MAX_ARM_MS;
  }

  /** Evaluates and arms; the first evaluation is not reported as a change. */
  start(): void {
    this.running = true;
    this.evaluate();
  }

  stop(): void {
    this.running = false;
    this.disarm();
  }

  /** After sleep or resume: timers may have fired late or not at all. */
  wake(): void {
    if (this.running) this.evaluate();
  }

  /** The schedule, the profiles or the manual status changed. */
  configChanged(): void {
    if (this.running) this.evaluate();
  }

  /** The views in force as of the last evaluation. */
  get current(): AudienceViews | undefined {
    return this.views;
  }

  /** The status as of the last evaluation. */
  get status(): EffectiveStatus | undefined {
    return this.last;
  }

  private evaluate(): void {
    this.disarm();
    const now = this.options.clock.now();
    let status: EffectiveStatus;
    try {
      status = effectiveStatus(this.options.policy(), now);
    } catch (error) {
      this.arm(this.maxArmMs);
      this.options.onError?.(error);
      return;
    }
    const before = this.views;
    const after = audienceViews(status);
    this.views = after;
    this.last = status;
    // The profile boundary, not only `until`: under a manual status the profile still changes.
    const next = Math.min(status.until ?? Infinity, status.boundary ?? Infinity);
    this.arm(Math.min(Math.max(0, next - now), this.maxArmMs));
    if (before && changed(before, after)) this.options.onChange({ before, after, status });
  }

  private arm(ms: number): void {
    this.armed = true;
    this.handle = this.options.clock.setTimeout(() => {
      this.armed = false;
      this.evaluate();
    }, ms);
  }

  private disarm(): void {
    if (this.armed) this.options.clock.clearTimeout(this.handle);
    this.armed = false;
  }
}

function changed(before: AudienceViews, after: AudienceViews): boolean {
  return before.source !== after.source || before.profileId !== after.profileId || viewsChanged(before, after).size > 0;
}
