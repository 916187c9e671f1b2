/**
 * Buddies' presence by normalised address, as an immutable map in 64 shards. A presence storm
 * changes a few dozen of 5,000 buddies per animation frame; copying one flat map of 5,000 per frame
 * took milliseconds. Here a change copies the shard list (64 references) and the shards it touches
 * (about 80 entries each), and a reader that kept the shards it saw last knows which ones to look at
 * again (buddy-sections.ts). Hand-written rather than a persistent-collections library because that
 * last part, skipping unchanged shards, is what the buddy list needs, and it is a few lines here.
 */
import type { BuddyPresence } from '../../../shared/ipc.js';

const SHARDS = 64;

export interface BuddyMap {
  readonly shards: readonly Readonly<Record<string, BuddyPresence>>[];
}

/** Which shard a key lives in (FNV-1a of the key). */
export function shardOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % SHARDS;
}

const EMPTY_SHARD: Readonly<Record<string, BuddyPresence>> = Object.freeze({});
export const EMPTY_BUDDIES: BuddyMap = { shards: Array.from({ length: SHARDS }, () => EMPTY_SHARD) };

export function buddyOf(map: BuddyMap, key: string): BuddyPresence | undefined {
  return map.shards[shardOf(key)]![key];
}

/** The map with these entries set, in order (the last of a key wins); unchanged shards are shared. */
export function withBuddyEntries(map: BuddyMap, entries: Iterable<readonly [string, BuddyPresence]>): BuddyMap {
  const shards = map.shards.slice();
  const copied = new Set<number>();
  for (const [key, buddy] of entries) {
    const s = shardOf(key);
    if (!copied.has(s)) {
      shards[s] = { ...shards[s] };
      copied.add(s);
    }
    (shards[s] as Record<string, BuddyPresence>)[key] = buddy;
  }
  return copied.size === 0 ? map : { shards };
}

/** The map without the keys `keep` refuses; the same map when it keeps them all. */
export function keepBuddies(map: BuddyMap, keep: (key: string) => boolean): BuddyMap {
  let changed = false;
  const shards = map.shards.map((shard) => {
    const keys = Object.keys(shard);
    const kept = keys.filter(keep);
    if (kept.length === keys.length) return shard;
    changed = true;
    return Object.fromEntries(kept.map((key) => [key, shard[key]!]));
  });
  return changed ? { shards } : map;
}

/** Every key held, for tests and diagnostics. */
export function buddyKeys(map: BuddyMap): string[] {
  return map.shards.flatMap((shard) => Object.keys(shard));
}
