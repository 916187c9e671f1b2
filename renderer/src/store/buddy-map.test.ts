import { describe, expect, it } from 'vitest';
import type { BuddyPresence } from '../../../shared/ipc.js';
import { buddyKeys, buddyOf, EMPTY_BUDDIES, keepBuddies, shardOf, withBuddyEntries } from './buddy-map.js';

const buddy = (aor: string, availability: 'online' | 'away' = 'online'): BuddyPresence => ({
  aor,
  view: { availability, activities: [] },
  subscription: 'active',
  stale: false,
});
const key = (n: number) => `sip:p${n}@example.org`;

describe('BuddyMap', () => {
  const many = withBuddyEntries(
    EMPTY_BUDDIES,
    Array.from({ length: 1000 }, (_, n) => [key(n), buddy(key(n))] as const),
  );

  it('finds every entry set, the last of a key winning', () => {
    const map = withBuddyEntries(many, [
      [key(7), buddy(key(7), 'away')],
      [key(7), buddy(key(7), 'online')],
      [key(8), buddy(key(8), 'away')],
    ]);
    expect(buddyOf(map, key(7))?.view?.availability).toBe('online');
    expect(buddyOf(map, key(8))?.view?.availability).toBe('away');
    expect(buddyOf(map, 'sip:nobody@example.org')).toBeUndefined();
    expect(buddyKeys(map)).toHaveLength(1000);
  });

  it('copies only the shard a change touches and leaves the old map as it was', () => {
    const next = withBuddyEntries(many, [[key(3), buddy(key(3), 'away')]]);
    const touched = shardOf(key(3));
    next.shards.forEach((shard, s) => (s === touched ? expect(shard).not.toBe(many.shards[s]) : expect(shard).toBe(many.shards[s])));
    expect(buddyOf(many, key(3))?.view?.availability).toBe('online');
    expect(withBuddyEntries(next, [])).toBe(next);
  });

  it('keeps only the keys asked for, and the same map when that is all of them', () => {
    expect(keepBuddies(many, () => true)).toBe(many);
    const kept = keepBuddies(many, (k) => k === key(1) || k === key(2));
    expect(buddyKeys(kept).sort()).toEqual([key(1), key(2)]);
  });
});
