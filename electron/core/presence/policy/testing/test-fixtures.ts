/**
 * Test data for the policy tests: the example in docs/DESIGN.md#views-per-group ("Work hours: Mon-Fri 09:00-17:00 ->
 * busy to Friends, online to Co-workers") and a clock that can sleep.
 */
import type { Clock } from '../../../../support/clock.js';
import { FakeTimers } from '../../../../sip/testing/fake-timers.js';
import { EVERYONE_ELSE, Profile, Schedule, WeeklyRule, type Contact, type Group } from '../../../../../shared/domain/presence.js';

export const MON_FRI = [1, 2, 3, 4, 5];

export const groups: Group[] = [
  { id: 'friends', name: 'Friends' },
  { id: 'coworkers', name: 'Co-workers' },
  { id: 'family', name: 'Family' },
];

export const profiles: Profile[] = [
  Profile.parse({ id: 'default', name: 'Default', views: { [EVERYONE_ELSE]: { availability: 'online' } } }),
  Profile.parse({
    id: 'work',
    name: 'Work hours',
    views: {
      friends: { availability: 'busy', note: 'At work' },
      coworkers: { availability: 'online' },
      [EVERYONE_ELSE]: { availability: 'away' },
    },
  }),
];

export function rule(id: string, days: number[], start: string, end: string, profileId: string): WeeklyRule {
  return WeeklyRule.parse({ id, days, start, end, profileId });
}

export function schedule(timeZone: string, rules: WeeklyRule[], defaultProfileId = 'default'): Schedule {
  return Schedule.parse({ timeZone, rules, defaultProfileId });
}

export function workHours(timeZone = 'Europe/Berlin'): Schedule {
  return schedule(timeZone, [rule('work', MON_FRI, '09:00', '17:00', 'work')]);
}

export const contacts: Contact[] = [
  { aor: 'sip:fred@example.org', name: 'Fred', groups: ['friends'] },
  { aor: 'sip:carla@example.org', name: 'Carla', groups: ['coworkers'] },
  // In both: Friends comes first in the group list, so Friends decides.
  { aor: 'sip:bea@example.org', name: 'Bea', groups: ['coworkers', 'friends'] },
  { aor: 'sip:fay@example.org', name: 'Fay', groups: ['family'] },
];

/** Epoch ms of an ISO time with its offset, e.g. '2025-03-31T09:00+02:00': an oracle independent of the code. */
export function at(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`);
  return ms;
}

/**
 * A Clock over FakeTimers whose wall time can also jump without timers firing, as across sleep:
 * timers keep their place on the timer line, so after sleep(ms) they fire that much late in wall time.
 */
export class SleepyClock implements Clock {
  readonly timers: FakeTimers;
  private slept = 0;

  constructor(start: number) {
    this.timers = new FakeTimers(start);
  }

  now(): number {
    return this.timers.now() + this.slept;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    return this.timers.setTimeout(fn, ms);
  }

  clearTimeout(handle: unknown): void {
    this.timers.clearTimeout(handle);
  }

  /** Time passes while the machine sleeps: the wall clock moves, no timer fires. */
  sleep(ms: number): void {
    this.slept += ms;
  }

  advance(ms: number): void {
    this.timers.advance(ms);
  }

  /** Advance (firing timers on the way) until the wall clock reads `wall`. */
  advanceTo(wall: number): void {
    this.timers.advanceTo(wall - this.slept);
  }

  /** Wall-clock instant at which the next timer fires, or undefined. */
  get nextDue(): number | undefined {
    const due = this.timers.nextDue;
    return due === undefined ? undefined : due + this.slept;
  }
}
