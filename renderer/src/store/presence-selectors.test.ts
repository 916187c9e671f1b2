import { describe, expect, it } from 'vitest';
import type { Watcher } from '../../../shared/ipc.js';
import { testBuddy, testPresence } from '../testing/presence.js';
import { formatWhen } from './presence-format.js';
import { presenceFromSnapshot } from './presence-model.js';
import {
  activeStatusText,
  answeredWatchers,
  buddyStatus,
  groupPreviewTargets,
  pendingWatchers,
  statusByAudience,
} from './presence-selectors.js';

const buddy = testBuddy;

describe('buddyStatus', () => {
  it('shows the state and note of an active subscription', () => {
    expect(buddyStatus(buddy('sip:b@x', { view: { availability: 'busy', note: ' In a meeting ', activities: [] } }))).toMatchObject({
      shown: 'busy',
      label: 'Busy',
      note: 'In a meeting',
      stale: false,
    });
  });

  it('says "awaiting authorization" while the subscription is pending, whatever the view', () => {
    expect(buddyStatus(buddy('sip:b@x', { subscription: 'pending', view: null }))).toMatchObject({
      shown: 'awaiting',
      label: 'Awaiting authorization',
    });
  });

  it('gives the reason of a failed subscription', () => {
    const unknown = { code: 'subscription.unknown-user', params: { peer: 'sip:b@x', status: 404, phrase: 'Not Found' } } as const;
    expect(buddyStatus(buddy('sip:b@x', { subscription: 'failed', view: null, reason: unknown }))).toMatchObject({
      shown: 'failed',
      detail: 'The server does not know b@x (404 Not Found). Check the address.',
    });
    // Named as the contact list names the buddy.
    expect(buddyStatus(buddy('sip:b@x', { subscription: 'failed', view: null, reason: unknown }), 'Bea')).toMatchObject({
      detail: 'The server does not know Bea (404 Not Found). Check the address.',
    });
    const retrying = { code: 'subscription.unavailable', params: { peer: 'sip:b@x' } } as const;
    expect(buddyStatus(buddy('sip:b@x', { subscription: 'retrying', view: null, reason: retrying }), 'Bea')).toMatchObject({
      shown: 'unknown',
      detail: 'Bea cannot be reached right now. Parley keeps trying.',
    });
  });

  it('keeps a stale state but marks it, and knows nothing of a buddy without a record', () => {
    expect(buddyStatus(buddy('sip:b@x', { stale: true, subscription: 'retrying' }))).toMatchObject({
      shown: 'online',
      stale: true,
      detail: expect.stringMatching(/out of date/),
    });
    expect(buddyStatus(undefined)).toMatchObject({ shown: 'unknown', label: 'Unknown' });
  });
});

describe('watchers', () => {
  const w = (aor: string, status: Watcher['status'], lastSeen: number): Watcher => ({
    aor,
    status,
    source: 'direct',
    subscribed: true,
    lastSeen,
  });
  const presence = presenceFromSnapshot(
    testPresence({
      watchers: [w('sip:old@x', 'pending', 1), w('sip:new@x', 'pending', 5), w('sip:z@x', 'allowed', 3), w('sip:a@x', 'blocked', 4)],
    }),
  );

  it('pending requests, most recent first; answered ones by address', () => {
    expect(pendingWatchers(presence).map((x) => x.aor)).toEqual(['sip:new@x', 'sip:old@x']);
    expect(answeredWatchers(presence).map((x) => x.aor)).toEqual(['sip:a@x', 'sip:z@x']);
  });
});

