import { useMemo } from 'react';
import type { ChatMessage } from '../../../shared/ipc.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { useApp } from '../store/context.js';
import { stripCards, type StripCards } from '../store/file-cards.js';
import { FileCard, FileIcon } from './FileCard.js';
import '../styles/files.css';

const NONE: ChatMessage[] = [];

/** The cards below the message list of the conversation with `peer` (store/file-cards.ts). */
export function useStripCards(peer: string, conversationId: string | undefined): StripCards {
  const fileTransfers = useApp((s) => s.fileTransfers);
  const attaching = useApp((s) => s.attaching);
  const messages = useApp((s) => (conversationId ? (s.messages[conversationId] ?? NONE) : NONE));
  return useMemo(() => stripCards({ fileTransfers, attaching }, peer, messages), [fileTransfers, attaching, peer, messages]);
}

/**
 * Below the message list: the cards that have no message in it yet, files being prepared for
 * sending with their progress, and a transfer whose message was not stored.
 */
export function FileTransfers({ cards: { transfers, attaching } }: { cards: StripCards }) {
  if (transfers.length === 0 && attaching.length === 0) return null;
  return (
    <ul className="file-transfers" aria-label="File transfers" data-testid="file-transfers">
      {transfers.map((t) => (
        <li key={t.id}>
          <FileCard transfer={t} />
        </li>
      ))}
      {attaching.map((a) => {
        const percent = a.size === 0 ? 0 : Math.floor((a.sent / a.size) * 100);
        return (
          <li key={a.key} className="file-transfer out attaching" data-testid="file-attaching">
            <FileIcon name={a.name} type="" />
            <div className="file-body">
              <div className="file-name" title={a.name}>
                {a.name}
              </div>
              <div className="file-meta muted">
                {formatSize(a.size)} · Preparing… {percent}%
              </div>
              <progress className="file-progress" max={100} value={percent} aria-label={`${a.name}: preparing, ${percent}%`} />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
