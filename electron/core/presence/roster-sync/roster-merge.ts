/**
 * Three-way merge of the contact list (docs/DESIGN.md#the-contact-list-on-the-server): `base` is
 * what this device and the server last agreed on, `local` what the device has now, `remote` what
 * the server has now. Whatever only one side changed is taken from that side, so two devices
 * editing different things both keep their edits; where both changed the same thing this device
 * wins, except that an edit beats a removal (nothing either side added or renamed is lost).
 *
 * Field by field for a contact: its name as a value, its groups as a set (a group added on one
 * device and another added on the other are both kept). Groups keep the server's order, then
 * those only this device has; memberships in groups that are gone are dropped.
 */
import type { Contact, Group } from '../../../../shared/domain/presence.js';
import type { ContactList } from '../../../sip/xcap/resource-lists.js';
import { mergeRecords } from '../xcap-sync/record-merge.js';

export const EMPTY_LIST: ContactList = Object.freeze({ groups: [], contacts: [] }) as ContactList;

export function mergeContactLists(base: ContactList, local: ContactList, remote: ContactList): ContactList {
  const groups = mergeRecords(
    keyed(base.groups, (g) => g.id),
    keyed(local.groups, (g) => g.id),
    keyed(remote.groups, (g) => g.id),
    mergeGroup,
    sameJson,
  );
  const order = [...remote.groups.map((g) => g.id), ...local.groups.map((g) => g.id)];
  const orderedGroups = [...new Set(order)].flatMap((id) => (groups.has(id) ? [groups.get(id)!] : []));
  const known = new Set(orderedGroups.map((g) => g.id));
  const contacts = mergeRecords(
    keyed(base.contacts, (c) => c.aor),
    keyed(local.contacts, (c) => c.aor),
    keyed(remote.contacts, (c) => c.aor),
    mergeContact,
    sameJson,
  );
  return {
    groups: orderedGroups,
    contacts: [...contacts.values()].map((c) => ({ ...c, groups: c.groups.filter((g) => known.has(g)) })),
  };
}

/** Whether two lists hold the same groups (in order) and the same contacts (in any order). */
export function sameContactLists(a: ContactList, b: ContactList): boolean {
  if (a.groups.length !== b.groups.length || a.contacts.length !== b.contacts.length) return false;
  if (a.groups.some((g, i) => g.id !== b.groups[i]!.id || g.name !== b.groups[i]!.name)) return false;
  const others = keyed(b.contacts, (c) => c.aor);
  return a.contacts.every((c) => {
    const other = others.get(c.aor);
    return other !== undefined && sameContact(c, other);
  });
}

function keyed<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}

function mergeGroup(base: Group | undefined, local: Group, remote: Group): Group {
  return { id: local.id, name: mergeValue(base?.name, local.name, remote.name) };
}

function mergeContact(base: Contact | undefined, local: Contact, remote: Contact): Contact {
  const name = mergeValue(base?.name, local.name, remote.name);
  const baseGroups = new Set(base?.groups ?? []);
  const remoteGroups = new Set(remote.groups);
  const localGroups = new Set(local.groups);
  // kept: in both; or added by one side; dropped: removed by either side (and not re-added by the other)
  const groups = [...new Set([...local.groups, ...remote.groups])].filter((g) =>
    baseGroups.has(g) ? localGroups.has(g) && remoteGroups.has(g) : true,
  );
  return { aor: local.aor, groups, ...(name !== undefined ? { name } : {}) };
}

function mergeValue<T>(base: T | undefined, local: T, remote: T): T {
  return local === base ? remote : local;
}

function sameContact(a: Contact, b: Contact): boolean {
  return a.name === b.name && a.groups.length === b.groups.length && a.groups.every((g, i) => g === b.groups[i]);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(normalise(a)) === JSON.stringify(normalise(b));
}

/** Contacts compare with their groups as a set and no name as no name. */
function normalise(value: unknown): unknown {
  if (value && typeof value === 'object' && 'aor' in value) {
    const c = value as Contact;
    return { aor: c.aor, name: c.name ?? null, groups: [...c.groups].sort() };
  }
  return value;
}
