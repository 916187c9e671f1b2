/**
 * The presence editors' values and their translation into the contract's Profile, Schedule and
 * Contact. Pure. The core checks the result as a whole (validatePolicy) and its answer is shown
 * next to the form; these helpers only build well-formed requests.
 */
import {
  EVERYONE_ELSE,
  completeAddress,
  type Availability,
  type Contact,
  type Group,
  type PresenceView,
  type Profile,
  type Schedule,
  type WeeklyRule,
} from '../../../shared/ipc.js';

/** An id from a name ("Work hours" -> "work-hours"), made unique among `taken` with a number. */
export function uniqueId(name: string, taken: Iterable<string>, fallback = 'item'): string {
  const used = new Set(taken);
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 48) || fallback;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

export interface ViewDraft {
  availability: Availability;
  note: string;
  /** Kept from the stored view (the editor does not show RPID activities). */
  activities: string[];
}

export interface ProfileDraft {
  id: string;
  name: string;
  everyone: ViewDraft;
  /** Per group id: its own view, or null for "same as everyone else". */
  groups: Record<string, ViewDraft | null>;
}

function viewDraft(view: PresenceView): ViewDraft {
  return { availability: view.availability, note: view.note ?? '', activities: view.activities };
}

function toView(draft: ViewDraft): PresenceView {
  const note = draft.note.trim();
  return note
    ? { availability: draft.availability, note, activities: draft.activities }
    : { availability: draft.availability, activities: draft.activities };
}

export function draftFromProfile(profile: Profile, groups: readonly Group[]): ProfileDraft {
  const everyone = profile.views[EVERYONE_ELSE];
  const out: ProfileDraft['groups'] = {};
  for (const group of groups) {
    const view = profile.views[group.id];
    out[group.id] = view ? viewDraft(view) : null;
  }
  return { id: profile.id, name: profile.name, everyone: everyone ? viewDraft(everyone) : emptyView(), groups: out };
}

export function emptyView(availability: Availability = 'online'): ViewDraft {
  return { availability, note: '', activities: [] };
}

/** A new profile: everyone sees "online", no group has a view of its own. */
export function newProfileDraft(name: string, profiles: readonly Profile[], groups: readonly Group[]): ProfileDraft {
  const id = uniqueId(
    name,
    profiles.map((p) => p.id),
    'profile',
  );
  return { id, name: name.trim(), everyone: emptyView(), groups: Object.fromEntries(groups.map((g) => [g.id, null])) };
}

/**
 * The Profile to save. Views the profile holds for groups the editor does not know (deleted
 * since) are kept as they were: dropping them is the user's choice, not the editor's.
 */
export function profileFromDraft(draft: ProfileDraft, stored?: Profile): Profile {
  const views: Profile['views'] = { ...stored?.views };
  for (const [groupId, view] of Object.entries(draft.groups)) {
    if (view) views[groupId] = toView(view);
    else delete views[groupId];
  }
  views[EVERYONE_ELSE] = toView(draft.everyone);
  return { id: draft.id, name: draft.name.trim(), views };
}

/** A new weekly rule, office hours by default, for the given profile. */
export function newRule(profileId: string, rules: readonly WeeklyRule[]): WeeklyRule {
  return {
    id: uniqueId(
      'rule',
      rules.map((r) => r.id),
      'rule',
    ),
    days: [1, 2, 3, 4, 5],
    start: '09:00',
    end: '17:00',
    profileId,
  };
}

/** Add or take out one item (a contact's group, a rule's day), keeping the order chosen. */
export function toggleItem<T>(items: readonly T[], item: T): T[] {
  return items.includes(item) ? items.filter((i) => i !== item) : [...items, item];
}

/** Toggle a day in a rule (kept sorted; the schema wants at least one, the core says so). */
export function toggleDay(days: readonly number[], day: number): number[] {
  return toggleItem(days, day).sort((a, b) => a - b);
}

export function updateRule(schedule: Schedule, id: string, change: Partial<WeeklyRule>): Schedule {
  return { ...schedule, rules: schedule.rules.map((r) => (r.id === id ? { ...r, ...change } : r)) };
}

export function removeRule(schedule: Schedule, id: string): Schedule {
  return { ...schedule, rules: schedule.rules.filter((r) => r.id !== id) };
}

export type ContactBuild = { ok: true; contact: Contact } | { ok: false; error: string };

/**
 * The contact to save from what was typed: the address completed as "Chat with…" does (a bare
 * name takes our own domain); an existing contact with the same address keeps its stored form.
 */
export function buildContact(
  input: { address: string; name: string; groups: readonly string[] },
  ownAor: string | null | undefined,
  existing: Contact | undefined,
): ContactBuild {
  const aor = existing?.aor ?? completeAddress(input.address, ownAor);
  if (!aor) return { ok: false, error: 'Type an address like bob@example.org or sip:bob@192.0.2.7:5060' };
  const name = input.name.trim();
  return { ok: true, contact: { aor, ...(name ? { name } : {}), groups: [...new Set(input.groups)] } };
}

/** The view a status set by hand shows: the chosen state and the note, if any. */
export function manualView(availability: Availability, note: string): PresenceView {
  return toView({ availability, note, activities: [] });
}

/** The group select's entry that opens a name field for a group made on the spot. */
export const NEW_GROUP = '\u0000new';

export type GroupChoice = { ok: true; groupId?: string; create?: Group } | { ok: false; error: string };

/**
 * What a group select (existing groups, none, or a new one) asks for: the group to put someone in,
 * and the group to create first when it is a new one (an existing group of the same name is reused).
 */
export function groupChoice(selected: string, newName: string, groups: readonly Group[]): GroupChoice {
  if (selected !== NEW_GROUP) return selected ? { ok: true, groupId: selected } : { ok: true };
  const name = newName.trim();
  if (!name) return { ok: false, error: 'Type a name for the new group' };
  const same = groups.find((g) => g.name.localeCompare(name, undefined, { sensitivity: 'accent' }) === 0);
  if (same) return { ok: true, groupId: same.id };
  const group = {
    id: uniqueId(
      name,
      groups.map((g) => g.id),
      'group',
    ),
    name,
  };
  return { ok: true, groupId: group.id, create: group };
}
