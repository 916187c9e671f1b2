/**
 * Per-group views through a presence server (docs/DESIGN.md#views-per-group-through-the-server):
 * each audience is an RPID class (RFC 4480 <class>); the publication carries one tuple per class
 * and the pres-rules give each watcher only its own class. An audience is a contact's groups in
 * precedence order (policy/audience.ts `groupPrecedence`), not the group the active profile
 * picks, so the rules stay the same across schedule boundaries and only the publication changes.
 *
 * A watcher sees its own class name in its tuple, so the name must not say which group it is:
 * group ids are slugs of their names ("book-club"), so a plain hash could be guessed back. Class
 * names are an HMAC of the audience under the account's view key, a random secret kept in the
 * pres-rules document (only the user and the server read it), so every device of the account
 * names the classes alike.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { normalizeAddress } from '../../../shared/domain/address.js';
import type { Contact, Group, GroupId, PresenceView } from '../../../shared/domain/presence.js';
import { audienceOf, groupPrecedence, type AudienceViews } from './policy/index.js';

/** A new view key (made once per account, by the first device that needs one). */
export function newViewKey(): string {
  return randomBytes(18).toString('base64url');
}

function mac(key: string, text: string): string {
  return `v${createHmac('sha256', key).update(text).digest('base64url').slice(0, 16)}`;
}

/** The class of the audience with these groups (precedence order); [] is everyone else. */
export function viewClass(key: string, precedence: readonly GroupId[]): string {
  return mac(key, JSON.stringify(precedence));
}

/** The class every allowed watcher is given too: the one tuple published while per-group views are off. */
export function sharedClass(key: string): string {
  return mac(key, 'shared');
}

/** Each contact's class (by normalised address). */
export function contactClasses(key: string, contacts: readonly Contact[], groups: readonly Group[]): Record<string, string> {
  const classes: Record<string, string> = {};
  for (const contact of contacts) classes[normalizeAddress(contact.aor)] = viewClass(key, groupPrecedence(contact, groups));
  return classes;
}

/** One tuple of the publication: a class and what its audience sees. */
export interface ClassView {
  cls: string;
  view: PresenceView;
}

/**
 * What to publish per class now: everyone else's class first, then one per distinct audience of
 * the contacts (in contact order), each with the view audienceOf gives it.
 */
export function classViews(key: string, views: AudienceViews, contacts: readonly Contact[], groups: readonly Group[]): ClassView[] {
  const out = new Map<string, ClassView>();
  const add = (precedence: readonly GroupId[]) => {
    const cls = viewClass(key, precedence);
    if (!out.has(cls)) out.set(cls, { cls, view: audienceOf(views, precedence).view });
  };
  add([]);
  for (const contact of contacts) add(groupPrecedence(contact, groups));
  return [...out.values()];
}