describe('activeStatusText', () => {
  const now = Date.UTC(2026, 2, 2, 10, 0); // Monday 11:00 in Berlin
  const boundary = Date.UTC(2026, 2, 2, 16, 0); // 17:00 in Berlin

  it('names the profile the schedule chose and until when, with what everyone else sees', () => {
    const presence = presenceFromSnapshot(testPresence({ status: { profileId: 'work-hours', nextBoundary: boundary, manual: null } }));
    expect(activeStatusText(presence, now, 'America/New_York')).toEqual({
      availability: 'away',
      label: 'Work hours',
      note: 'Working',
      source: 'From the schedule',
      until: 'until 17:00 (Europe/Berlin)',
      manual: false,
    });
  });

  it('says a status was set by hand, and whether it lasts until the next change or until cleared', () => {
    const manual = {
      view: { availability: 'busy' as const, note: 'Deadline', activities: [] },
      until: 'next-boundary' as const,
      setAt: now,
    };
    const presence = presenceFromSnapshot(testPresence({ status: { profileId: 'available', nextBoundary: boundary, manual } }));
    expect(activeStatusText(presence, now, 'America/New_York')).toMatchObject({
      label: 'Busy',
      note: 'Deadline',
      source: 'Set by hand',
      until: 'until 17:00 (Europe/Berlin)',
      manual: true,
    });
    const cleared = presenceFromSnapshot(testPresence({ status: { profileId: 'available', manual: { ...manual, until: 'cleared' } } }));
    expect(activeStatusText(cleared, now).until).toBe('until you clear it');
  });

  it("names the schedule's zone only when it is not this computer's", () => {
    const presence = presenceFromSnapshot(testPresence({ status: { profileId: 'work-hours', nextBoundary: boundary, manual: null } }));
    expect(activeStatusText(presence, now, 'Europe/Berlin').until).toBe('until 17:00');
    expect(activeStatusText(presence, now, 'UTC').until).toBe('until 17:00 (Europe/Berlin)');
  });

  it('says when nothing is scheduled to change', () => {
    expect(activeStatusText(presenceFromSnapshot(testPresence()), now)).toMatchObject({
      label: 'Available',
      source: 'Default profile',
      until: 'no change scheduled',
    });
  });
});

describe('formatWhen', () => {
  const monday = Date.UTC(2026, 2, 2, 10, 0);
  it('reads the time in the zone: today, a weekday within the week, a date beyond', () => {
    expect(formatWhen(Date.UTC(2026, 2, 2, 16, 0), monday, 'Europe/Berlin')).toBe('17:00');
    expect(formatWhen(Date.UTC(2026, 2, 6, 8, 0), monday, 'Europe/Berlin')).toBe('Fri 09:00');
    expect(formatWhen(Date.UTC(2026, 2, 29, 8, 0), monday, 'Europe/Berlin')).toBe('2026-03-29 10:00');
  });

  it('counts days in the zone, not in UTC (23:30 UTC is already tomorrow in Berlin)', () => {
    expect(formatWhen(Date.UTC(2026, 2, 2, 23, 30), monday, 'Europe/Berlin')).toBe('Tue 00:30');
    expect(formatWhen(Date.UTC(2026, 2, 2, 23, 30), monday, 'UTC')).toBe('23:30');
  });

  it('reads an unknown zone as UTC instead of failing', () => {
    expect(formatWhen(Date.UTC(2026, 2, 2, 16, 0), monday, 'Mars/Olympus')).toBe('16:00');
  });
});

describe('groupPreviewTargets', () => {
  it('previews every group, empty ones too, and then everyone else', () => {
    const presence = presenceFromSnapshot(testPresence({ groups: [...testPresence().groups, { id: 'family', name: 'Family' }] }));
    expect(groupPreviewTargets(presence)).toEqual([
      { groupId: 'friends', title: 'Friends' },
      { groupId: 'work', title: 'Co-workers' },
      { groupId: 'family', title: 'Family' },
      { groupId: '*', title: 'Everyone else' },
    ]);
  });
});

describe('statusByAudience', () => {
  it('names who sees which state when the active profile shows groups different states', () => {
    const presence = presenceFromSnapshot(testPresence({ status: { profileId: 'work-hours', manual: null } }));
    const split = statusByAudience(presence);
    expect(split.text).toBe('Busy to Friends, Away to Co-workers and everyone else');
    expect(split.parts.map((p) => p.availability)).toEqual(['busy', 'away']);
  });

  it('says nothing of groups when everyone sees the same, or a status set by hand is in force', () => {
    expect(statusByAudience(presenceFromSnapshot(testPresence())).text).toBeNull();
    const manual = { view: { availability: 'busy' as const, activities: [] }, until: 'cleared' as const, setAt: 0 };
    const byHand = statusByAudience(presenceFromSnapshot(testPresence({ status: { profileId: 'work-hours', manual } })));
    expect(byHand).toEqual({ parts: [{ availability: 'busy', label: 'Busy', audiences: ['everyone'] }], text: null });
  });

  it('follows a missing active profile to the default one', () => {
    expect(statusByAudience(presenceFromSnapshot(testPresence({ status: { profileId: 'gone', manual: null } }))).parts).toEqual([
      { availability: 'online', label: 'Available', audiences: ['Friends', 'Co-workers', 'everyone else'] },
    ]);
  });
});
