import { useApp } from '../store/context.js';
import { contactIndex, displayName } from '../store/names.js';

/** The on-screen name of an address (see store/names.ts); re-renders only when that name changes. */
export function usePeerName(address: string, peerDisplayName?: string): string {
  return useApp((s) => displayName(contactIndex(s.presence.contacts), address, peerDisplayName));
}
