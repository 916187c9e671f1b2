import { describe, expect, it } from 'vitest';
import type { ActiveStatus } from '../../../shared/contract/presence.js';
import type { Availability } from '../../../shared/domain/availability.js';
import type { ManualStatus } from '../../../shared/domain/presence.js';
import { silentLogger } from '../../support/logger.js';
import { createAutoAway } from './auto-away.js';

/** A core's status as far as auto-away sees it, with the user's own changes. */
function setup(start: ManualStatus | null = null) {
  let idle = 0;
  let setAt = 100;
  let status: ActiveStatus = { profileId: 'available', manual: start };
  const set = (manual: ManualStatus | null) => {
    status = { profileId: 'available', manual };
    away.onStatus(status);
    return status;
  };
  const manualOf = (availability: Availability): ManualStatus => ({
    view: { availability, activities: [] },
    until: 'cleared',
    setAt: ++setAt,
  });
  const away = createAutoAway({
    idleSeconds: () => idle,
    minutes: () => 10,
    availability: () => status.manual?.view.availability ?? 'online',
    setAway: async () => set(manualOf('away')),
    restore: async (manual) => set(manual),
    logger: silentLogger,
  });
  away.onStatus(status);
  return {
    away,
    idleFor: (seconds: number) => (idle = seconds),
    user: (availability: Availability) => set(manualOf(availability)),
    availability: () => status.manual?.view.availability ?? 'online',
    manual: () => status.manual,
  };
}

describe('auto-away', () => {
  it('goes away after the minutes idle and comes back to what was before', async () => {
    const s = setup();
    s.idleFor(599);
    await s.away.check();
    expect(s.availability()).toBe('online');
    s.idleFor(600);
    await s.away.check();
    expect(s.availability()).toBe('away');
    await s.away.check();
    s.idleFor(2);
    await s.away.check();
    expect(s.manual()).toBeNull();
    expect(s.away.active).toBe(false);
  });

  it('leaves a status the user chose: busy stays busy', async () => {
    const s = setup();
    s.user('busy');
    s.idleFor(3600);
    await s.away.check();
    expect(s.availability()).toBe('busy');
  });

  it('does not undo a status the user set while auto-away, even Away', async () => {
    const s = setup();
    s.idleFor(3600);
    await s.away.check();
    s.user('away');
    s.idleFor(0);
    await s.away.check();
    expect(s.availability()).toBe('away');
    expect(s.away.active).toBe(false);
  });

  it('restores a status set by hand before', async () => {
    const s = setup();
    const before = s.user('online').manual;
    s.idleFor(3600);
    await s.away.check();
    s.idleFor(0);
    await s.away.check();
    expect(s.manual()).toEqual(before);
  });
});
