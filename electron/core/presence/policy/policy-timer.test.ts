import { describe, expect, it } from 'vitest';
import type { ManualStatus } from '../../../../shared/domain/presence.js';
import { viewsChanged } from './audience.js';
import type { PresencePolicy } from './effective-status.js';
import { DEFAULT_MAX_ARM_MS, PolicyTimer, type PolicyChange } from './policy-timer.js';
import { SleepyClock, at, profiles, workHours } from './testing/test-fixtures.js';

const HOUR = 3_600_000;

function setup(start: number, initial: Partial<PresencePolicy> = {}) {
  const clock = new SleepyClock(start);
  let policy: PresencePolicy = { schedule: workHours(), profiles, ...initial };
  const changes: Array<PolicyChange & { at: number }> = [];
  const errors: unknown[] = [];
  const timer = new PolicyTimer({
    clock,
    policy: () => policy,
    onChange: (change) => changes.push({ ...change, at: clock.now() }),
    onError: (error) => errors.push(error),
  });
  const setPolicy = (next: Partial<PresencePolicy>) => {
    policy = { ...policy, ...next };
    timer.configChanged();
  };
  timer.start();
  return { clock, timer, changes, errors, setPolicy };
}

const manualAway = (setAt: number, until: ManualStatus['until'] = 'next-boundary'): ManualStatus => ({
  view: { availability: 'away', activities: [] },
  until,
  setAt,
});

describe('PolicyTimer', () => {
  it('switches at exactly 09:00 and 17:00, once each, and tells what changed', () => {
    const { clock, timer, changes } = setup(at('2025-06-02T08:00+02:00'));
    expect(timer.current?.profileId).toBe('default');
    clock.advanceTo(at('2025-06-02T18:00+02:00'));
    expect(changes.map((c) => [c.at, c.before.profileId, c.after.profileId])).toEqual([
      [at('2025-06-02T09:00+02:00'), 'default', 'work'],
      [at('2025-06-02T17:00+02:00'), 'work', 'default'],
    ]);
    expect(changes[0]!.after.byGroup.get('friends')?.availability).toBe('busy');
  });

  it('never arms a timer more than an hour ahead', () => {
    const { clock } = setup(at('2025-06-06T17:00+02:00')); // Friday evening: next change Monday 09:00
    expect(clock.nextDue! - clock.now()).toBe(DEFAULT_MAX_ARM_MS);
    clock.advance(5 * HOUR);
    expect(clock.nextDue! - clock.now()).toBeLessThanOrEqual(HOUR);
    expect(clock.timers.pending).toBe(1);
  });

  it('catches a wall-clock jump at the next hourly check', () => {
    const { clock, changes } = setup(at('2025-06-02T07:00+02:00'));
    clock.sleep(2 * HOUR + 30 * 60_000); // the clock is set forward to 09:30 without timers noticing
    clock.advance(HOUR);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.after.profileId).toBe('work');
    expect(changes[0]!.at).toBeGreaterThan(at('2025-06-02T09:30+02:00'));
  });

  it('drops a manual status on wake after a week of sleep', () => {
    const friday = at('2025-06-06T16:00+02:00');
    const { clock, timer, changes } = setup(friday, { manual: manualAway(friday) });
    expect(timer.current?.source).toBe('manual');
    clock.sleep(7 * 24 * HOUR); // next Friday 16:00: work hours, and the manual status lapsed last Friday
    timer.wake();
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ at: clock.now(), before: { source: 'manual' }, after: { source: 'profile', profileId: 'work' } });
    // And the timer now aims at this Friday's 17:00.
    expect(clock.nextDue).toBe(at('2025-06-13T17:00+02:00'));
  });

  it('re-evaluates on config changes: manual set, then cleared', () => {
    const { timer, changes, setPolicy, clock } = setup(at('2025-06-02T10:20+02:00'));
    setPolicy({ manual: manualAway(clock.now(), 'cleared') });
    expect(changes.at(-1)?.after.manual?.availability).toBe('away');
    // Under the manual status the profile still changes at 17:00 and 09:00, but no watcher's view does.
    clock.advanceTo(at('2025-06-03T10:00+02:00'));
    expect(changes.slice(1).map((c) => [c.at, c.after.profileId, viewsChanged(c.before, c.after).size])).toEqual([
      [at('2025-06-02T17:00+02:00'), 'default', 0],
      [at('2025-06-03T09:00+02:00'), 'work', 0],
    ]);
    setPolicy({ manual: undefined });
    expect(changes).toHaveLength(4);
    expect(viewsChanged(changes[3]!.before, changes[3]!.after).size).toBeGreaterThan(0);
    expect(timer.current).toMatchObject({ source: 'profile', profileId: 'work' });
  });

  it('does not report a config change that changes nothing anyone sees', () => {
    const { changes, setPolicy } = setup(at('2025-06-02T10:00+02:00'));
    setPolicy({ profiles: profiles.map((p) => ({ ...p })) });
    expect(changes).toHaveLength(0);
  });

  it('keeps the last views and reports an error when the settings cannot be evaluated', () => {
    const { timer, errors, setPolicy, changes } = setup(at('2025-06-02T10:00+02:00'));
    setPolicy({ schedule: { ...workHours(), timeZone: 'Nowhere/Land' } });
    expect(errors).toHaveLength(1);
    expect(timer.current?.profileId).toBe('work');
    setPolicy({ schedule: workHours('America/New_York') }); // 04:00 in New York: default
    expect(changes.at(-1)?.after.profileId).toBe('default');
  });

  it('stop() leaves no timer behind', () => {
    const { clock, timer } = setup(at('2025-06-02T10:00+02:00'));
    timer.stop();
    expect(clock.timers.pending).toBe(0);
    timer.wake();
    expect(clock.timers.pending).toBe(0);
  });
});
