import { describe, expect, it } from 'vitest';
import type { ManualStatus } from '../../../../shared/domain/presence.js';
import { FALLBACK_PROFILE, effectiveStatus, manualInForce, manualLapsesAt, resolveProfile } from './effective-status.js';
import { at, profiles, schedule, workHours } from './testing/test-fixtures.js';

const berlin = workHours('Europe/Berlin');
const away = (setAt: number, until: ManualStatus['until']): ManualStatus => ({
  view: { availability: 'away', note: 'Dentist', activities: ['appointment'] },
  until,
  setAt,
});

describe('effectiveStatus', () => {
  it('follows the schedule and says until when', () => {
    const status = effectiveStatus({ schedule: berlin, profiles }, at('2025-06-02T10:00+02:00'));
    expect(status.profile.id).toBe('work');
    expect(status.rule?.id).toBe('work');
    expect(status.manual).toBeUndefined();
    expect(status.until).toBe(at('2025-06-02T17:00+02:00'));
    const evening = effectiveStatus({ schedule: berlin, profiles }, at('2025-06-02T17:00+02:00'));
    expect(evening.profile.id).toBe('default');
    expect(evening.rule).toBeUndefined();
  });

  it('a manual status set before 09:00 lapses at exactly 09:00', () => {
    const manual = away(at('2025-06-02T08:00+02:00'), 'next-boundary');
    const policy = { schedule: berlin, profiles, manual };
    const before = effectiveStatus(policy, at('2025-06-02T09:00+02:00') - 1);
    expect(before.manual).toBe(manual);
    expect(before.until).toBe(at('2025-06-02T09:00+02:00'));
    const after = effectiveStatus(policy, at('2025-06-02T09:00+02:00'));
    expect(after.manual).toBeUndefined();
    expect(after.profile.id).toBe('work');
  });

  it('a manual status set during work hours lasts until 17:00', () => {
    const manual = away(at('2025-06-02T10:00+02:00'), 'next-boundary');
    expect(manualLapsesAt(manual, berlin)).toBe(at('2025-06-02T17:00+02:00'));
    expect(manualInForce(manual, berlin, at('2025-06-02T16:59+02:00'))).toBe(true);
    expect(manualInForce(manual, berlin, at('2025-06-02T17:00+02:00'))).toBe(false);
  });

  it('a manual status is dropped on waking a week later, though no timer ran', () => {
    const manual = away(at('2025-06-06T16:00+02:00'), 'next-boundary');
    const status = effectiveStatus({ schedule: berlin, profiles, manual }, at('2025-06-13T16:00+02:00'));
    expect(status.manual).toBeUndefined();
    expect(status.profile.id).toBe('work');
  });

  it("'cleared' outlasts every boundary", () => {
    const manual = away(at('2025-06-02T10:00+02:00'), 'cleared');
    const status = effectiveStatus({ schedule: berlin, profiles, manual }, at('2025-07-02T10:00+02:00'));
    expect(status.manual).toBe(manual);
    expect(status.until).toBeUndefined();
  });

  it("'next-boundary' on a schedule that never changes lasts until cleared", () => {
    const manual = away(0, 'next-boundary');
    expect(manualInForce(manual, schedule('Europe/Berlin', []), at('2030-01-01T00:00Z'))).toBe(true);
  });

  it('falls back to the default profile, then to plain online, for missing profiles', () => {
    expect(resolveProfile(profiles, 'gone', 'default').id).toBe('default');
    expect(resolveProfile([], 'gone', 'default')).toBe(FALLBACK_PROFILE);
    const status = effectiveStatus({ schedule: schedule('UTC', [], 'missing'), profiles: [] }, 0);
    expect(status.profile.views['*']?.availability).toBe('online');
  });
});
