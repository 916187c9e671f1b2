/**
 * Who may see our real presence. Decided, in order:
 *   1. a watcher the user blocked stays blocked, even when they are also in the roster;
 *   2. a watcher the user allowed, or anyone in our roster (a contact is a buddy: the user chose
 *      to watch them, so they may watch back without a separate question), is allowed;
 *   3. everyone else is pending until the user answers.
 * Addresses compare normalised (scheme, host case, default port, URI parameters).
 */
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { Contact, Watcher, WatcherStatus } from '../../../../shared/domain/presence.js';

export interface AuthorizationBook {
  /** Stored decisions by normalised address. */
  watchers: ReadonlyMap<string, Watcher>;
  /** Normalised addresses of the roster's contacts. */
  contacts: ReadonlySet<string>;
}

export function authorizationBook(watchers: readonly Watcher[], contacts: readonly Contact[]): AuthorizationBook {
  return {
    watchers: new Map(watchers.map((watcher) => [normalizeAddress(watcher.aor), watcher])),
    contacts: new Set(contacts.map((contact) => normalizeAddress(contact.aor))),
  };
}

export function authorizationOf(book: AuthorizationBook, address: string): WatcherStatus {
  const aor = normalizeAddress(address);
  const stored = book.watchers.get(aor)?.status;
  if (stored === 'blocked') return 'blocked';
  if (stored === 'allowed' || book.contacts.has(aor)) return 'allowed';
  return 'pending';
}

/**
 * The watcher list with roster contacts counted as allowed, for the policy's "what does X see"
 * (which treats an address without a record as pending).
 */
export function effectiveWatchers(book: AuthorizationBook, now: number): Watcher[] {
  const out: Watcher[] = [];
  for (const [aor, watcher] of book.watchers) out.push({ ...watcher, status: authorizationOf(book, aor) });
  for (const aor of book.contacts) {
    if (!book.watchers.has(aor)) out.push({ aor, status: 'allowed', source: 'direct', subscribed: false, lastSeen: now });
  }
  return out;
}
