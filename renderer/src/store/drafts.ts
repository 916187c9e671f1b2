/** Composer drafts are kept per target: a conversation id, or `new:<address>` before it exists. */

export function draftKey(state: { selectedConversationId: string | null; draftPeer: string | null }): string | null {
  if (state.selectedConversationId) return state.selectedConversationId;
  if (state.draftPeer) return `new:${state.draftPeer}`;
  return null;
}

/**
 * The drafts to show after a snapshot: what the core kept (saveDraft), except where this page
 * already has a draft of its own (typed before a reconnect, perhaps not saved yet): that one is newer.
 */
export function mergeDrafts(saved: Readonly<Record<string, string>>, local: Readonly<Record<string, string>>): Record<string, string> {
  return { ...saved, ...local };
}

/** Conversations whose draft differs from what the core holds (drafts of chats not yet started stay local). */
export function unsavedDrafts(
  drafts: Readonly<Record<string, string>>,
  saved: Readonly<Record<string, string>>,
  conversations: Readonly<Record<string, unknown>>,
): string[] {
  return Object.keys(drafts).filter((id) => id in conversations && (drafts[id] ?? '') !== (saved[id] ?? ''));
}
