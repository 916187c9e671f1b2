/** The device list from registration state documents: arrivals, departures, renames, bounds. */
import { describe, expect, it } from 'vitest';
import type { RegInfoDocument } from '../../sip/presence/index.js';
import { FORGET_AFTER_MS, MAX_DEVICES, allOffline, applyRegInfo } from './device-list.js';

const contact = (user: string, state: 'active' | 'terminated', deviceName?: string) => ({
  id: user,
  state,
  uri: `sip:${user}@192.0.2.1`,
  user,
  ...(deviceName ? { deviceName } : {}),
});
const doc = (
  contacts: ReturnType<typeof contact>[],
  state: 'full' | 'partial' = 'full',
  aor = 'sip:alice@parley.test',
): RegInfoDocument => ({
  version: 0,
  state,
  registrations: [{ aor, state: 'active', contacts }],
});

describe('applyRegInfo', () => {
  it('lists this device first, online ones next; a device missing from a full document went offline then', () => {
    let list = applyRegInfo([], doc([contact('p1', 'active', 'Phone'), contact('me', 'active', 'Laptop')]), 'alice', 'me', 1000);
    expect(list).toEqual([
      { id: 'me', name: 'Laptop', self: true, state: 'online', lastSeen: 1000 },
      { id: 'p1', name: 'Phone', self: false, state: 'online', lastSeen: 1000 },
    ]);
    list = applyRegInfo(list, doc([contact('me', 'active', 'Laptop')]), 'alice', 'me', 2000);
    expect(list[1]).toEqual({ id: 'p1', name: 'Phone', self: false, state: 'offline', lastSeen: 2000 });
    // a partial document says only what changed: the others stay as they were
    list = applyRegInfo(list, doc([contact('p1', 'active')], 'partial'), 'alice', 'me', 3000);
    expect(list.map((d) => [d.id, d.state, d.name])).toEqual([
      ['me', 'online', 'Laptop'],
      ['p1', 'online', 'Phone'],
    ]);
  });

  it("online wins when a device is named twice; other users' registrations are ignored", () => {
    const list = applyRegInfo([], doc([contact('p1', 'active', 'New'), contact('p1', 'terminated', 'Old')]), 'alice', 'me', 1);
    expect(list).toEqual([{ id: 'p1', name: 'New', self: false, state: 'online', lastSeen: 1 }]);
    expect(applyRegInfo([], doc([contact('b1', 'active')], 'full', 'sip:bob@parley.test'), 'alice', 'me', 1)).toEqual([]);
  });

  it('keeps at most MAX_DEVICES, forgetting the longest-gone offline ones and those gone too long', () => {
    const many = Array.from({ length: MAX_DEVICES + 5 }, (_, i) => ({
      id: `d${i}`,
      self: false,
      state: 'offline' as const,
      lastSeen: 10_000 + i,
    }));
    const list = applyRegInfo(many, doc([], 'partial'), 'alice', 'me', 20_000);
    expect(list).toHaveLength(MAX_DEVICES);
    expect(list.map((d) => d.id)).not.toContain('d0');
    expect(applyRegInfo(many, doc([], 'partial'), 'alice', 'me', 10_000 + FORGET_AFTER_MS + 100)).toEqual([]);
    expect(allOffline([{ id: 'x', self: true, state: 'online', lastSeen: 5 }])).toEqual([
      { id: 'x', self: true, state: 'offline', lastSeen: 5 },
    ]);
  });
});
