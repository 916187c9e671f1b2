/**
 * The contact list as an XCAP resource-lists document (RFC 4826 §3), read and written.
 *
 * Layout: one top-level list, the one the resource list server subscribes to (its URI is named by
 * the rls-services document, rls-services.ts), holding one sub-list per group, in group order (the
 * list's name is the group id, its display-name the group's name), and then the contacts in no
 * group as entries of their own. A contact in several groups is an entry of each of their lists
 * (the server subscribes to it once). An entry's display-name is the contact's name.
 *
 *   <resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">
 *     <list name="buddies">
 *       <list name="friends"><display-name>Friends</display-name>
 *         <entry uri="sip:bob@example.org"><display-name>Bob</display-name></entry>
 *       </list>
 *       <entry uri="sip:carol@example.org"/>
 *     </list>
 *   </resource-lists>
 *
 * Reading goes through the safe XML reader (no DTD, no entities, bounded) with limits sized for a
 * list of many thousands; anything else throws XmlError (the caller keeps its local list). Entries
 * and groups the local schema would refuse (too long, too many groups) are left out, not fatal:
 * another client may have written the document.
 */
import { normalizeAddress } from '../../../shared/domain/address.js';
import { Contact, Group, type GroupId } from '../../../shared/domain/presence.js';
import { escapeAttribute, escapeText } from '../presence/xml-escape.js';
import { XmlError, attribute, childElements, firstChild, readXml, type XmlElement, type XmlLimits } from '../presence/xml-reader.js';

export const RESOURCE_LISTS_NS = 'urn:ietf:params:xml:ns:resource-lists';
export const RESOURCE_LISTS_CONTENT_TYPE = 'application/resource-lists+xml';
/** The name of the top-level list: every contact, the one the resource list server serves. */
export const ALL_CONTACTS_LIST = 'buddies';

/** Room for 10,000 contacts in a few groups; the bundled server stores less (server/README.md). */
export const RESOURCE_LISTS_LIMITS: Readonly<XmlLimits> = Object.freeze({
  maxBytes: 4 * 1024 * 1024,
  maxDepth: 16,
  maxElements: 100_000,
  maxAttributes: 16,
});

/** What the document holds: the groups in order, and every contact with its groups. */
export interface ContactList {
  groups: Group[];
  contacts: Contact[];
}

export function encodeResourceLists(list: ContactList): string {
  const byGroup = new Map<GroupId, Contact[]>(list.groups.map((g) => [g.id, []]));
  const loose: Contact[] = [];
  for (const contact of list.contacts) {
    const known = contact.groups.filter((g) => byGroup.has(g));
    if (known.length === 0) loose.push(contact);
    for (const g of known) byGroup.get(g)!.push(contact);
  }
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<resource-lists xmlns="${RESOURCE_LISTS_NS}">`,
    `<list name="${ALL_CONTACTS_LIST}">`,
  ];
  for (const group of list.groups) {
    out.push(`<list name="${escapeAttribute(group.id)}"><display-name>${escapeText(group.name)}</display-name>`);
    for (const contact of byGroup.get(group.id)!) out.push(entry(contact));
    out.push('</list>');
  }
  for (const contact of loose) out.push(entry(contact));
  out.push('</list>', '</resource-lists>', '');
  return out.join('\n');
}

function entry(contact: Contact): string {
  const name = contact.name ? `<display-name>${escapeText(contact.name)}</display-name>` : '';
  return name ? `<entry uri="${escapeAttribute(contact.aor)}">${name}</entry>` : `<entry uri="${escapeAttribute(contact.aor)}"/>`;
}

/**
 * Reads a resource-lists document. Throws XmlError (only): unsafe or broken XML, or a document
 * that is not resource-lists. A document without our top-level list is read as an empty list.
 */
export function decodeResourceLists(xml: string): ContactList {
  const root = readXml(xml, RESOURCE_LISTS_LIMITS);
  if (root.ns !== RESOURCE_LISTS_NS || root.name !== 'resource-lists') {
    throw new XmlError('unexpected-document', 'not a resource-lists document: the root is not <resource-lists>');
  }
  const top = childElements(root, RESOURCE_LISTS_NS, 'list').find((l) => attribute(l, 'name') === ALL_CONTACTS_LIST);
  const groups: Group[] = [];
  const contacts = new Map<string, Contact>();
  if (!top) return { groups, contacts: [] };
  const add = (el: XmlElement, groupId: GroupId | undefined): void => {
    const uri = attribute(el, 'uri')?.trim();
    if (!uri) return;
    const aor = normalizeAddress(uri);
    const name = displayName(el);
    const known = contacts.get(aor) ?? { aor, groups: [], ...(name ? { name } : {}) };
    const next = { ...known, groups: groupId && !known.groups.includes(groupId) ? [...known.groups, groupId] : known.groups };
    const checked = Contact.safeParse(next);
    if (checked.success) contacts.set(aor, checked.data);
  };
  for (const sub of childElements(top, RESOURCE_LISTS_NS, 'list')) {
    const group = Group.safeParse({ id: attribute(sub, 'name') ?? '', name: displayName(sub) ?? attribute(sub, 'name') ?? '' });
    if (!group.success || groups.some((g) => g.id === group.data.id)) continue;
    groups.push(group.data);
    for (const el of childElements(sub, RESOURCE_LISTS_NS, 'entry')) add(el, group.data.id);
  }
  for (const el of childElements(top, RESOURCE_LISTS_NS, 'entry')) add(el, undefined);
  return { groups, contacts: [...contacts.values()] };
}

function displayName(el: XmlElement): string | undefined {
  const text = firstChild(el, RESOURCE_LISTS_NS, 'display-name')?.text.trim();
  return text ? text : undefined;
}
