import { useMemo } from 'react';
import type { Names } from '../../../shared/words/word-reason.js';
import { useApp } from '../store/context.js';
import { contactIndex, reasonNames } from '../store/names.js';

/**
 * How reasons name people here: contacts by their names, the peer of `conversationId` (when given)
 * by the name it gave. Reads only primitives of the conversation, so a new message elsewhere in it
 * does not redraw every row that uses this.
 */
export function useReasonNames(conversationId?: string): Names {
  const contacts = useApp((s) => s.presence.contacts);
  const peer = useApp((s) => (conversationId ? s.conversations[conversationId]?.peer : undefined));
  const peerName = useApp((s) => (conversationId ? s.conversations[conversationId]?.peerName : undefined));
  return useMemo(
    () => reasonNames(contactIndex(contacts), peer !== undefined ? { peer, peerName } : undefined),
    [contacts, peer, peerName],
  );
}
