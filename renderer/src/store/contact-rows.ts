/**
 * The contact list as flat rows for a virtualised list: a header per group (folded or not), then
 * that group's contacts, filtered as the user types and sorted by status or by name. A contact in
 * two groups appears in both (as in every messenger with groups). Pure: state in, rows out.
 */
import { normalizeAddress, type Contact } from '../../../shared/ipc.js';
import type { PresenceModel } from './presence-model.js';
import { buddySections, compareNames, type BuddyEntry } from './presence-selectors.js';
import type { ContactSort } from './store.js';

export type ContactRow =
  | { kind: 'group'; key: string; groupId: string; title: string; count: number; online: number; collapsed: boolean }
  | { kind: 'contact'; key: string; groupId: string; entry: BuddyEntry };

/** Lower case without accents, so "zoe" finds "Zoë". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function contactMatches(contact: Contact, name: string, query: string): boolean {
  if (!query) return true;
  return foldForSearch(name).includes(query) || foldForSearch(contact.aor).includes(query);
}

const byName = (a: BuddyEntry, b: BuddyEntry) => compareNames(a.name, b.name);

export function contactRows(
  presence: PresenceModel,
  options: { query: string; sort: ContactSort; collapsed: Readonly<Record<string, true>> },
): ContactRow[] {
  const query = foldForSearch(options.query.trim());
  const rows: ContactRow[] = [];
  for (const section of buddySections(presence)) {
    const groupId = section.groupId ?? '';
    const buddies = section.buddies.filter((entry) => contactMatches(entry.contact, entry.name, query));
    // While filtering, groups without a match are left out; otherwise empty groups stay, to drop people into.
    if (query && buddies.length === 0) continue;
    if (options.sort === 'name') buddies.sort(byName);
    // While filtering every match shows, folded group or not: the user is looking for someone.
    const collapsed = !query && Boolean(options.collapsed[groupId]);
    const online = buddies.filter((b) => b.status.shown === 'online' || b.status.shown === 'busy' || b.status.shown === 'away').length;
    rows.push({ kind: 'group', key: `g:${groupId}`, groupId, title: section.title, count: buddies.length, online, collapsed });
    if (collapsed) continue;
    for (const entry of buddies) rows.push({ kind: 'contact', key: `c:${groupId}:${normalizeAddress(entry.contact.aor)}`, groupId, entry });
  }
  return rows;
}
