import { messageLimit, normalizeAddress, type Conversation } from '../../../shared/ipc.js';

interface LimitState {
  selectedConversationId: string | null;
  conversations: Record<string, Conversation>;
  draftPeer: string | null;
  sessionPeers: Record<string, true>;
}

/** The largest message the composer may send now (bytes): more while a chat session with the peer is open (model.ts). */
export function composerLimit(state: LimitState): number {
  const conversation = state.selectedConversationId ? state.conversations[state.selectedConversationId] : undefined;
  const peer = conversation?.peer ?? state.draftPeer;
  return messageLimit(peer !== null && state.sessionPeers[normalizeAddress(peer)] === true);
}
