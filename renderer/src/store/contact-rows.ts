/**
 * The contact list as flat rows for a virtualised list: a header per group (folded or not), then
 * that group's contacts, filtered as the user types and sorted by status or by name. A contact in
 * two groups appears in both (as in every messenger with groups). Pure: state in, rows out; a
 * contact whose state did not change keeps its row object, so its row is not redrawn.
 */
import type { Contact } from '../../../shared/ipc.js';
import { buddySections, isOnline, type BuddyEntry, type BuddySection } from './buddy-sections.js';
import type { PresenceModel } from './presence-model.js';
import type { ContactSort } from './store.js';

export type ContactRow =
  | { kind: 'group'; key: string; groupId: string; title: string; count: number; online: number; collapsed: boolean }
  | { kind: 'contact'; key: string; groupId: string; entry: BuddyEntry };

type ContactEntryRow = Extract<ContactRow, { kind: 'contact' }>;

/** Lower case without accents, so "zoe" finds "Zoë". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** A contact's name and address as searched, worked out once per contact (filtering runs per keystroke and per frame). */
const searchTexts = new WeakMap<Contact, { name: string; text: string }>();

function contactMatches(contact: Contact, name: string, query: string): boolean {
  if (!query) return true;
  let cached = searchTexts.get(contact);
  if (!cached || cached.name !== name)
    searchTexts.set(contact, (cached = { name, text: `${foldForSearch(name)}\n${foldForSearch(contact.aor)}` }));
  return cached.text.includes(query);
}

export interface ContactRowOptions {
  query: string;
  sort: ContactSort;
  collapsed: Readonly<Record<string, true>>;
}

/** A contact's row per group, for as long as its entry (its state) stays the same. */
const contactRowsByEntry = new WeakMap<BuddyEntry, Map<string, ContactEntryRow>>();

function contactRow(groupId: string, entry: BuddyEntry): ContactEntryRow {
  let rows = contactRowsByEntry.get(entry);
  if (!rows) contactRowsByEntry.set(entry, (rows = new Map()));
  let row = rows.get(groupId);
  if (!row) rows.set(groupId, (row = { kind: 'contact', key: `c:${groupId}:${entry.key}`, groupId, entry }));
  return row;
}

/** A group's contact rows in one order, for as long as the group's section is the same object. */
const sectionRows = new WeakMap<readonly BuddyEntry[], ContactEntryRow[]>();

function rowsOf(groupId: string, entries: readonly BuddyEntry[]): ContactEntryRow[] {
  let rows = sectionRows.get(entries);
  if (!rows) sectionRows.set(entries, (rows = entries.map((entry) => contactRow(groupId, entry))));
  return rows;
}

let last: { sections: BuddySection[]; options: ContactRowOptions; rows: ContactRow[] } | null = null;

export function contactRows(presence: PresenceModel, options: ContactRowOptions): ContactRow[] {
  const sections = buddySections(presence);
  if (
    last &&
    last.sections === sections &&
    last.options.query === options.query &&
    last.options.sort === options.sort &&
    last.options.collapsed === options.collapsed
  ) {
    return last.rows;
  }
  const query = foldForSearch(options.query.trim());
  // Headers and each group's rows, joined once at the end (a group's rows are shared arrays).
  const parts: (ContactRow | readonly ContactRow[])[] = [];
  for (const section of sections) {
    const groupId = section.groupId ?? '';
    const ordered = options.sort === 'name' ? section.byName : section.buddies;
    const buddies = query ? ordered.filter((entry) => contactMatches(entry.contact, entry.name, query)) : ordered;
    // While filtering, groups without a match are left out; otherwise empty groups stay, to drop people into.
    if (query && buddies.length === 0) continue;
    // While filtering every match shows, folded group or not: the user is looking for someone.
    const collapsed = !query && Boolean(options.collapsed[groupId]);
    const online = query ? buddies.filter((entry) => isOnline(entry.status)).length : section.online;
    parts.push({ kind: 'group', key: `g:${groupId}`, groupId, title: section.title, count: buddies.length, online, collapsed });
    if (collapsed) continue;
    parts.push(query ? buddies.map((entry) => contactRow(groupId, entry)) : rowsOf(groupId, buddies));
  }
  const rows = ([] as ContactRow[]).concat(...parts);
  last = { sections, options, rows };
  return rows;
}
