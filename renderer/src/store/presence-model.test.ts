import { describe, expect, it } from 'vitest';
import type { BuddyPresence, SequencedEvent, Snapshot } from '../../../shared/ipc.js';
import { testPresence } from '../testing/presence.js';
import { applyEvent, fromSnapshot, initialModel } from './model.js';
import { applyPresenceEvent, presenceFromSnapshot, withContact, withProfile } from './presence-model.js';
import { buddyKeys, buddyOf } from './buddy-map.js';

const buddy = (overrides: Partial<BuddyPresence> = {}): BuddyPresence => ({
  aor: 'sip:bob@example.org',
  view: { availability: 'busy', note: 'In a meeting', activities: ['meeting'] },
  subscription: 'active',
  stale: false,
  ...overrides,
});

function snapshot(presence = testPresence()): Snapshot {
  return {
    seq: 5,
    account: null,
    registration: { state: 'unregistered' },
    listening: [],
    conversations: [],
    messages: [],
    presence,
    drafts: {},
  };
}

describe('presence read model', () => {
  it('takes the snapshot, keying buddies and watchers by normalised address', () => {
    const model = presenceFromSnapshot(
      testPresence({
        buddies: [buddy({ aor: 'sip:Bob@EXAMPLE.org:5060;transport=tcp' })],
        watchers: [{ aor: 'sip:eve@example.org;transport=udp', status: 'pending', source: 'direct', subscribed: true, lastSeen: 1 }],
      }),
    );
    expect(buddyKeys(model.buddies)).toEqual(['sip:Bob@example.org']);
    expect(Object.keys(model.watchers)).toEqual(['sip:eve@example.org']);
    expect(model.groups.map((g) => g.id)).toEqual(['friends', 'work']);
  });

  it('is part of the read model: fromSnapshot fills it and applyEvent routes the presence events to it', () => {
    const base = fromSnapshot(snapshot(), initialModel);
    expect(base.presence.contacts).toHaveLength(3);
    const next = applyEvent(base, { type: 'buddy', buddy: buddy(), seq: 6 } as SequencedEvent);
    expect(buddyOf(next.presence.buddies, 'sip:bob@example.org')?.view?.availability).toBe('busy');
    expect(next.seq).toBe(6);
    // An event the snapshot already holds changes nothing.
    expect(applyEvent(next, { type: 'buddy', buddy: buddy({ stale: true }), seq: 6 } as SequencedEvent)).toBe(next);
  });

  it('replaces one buddy and one watcher per event, leaving the rest', () => {
    let model = presenceFromSnapshot(testPresence({ buddies: [buddy(), buddy({ aor: 'sip:carol@example.org' })] }));
    model = applyPresenceEvent(model, { type: 'buddy', buddy: buddy({ subscription: 'retrying', stale: true }), seq: 1 });
    expect(buddyOf(model.buddies, 'sip:bob@example.org')).toMatchObject({ stale: true, subscription: 'retrying' });
    expect(buddyOf(model.buddies, 'sip:carol@example.org')?.stale).toBe(false);
    const watcher = { aor: 'sip:eve@example.org', status: 'pending' as const, source: 'direct' as const, subscribed: true, lastSeen: 9 };
    model = applyPresenceEvent(model, { type: 'watcher', watcher, seq: 2 });
    model = applyPresenceEvent(model, { type: 'watcher', watcher: { ...watcher, status: 'allowed' }, seq: 3 });
    expect(Object.values(model.watchers)).toEqual([{ ...watcher, status: 'allowed' }]);
  });

  it('takes a status event as the active status', () => {
    const status = { profileId: 'work-hours', nextBoundary: 1000, manual: null };
    expect(applyPresenceEvent(presenceFromSnapshot(testPresence()), { type: 'status', status, seq: 1 }).status).toEqual(status);
  });

  it('takes the lists of a roster event, and forgets the presence of removed contacts', () => {
    const model = presenceFromSnapshot(testPresence({ buddies: [buddy(), buddy({ aor: 'sip:dave@example.org' })] }));
    const { groups, profiles, schedule } = model;
    const contacts = [{ aor: 'sip:bob@example.org', groups: [] }];
    const next = applyPresenceEvent(model, { type: 'roster', groups: groups.slice(1), contacts, profiles, schedule, seq: 1 });
    expect(next.contacts).toEqual(contacts);
    expect(next.groups.map((g) => g.id)).toEqual(['work']);
    expect(buddyKeys(next.buddies)).toEqual(['sip:bob@example.org']);
  });

  it('folds command answers in: a saved contact replaces the one with the same address, a profile its namesake in place', () => {
    const model = presenceFromSnapshot(testPresence());
    const robert = { aor: 'sip:bob@EXAMPLE.org:5060', name: 'Robert', groups: ['work'] };
    const saved = withContact(model, robert);
    expect(saved.contacts.filter((c) => c.aor.toLowerCase().startsWith('sip:bob@'))).toEqual([robert]);
    expect(saved.contacts).toHaveLength(3);
    const renamed = withProfile(model, { ...model.profiles[1]!, name: 'Office' });
    expect(renamed.profiles.map((p) => p.name)).toEqual(['Available', 'Office']);
    expect(withProfile(model, { id: 'new', name: 'New', views: { '*': { availability: 'away', activities: [] } } }).profiles).toHaveLength(
      3,
    );
  });
});
