import { normalizeAddress } from '../../../shared/ipc.js';
import { buddyOf } from '../store/buddy-map.js';
import { useApp } from '../store/context.js';
import { buddyStatus } from '../store/presence-selectors.js';
import { Composer } from './Composer.js';
import { ConversationDetails } from './ConversationDetails.js';
import { ConversationMenu } from './ConversationMenu.js';
import { MessageList } from './MessageList.js';
import { TypingIndicator } from './TypingIndicator.js';
import { FileTransfers, useStripCards } from './FileTransfers.js';
import { Avatar } from './Avatar.js';
import { useFileDrop } from './useFileDrop.js';
import { usePeerName } from './usePeerName.js';
import '../styles/chat.css';

/**
 * The open conversation (or the new one being started); nothing while none is (the window's main
 * area shows its own hint then, App.tsx). `alone`: the conversation fills its own window
 * (#/conversation/<id>).
 */
export function ConversationView({ alone = false }: { alone?: boolean }) {
  const selected = useApp((s) => (s.selectedConversationId ? s.conversations[s.selectedConversationId] : undefined));
  const draftPeer = useApp((s) => s.draftPeer);
  const detailsOpen = useApp((s) => s.detailsOpen);
  const toggleDetails = useApp((s) => s.toggleDetails);
  const peer = selected?.peer ?? draftPeer;
  const sendFiles = useApp((s) => s.sendFiles);
  const { dropping, handlers: dropHandlers } = useFileDrop((files) => {
    if (peer) void sendFiles(peer, files);
  });
  const name = usePeerName(peer ?? '', selected?.peerName);
  // The buddy entry itself (a stable object) is selected; its words are made here.
  const buddy = useApp((s) => (peer ? buddyOf(s.presence.buddies, normalizeAddress(peer)) : undefined));
  const strip = useStripCards(peer ?? '', selected?.id);
  // "No messages yet" is not said above a file on its way.
  const quiet = strip.transfers.length > 0 || strip.attaching.length > 0;
  if (!peer) return null;
  // Someone we do not watch has no presence to show: the address alone, no "Unknown".
  const status = buddy ? buddyStatus(buddy, name) : undefined;
  return (
    <section
      className="conversation"
      aria-label={`Conversation with ${name}`}
      data-testid="conversation-view"
      data-peer={peer}
      {...dropHandlers}
    >
      <header className="conversation-header" data-testid="conversation-header">
        <div className="conversation-title">
          <Avatar name={name} address={peer} presence={status?.shown} />
          <div className="conversation-names">
            <h2 data-testid="conversation-name">{name}</h2>
            <p className="conversation-subtitle" title={status?.detail}>
              {status && (
                <span className="conversation-status" data-testid="conversation-status" data-shown={status.shown}>
                  {status.note ? `${status.label} — ${status.note}` : status.label}
                </span>
              )}
              <span className="conversation-address" data-testid="conversation-address">
                {peer}
              </span>
            </p>
          </div>
        </div>
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
            <ConversationMenu conversationId={selected.id} alone={alone} />
          </div>
        )}
      </header>
      {selected && detailsOpen && <ConversationDetails conversation={selected} />}
      {selected ? (
        <MessageList key={selected.id} conversationId={selected.id} peerName={name} quietWhenEmpty={quiet} />
      ) : (
        <div className="message-scroller" data-testid="message-scroller">
          {!quiet && <p className="muted chat-empty">No messages with {name} yet. Say hello.</p>}
        </div>
      )}
      <FileTransfers cards={strip} />
      {selected && <TypingIndicator conversationId={selected.id} />}
      <Composer peer={peer} peerName={name} />
      {dropping && (
        <div className="drop-overlay" aria-hidden="true" data-testid="drop-overlay">
          <div className="drop-card">Drop to send to {name}</div>
        </div>
      )}
    </section>
  );
}
