import { describe, expect, it } from 'vitest';
import type { Availability, Contact, Group } from '../../../shared/ipc.js';
import { testBuddy, testPresence } from '../testing/presence.js';
import { buddySections, type BuddySection } from './buddy-sections.js';
import { presenceFromSnapshot, withBuddies, type PresenceModel } from './presence-model.js';

const buddy = testBuddy;

describe('buddySections', () => {
  it('lists every group in order (a contact in two groups in both), then the contacts in no group', () => {
    const sections = buddySections(presenceFromSnapshot(testPresence()));
    expect(sections.map((s) => [s.title, s.buddies.map((b) => b.name)])).toEqual([
      ['Friends', ['Bob', 'sip:carol@example.org']],
      ['Co-workers', ['sip:carol@example.org']],
      ['Other contacts', ['sip:dave@example.org']],
    ]);
  });

  it('puts contacts whose only groups are gone under "Other contacts", and available people first', () => {
    const presence = presenceFromSnapshot(
      testPresence({
        groups: [{ id: 'friends', name: 'Friends' }],
        buddies: [
          buddy('sip:carol@example.org', { view: { availability: 'online', activities: [] } }),
          buddy('sip:bob@example.org', { view: { availability: 'offline', activities: [] } }),
        ],
      }),
    );
    const sections = buddySections(presence);
    expect(sections[0]!.buddies.map((b) => b.name)).toEqual(['sip:carol@example.org', 'Bob']);
    expect(sections[1]).toMatchObject({ groupId: null, title: 'Other contacts' });
    expect(sections[1]!.buddies.map((b) => b.name)).toEqual(['sip:dave@example.org']);
  });

  it('finds a buddy whose address differs from the contact only in form', () => {
    const presence = presenceFromSnapshot(
      testPresence({ buddies: [buddy('sip:bob@EXAMPLE.org:5060;transport=tcp', { view: { availability: 'away', activities: [] } })] }),
    );
    expect(buddySections(presence)[0]!.buddies.find((b) => b.name === 'Bob')?.status.shown).toBe('away');
  });
});

describe('buddySections kept up to date', () => {
  const names = (sections: BuddySection[]) =>
    sections.map((s) => [
      s.title,
      s.online,
      s.buddies.map((b) => `${b.name}:${b.status.shown}${b.status.stale ? '~' : ''}`),
      s.byName.map((b) => b.name),
    ]);

  /** The same answer worked out from nothing: a copy of the contact list has no cached state. */
  const fresh = (presence: PresenceModel) => buddySections({ ...presence, contacts: [...presence.contacts] });

  it('gives the same sections as a fresh computation through a long run of random updates', () => {
    // A seeded generator: the run is the same every time, and a failure can be replayed.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const groups: Group[] = [0, 1, 2].map((g) => ({ id: `g${g}`, name: `Group ${g}` }));
    const contacts: Contact[] = Array.from({ length: 60 }, (_, n) => ({
      aor: `sip:p${n}@example.org`,
      name: `Person ${n}`,
      groups: n % 7 === 0 ? [] : n % 5 === 0 ? ['g0', 'g2'] : [`g${n % 3}`],
    }));
    const states: Availability[] = ['online', 'away', 'busy', 'offline'];
    let presence = presenceFromSnapshot(testPresence({ groups, contacts, buddies: [] }));
    for (let round = 0; round < 200; round++) {
      const changes = Array.from({ length: 1 + Math.floor(random() * 8) }, () => {
        const n = Math.floor(random() * contacts.length);
        const kind = random();
        return buddy(`sip:p${n}@example.org`, {
          view: kind < 0.1 ? null : { availability: states[Math.floor(random() * states.length)]!, activities: [] },
          subscription: kind < 0.05 ? 'failed' : kind < 0.1 ? 'pending' : 'active',
          stale: random() < 0.1,
        });
      });
      presence = withBuddies(presence, changes);
      expect(names(buddySections(presence))).toEqual(names(fresh(presence)));
    }
  });

  it('keeps the same arrays while nothing changed, and a group nobody in it changed', () => {
    const presence = presenceFromSnapshot(testPresence());
    const first = buddySections(presence);
    expect(buddySections(presence)).toBe(first);
    // Dave is in no group: only "Other contacts" changes.
    const next = withBuddies(presence, [buddy('sip:dave@example.org', { view: { availability: 'away', activities: [] } })]);
    const second = buddySections(next);
    expect(second).not.toBe(first);
    expect(second[0]).toBe(first[0]);
    expect(second[1]).toBe(first[1]);
    expect(second[2]).not.toBe(first[2]);
    expect(second[2]!.buddies[0]!.status.shown).toBe('away');
    // A new state object is a new entry (entries are cached by the object, not by comparing states).
    const again = buddySections(withBuddies(next, [buddy('sip:dave@example.org', { view: { availability: 'away', activities: [] } })]));
    expect(again[2]!.buddies[0]).not.toBe(second[2]!.buddies[0]);
    expect(again[0]).toBe(first[0]);
  });
});
