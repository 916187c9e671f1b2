import { useApp } from '../store/context.js';
import { usePeerName } from './usePeerName.js';

/** "Bob Keller is typing…" while the peer's isComposing indication is active. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const typing = useApp((s) => s.composing[conversationId]);
  const ownName = useApp((s) => s.conversations[conversationId]?.peerName);
  const name = usePeerName(typing?.peer ?? '', ownName);
  return (
    <p className="typing muted" role="status" aria-live="polite" data-testid="typing-indicator">
      {typing ? `${name} is typing…` : ''}
    </p>
  );
}
