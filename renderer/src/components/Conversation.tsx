import { conversationHash } from '../store/route.js';
import { useApp } from '../store/context.js';
import { canOpenWindows } from '../platform.js';
import { Composer } from './Composer.js';
import { ConversationDetails } from './ConversationDetails.js';
import { ExportButtons } from './ExportButtons.js';
import { MessageList } from './MessageList.js';
import { TypingIndicator } from './TypingIndicator.js';

/**
 * The open conversation (or the new one being started), or a hint when none is open.
 * `alone`: the conversation fills its own window (#/conversation/<id>).
 */
export function ConversationView({ alone = false }: { alone?: boolean }) {
  const selected = useApp((s) => (s.selectedConversationId ? s.conversations[s.selectedConversationId] : undefined));
  const draftPeer = useApp((s) => s.draftPeer);
  const detailsOpen = useApp((s) => s.detailsOpen);
  const toggleDetails = useApp((s) => s.toggleDetails);
  const openConversationWindow = useApp((s) => s.openConversationWindow);
  const peer = selected?.peer ?? draftPeer;
  if (!peer) {
    return (
      <section className="conversation conversation-empty" aria-label="Conversation">
        <p className="muted">Pick a conversation, or type an address under “Chat with…”.</p>
      </section>
    );
  }
  return (
    <section className="conversation" aria-label={`Conversation with ${peer}`} data-testid="conversation-view" data-peer={peer}>
      <header className="conversation-header">
        <h2>{peer}</h2>
        {selected && (
          <div className="actions compact">
            <button
              type="button"
              className="secondary"
              aria-expanded={detailsOpen}
              onClick={() => toggleDetails()}
              data-testid="details-toggle"
            >
              Details
            </button>
            <ExportButtons conversationId={selected.id} />
            {!alone && canOpenWindows() && (
              <a className="button secondary" href={conversationHash(selected.id)} target="_blank" rel="noopener" data-testid="open-window">
                Own window
              </a>
            )}
            {!alone && !canOpenWindows() && (
              <button type="button" className="secondary" onClick={() => void openConversationWindow(selected.id)} data-testid="open-window">
                Own window
              </button>
            )}
          </div>
        )}
      </header>
      {selected && detailsOpen && <ConversationDetails conversation={selected} />}
      <MessageList conversationId={selected?.id ?? null} peer={peer} />
      {selected && <TypingIndicator conversationId={selected.id} />}
      <Composer peer={peer} />
    </section>
  );
}
