/**
 * The buddy list by group, kept up to date incrementally. A presence storm changes a few dozen of
 * 5,000 buddies per animation frame; redoing every row (a status, a rank and a sort per contact)
 * each frame was most of the frame. Here the work of a frame is one identity check per contact, and
 * a move between rank buckets for those whose state changed; a group none of whose people changed
 * keeps its very arrays, so nothing below it is redrawn.
 *
 * Each member knows its shard of the buddy map (buddy-map.ts), so members whose shard is the one
 * seen last time are passed over without a lookup.
 *
 * From outside it is a pure function of the presence model: the state it keeps is a cache keyed by
 * the contact list (and group list) and compared against whatever buddies map it is given.
 */
import { normalizeAddress, type BuddyPresence, type Contact, type Group } from '../../../shared/ipc.js';
import { shardOf, type BuddyMap } from './buddy-map.js';
import type { PresenceModel } from './presence-model.js';
import { buddyStatus, compareNames, contactName, type BuddyShown, type BuddyStatus } from './presence-selectors.js';

export interface BuddyEntry {
  contact: Contact;
  /** The contact's normalised address: the key of its presence and of its rows. */
  key: string;
  /** The contact's name, else its address. */
  name: string;
  status: BuddyStatus;
}

export interface BuddySection {
  /** The group id, or null for "Other contacts" (in no group that exists). */
  groupId: string | null;
  title: string;
  /** Available people first (stale ones after fresh ones of the same state), then by name. */
  buddies: readonly BuddyEntry[];
  /** The same people by name alone. */
  byName: readonly BuddyEntry[];
  /** How many are available, busy or away. */
  online: number;
}

const RANK: Record<BuddyShown, number> = { online: 0, busy: 1, away: 2, awaiting: 3, unknown: 4, offline: 5, failed: 6 };
const RANKS = Math.max(...Object.values(RANK)) * 2 + 2;

/** Where a status sorts: available people first, stale ones after fresh ones of the same state. */
function rankOf(status: BuddyStatus): number {
  return RANK[status.shown] * 2 + (status.stale ? 1 : 0);
}

/** Available, busy or away: someone who is there. */
export function isOnline(status: BuddyStatus): boolean {
  return status.shown === 'online' || status.shown === 'busy' || status.shown === 'away';
}

/** One entry per contact and state: the same state gives the same object, so its row is not redrawn. */
const entries = new WeakMap<Contact, { buddy: BuddyPresence | undefined; entry: BuddyEntry }>();

function entryOf(contact: Contact, key: string, name: string, buddy: BuddyPresence | undefined): BuddyEntry {
  const cached = entries.get(contact);
  if (cached && cached.buddy === buddy) return cached.entry;
  const entry = { contact, key, name, status: buddyStatus(buddy, name) };
  entries.set(contact, { buddy, entry });
  return entry;
}

/** One group's people in name order, with what each showed last time and the rank buckets. */
class SectionState {
  /** Per member (name order): the buddy object last seen, its entry and rank. */
  private readonly seen: (BuddyPresence | undefined | null)[];
  private readonly current: BuddyEntry[] = [];
  private readonly ranks: number[] = [];
  /** Member indexes per rank, ascending (= name order within a rank). */
  private readonly buckets: number[][] = Array.from({ length: RANKS }, () => []);
  section: BuddySection;

  constructor(
    private readonly groupId: string | null,
    private readonly title: string,
    private readonly members: readonly Member[],
  ) {
    // null: never seen, so the first update fills every member.
    this.seen = members.map(() => null);
    this.section = { groupId, title, buddies: [], byName: [], online: 0 };
  }

  /** `previous`: the map of the last update, whose unchanged shards need no look. */
  update(buddies: BuddyMap, previous: BuddyMap | null): BuddySection {
    let changed = false;
    for (let i = 0; i < this.members.length; i++) {
      const member = this.members[i]!;
      const shard = buddies.shards[member.shard]!;
      if (previous && previous.shards[member.shard] === shard) continue;
      const buddy = shard[member.key];
      if (buddy === this.seen[i]) continue;
      this.seen[i] = buddy;
      const entry = entryOf(member.contact, member.key, member.name, buddy);
      if (entry === this.current[i]) continue;
      changed = true;
      this.current[i] = entry;
      const rank = rankOf(entry.status);
      const before = this.ranks[i];
      if (rank === before) continue;
      if (before !== undefined) remove(this.buckets[before]!, i);
      insert(this.buckets[rank]!, i);
      this.ranks[i] = rank;
    }
    if (changed) {
      const ranked: BuddyEntry[] = [];
      let online = 0;
      for (const bucket of this.buckets) for (const i of bucket) ranked.push(this.current[i]!);
      for (const entry of this.current) if (isOnline(entry.status)) online++;
      this.section = { groupId: this.groupId, title: this.title, buddies: ranked, byName: this.current.slice(), online };
    }
    return this.section;
  }
}

/** Binary search for `value`'s place in an ascending array. */
function place(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

function insert(sorted: number[], value: number): void {
  sorted.splice(place(sorted, value), 0, value);
}

function remove(sorted: number[], value: number): void {
  const at = place(sorted, value);
  if (sorted[at] === value) sorted.splice(at, 1);
}

interface Member {
  contact: Contact;
  key: string;
  name: string;
  shard: number;
}

interface RosterState {
  groups: readonly Group[];
  sections: SectionState[];
  buddies: BuddyMap | null;
  result: BuddySection[];
}

/** The sections' members worked out once per contact list and group list, never per presence update. */
const rosters = new WeakMap<readonly Contact[], RosterState>();

function rosterOf(presence: PresenceModel): RosterState {
  const cached = rosters.get(presence.contacts);
  if (cached && cached.groups === presence.groups) return cached;
  const members = presence.contacts
    .map((contact) => {
      const key = normalizeAddress(contact.aor);
      return { contact, key, name: contactName(contact), shard: shardOf(key) };
    })
    .sort((a, b) => compareNames(a.name, b.name));
  const known = new Set(presence.groups.map((g) => g.id));
  const sections = presence.groups.map(
    (group) =>
      new SectionState(
        group.id,
        group.name,
        members.filter((m) => m.contact.groups.includes(group.id)),
      ),
  );
  const others = members.filter((m) => !m.contact.groups.some((g) => known.has(g)));
  if (others.length > 0) sections.push(new SectionState(null, 'Other contacts', others));
  const state: RosterState = { groups: presence.groups, sections, buddies: null, result: [] };
  rosters.set(presence.contacts, state);
  return state;
}

/**
 * The buddy list: every group in order (empty ones too, so people can be put there), then "Other
 * contacts". The same array comes back while no buddy changed; a changed group is a new object.
 */
export function buddySections(presence: PresenceModel): BuddySection[] {
  const roster = rosterOf(presence);
  if (roster.buddies === presence.buddies) return roster.result;
  const before = roster.result;
  const next = roster.sections.map((state) => state.update(presence.buddies, roster.buddies));
  roster.buddies = presence.buddies;
  if (next.length !== before.length || next.some((section, i) => section !== before[i])) roster.result = next;
  return roster.result;
}
