import { useApp } from '../store/context.js';
import { peerName } from '../store/format.js';

/** "bob is typing…" while the peer's isComposing indication is active. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const typing = useApp((s) => s.composing[conversationId]);
  return (
    <p className="typing muted" role="status" aria-live="polite" data-testid="typing-indicator">
      {typing ? `${peerName(typing.peer)} is typing…` : ''}
    </p>
  );
}
