/**
 * Property checks over seeded random schedules: whatever the rules, nextBoundary(now) is later than
 * now, the profile holds from now until just before it, and differs at it. Every boundary falls on
 * the UTC quarter-hour grid in the zones used (whole, half and three-quarter hour offsets, rules on
 * quarter hours, DST changes on the hour), so checking every quarter hour in between is exhaustive.
 * Replay a failure with PARLEY_POLICY_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../sip/testing/fuzz.js';
import { activeProfileId, nextBoundary } from '../../../../shared/domain/schedule.js';
import { at, rule, schedule } from './testing/test-fixtures.js';
import type { Schedule } from '../../../../shared/domain/presence.js';

const SEED = Number(process.env.PARLEY_POLICY_SEED ?? 0x5c4ed);
const CASES = 120;
const QUARTER = 15 * 60_000;
const ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
// Times of day that meet DST changes in these zones often, plus any quarter hour.
const HOT_TIMES = ['00:00', '01:30', '01:45', '02:00', '02:15', '02:30', '03:00'];
// "now" near the 2025 transitions of these zones, and anywhere in the year.
const HOT_DAYS = ['2025-03-08', '2025-03-29', '2025-04-05', '2025-10-04', '2025-10-25', '2025-11-01'];

function randomSchedule(random: () => number): Schedule {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const quarterHour = (): string => {
    if (random() < 0.5) return pick(HOT_TIMES);
    const minutes = Math.floor(random() * 96) * 15;
    return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
  };
  const rules = Array.from({ length: 1 + Math.floor(random() * 5) }, (_, i) => {
    const days = [0, 1, 2, 3, 4, 5, 6].filter(() => random() < 0.4);
    return rule(`r${i}`, days.length ? days : [pick([0, 6])], quarterHour(), quarterHour(), pick(['a', 'b', 'c']));
  });
  return schedule(pick(ZONES), rules, 'a');
}

function randomNow(random: () => number): number {
  const base =
    random() < 0.6
      ? at(`${HOT_DAYS[Math.floor(random() * HOT_DAYS.length)]}T00:00Z`)
      : at('2025-01-01T00:00Z') + Math.floor(random() * 365) * 86_400_000;
  return base + Math.floor(random() * 3 * 86_400_000);
}

describe(`nextBoundary over ${CASES} random schedules (seed ${SEED})`, () => {
  it('is later than now, the profile holds until it and changes at it', () => {
    const random = mulberry32(SEED);
    let bounded = 0;
    for (let i = 0; i < CASES; i++) {
      const s = randomSchedule(random);
      const now = randomNow(random);
      const context = `case ${i}, seed ${SEED}: ${JSON.stringify(s)} now=${new Date(now).toISOString()}`;
      const boundary = nextBoundary(s, now);
      const current = activeProfileId(s, now);
      if (boundary === undefined) {
        // Never changing: spot-check the coming fortnight.
        for (let t = now; t < now + 14 * 86_400_000; t += 7 * QUARTER) expect(activeProfileId(s, t), context).toBe(current);
        continue;
      }
      bounded++;
      expect(boundary, context).toBeGreaterThan(now);
      expect(activeProfileId(s, boundary), context).not.toBe(current);
      expect(activeProfileId(s, boundary - 1), context).toBe(current);
      for (let t = Math.ceil((now + 1) / QUARTER) * QUARTER; t < boundary; t += QUARTER) {
        expect(activeProfileId(s, t), `${context} at ${new Date(t).toISOString()}`).toBe(current);
      }
    }
    // The generator must mostly make schedules that change, or the check says little.
    expect(bounded).toBeGreaterThan(CASES / 2);
  });
});
