/**
 * Who someone is on screen: the name the user gave the contact, else the display name the peer sent
 * in its From header (kept on the conversation), else the user part of the address. The address is
 * only ever secondary text. Pure functions; the contact index is rebuilt only when the contact list
 * itself changes, so a row of a 5,000-contact list looks its name up in O(1).
 */
import { normalizeAddress, samePeer, type Contact, type Conversation } from '../../../shared/ipc.js';
import type { Names } from '../../../shared/words/word-reason.js';
import { personName } from '../../../shared/words/person-name.js';

export type ContactIndex = ReadonlyMap<string, Contact>;

let lastContacts: readonly Contact[] | null = null;
let lastIndex: ContactIndex = new Map();

/** Contacts by normalised address; the same array gives the same index. */
export function contactIndex(contacts: readonly Contact[]): ContactIndex {
  if (contacts !== lastContacts) {
    const index = new Map<string, Contact>();
    for (const contact of contacts) index.set(normalizeAddress(contact.aor), contact);
    lastContacts = contacts;
    lastIndex = index;
  }
  return lastIndex;
}

/** The name to show for an address: contact name, then the peer's own display name, then its user part. */
export function displayName(index: ContactIndex, address: string, peerDisplayName?: string): string {
  return personName(address, index.get(normalizeAddress(address))?.name, peerDisplayName);
}

/**
 * How a reason names an address on screen (shared/words/): as displayName does, the peer of
 * `conversation` with the display name it gave.
 */
export function reasonNames(index: ContactIndex, conversation?: Pick<Conversation, 'peer' | 'peerName'>): Names {
  return (address) => displayName(index, address, conversation && samePeer(address, conversation.peer) ? conversation.peerName : undefined);
}

/** The name of a conversation's peer. */
export function conversationName(index: ContactIndex, conversation: Pick<Conversation, 'peer' | 'peerName'>): string {
  return displayName(index, conversation.peer, conversation.peerName);
}

/** "Bob Keller" → "BK", "bob" → "B", "+49 170" → "+4": at most two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return '?';
  const first = (word: string) => Array.from(word)[0] ?? '';
  if (words.length === 1)
    return Array.from(words[0]!)
      .slice(0, words[0]!.length > 1 && /^\p{N}/u.test(words[0]!) ? 2 : 1)
      .join('')
      .toUpperCase();
  return (first(words[0]!) + first(words[words.length - 1]!)).toUpperCase();
}

/** A stable hue per address, so the same person keeps the same avatar colour everywhere. */
export function avatarHue(address: string): number {
  let hash = 0;
  for (const char of normalizeAddress(address)) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % 360;
}
