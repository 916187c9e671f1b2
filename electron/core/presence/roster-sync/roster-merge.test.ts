import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../../shared/domain/presence.js';
import { EMPTY_LIST, mergeContactLists, sameContactLists } from './roster-merge.js';

const bob: Contact = { aor: 'sip:bob@x', name: 'Bob', groups: ['friends'] };
const carol: Contact = { aor: 'sip:carol@x', groups: [] };
const friends = { id: 'friends', name: 'Friends' };
const work = { id: 'work', name: 'Work' };
const base = { groups: [friends, work], contacts: [bob, carol] };

const byAor = (contacts: Contact[]) => [...contacts].sort((a, b) => a.aor.localeCompare(b.aor));

describe('mergeContactLists', () => {
  it('keeps what each side changed: an addition here, a removal there, a rename on each side', () => {
    const dave: Contact = { aor: 'sip:dave@x', groups: ['work'] };
    const local = { groups: [friends, { ...work, name: 'Office' }], contacts: [bob, carol, dave] };
    const remote = { groups: [friends, work], contacts: [{ ...bob, name: 'Robert' }] };
    const merged = mergeContactLists(base, local, remote);
    expect(merged.groups).toEqual([friends, { id: 'work', name: 'Office' }]);
    expect(byAor(merged.contacts)).toEqual([{ ...bob, name: 'Robert' }, dave]);
  });

  it('merges one contact field by field: a name here and a group there both survive', () => {
    const local = { ...base, contacts: [{ ...bob, name: 'Bobby' }, carol] };
    const remote = { ...base, contacts: [{ ...bob, groups: ['friends', 'work'] }, carol] };
    const merged = mergeContactLists(base, local, remote);
    expect(merged.contacts.find((c) => c.aor === bob.aor)).toEqual({ aor: bob.aor, name: 'Bobby', groups: ['friends', 'work'] });
  });

  it('a group removed on one side and another added on the other: both happen', () => {
    const local = { ...base, contacts: [{ ...bob, groups: [] }, carol] };
    const remote = { ...base, contacts: [{ ...bob, groups: ['friends', 'work'] }, carol] };
    expect(mergeContactLists(base, local, remote).contacts.find((c) => c.aor === bob.aor)!.groups).toEqual(['work']);
  });

  it('an edit beats a removal, whichever side removed', () => {
    const renamed = { ...base, contacts: [{ ...bob, name: 'B' }, carol] };
    const removed = { ...base, contacts: [carol] };
    expect(mergeContactLists(base, renamed, removed).contacts.map((c) => c.aor)).toContain(bob.aor);
    expect(mergeContactLists(base, removed, renamed).contacts.map((c) => c.aor)).toContain(bob.aor);
  });

  it('with no common history (a new device) it is the union, this device winning where both differ', () => {
    const local = {
      groups: [work],
      contacts: [
        { aor: 'sip:dave@x', groups: ['work'] },
        { ...bob, name: 'Local Bob', groups: [] },
      ],
    };
    const merged = mergeContactLists(EMPTY_LIST, local, base);
    expect(merged.groups.map((g) => g.id)).toEqual(['friends', 'work']);
    expect(byAor(merged.contacts).map((c) => [c.aor, c.name])).toEqual([
      ['sip:bob@x', 'Local Bob'],
      ['sip:carol@x', undefined],
      ['sip:dave@x', undefined],
    ]);
    expect(merged.contacts.find((c) => c.aor === bob.aor)!.groups).toEqual(['friends']);
  });

  it('drops memberships of a group that is gone', () => {
    const local = { groups: [friends], contacts: [bob, carol] };
    const remote = { groups: [friends, work], contacts: [bob, { ...carol, groups: ['work'] }] };
    const merged = mergeContactLists(base, local, remote);
    expect(merged.groups).toEqual([friends]);
    expect(merged.contacts.find((c) => c.aor === carol.aor)!.groups).toEqual([]);
  });

  it('sameContactLists: group order and names matter, contact order does not', () => {
    expect(sameContactLists(base, { groups: [friends, work], contacts: [carol, bob] })).toBe(true);
    expect(sameContactLists(base, { groups: [work, friends], contacts: [bob, carol] })).toBe(false);
    expect(sameContactLists(base, { ...base, contacts: [{ ...bob, name: undefined }, carol] })).toBe(false);
  });
});
