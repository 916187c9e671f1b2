import { useMemo } from 'react';
import { normalizeAddress, type FileTransfer } from '../../../shared/ipc.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { canShowInFolder } from '../platform.js';
import { FilePreview } from './FilePreview.js';
import { useApp } from '../store/context.js';
import '../styles/files.css';

/** What a card says of its state, by direction (as Signal says "Sent", not "to send · Done"). */
const STATE_WORDS: Record<FileTransfer['direction'], Record<FileTransfer['state'], string>> = {
  in: {
    offered: 'Wants to send you this file',
    connecting: 'Connecting…',
    transferring: 'Receiving',
    interrupted: 'Interrupted: waiting for the sender to resume',
    done: 'Received',
    declined: 'Declined',
    cancelled: 'Cancelled',
    failed: 'Not received',
  },
  out: {
    offered: 'Offered',
    connecting: 'Waiting for an answer…',
    transferring: 'Sending',
    interrupted: 'Interrupted',
    done: 'Sent',
    declined: 'Declined',
    cancelled: 'Cancelled',
    failed: 'Not sent',
  },
};

/** A tile with the file's extension (as Slack and Signal show), or a picture sign for images. */
function FileIcon({ name, type }: { name: string; type: string }) {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1).toUpperCase() : '';
  return (
    <div className={`file-icon${type.startsWith('image/') ? ' image' : ''}`} aria-hidden="true">
      {extension || 'FILE'}
    </div>
  );
}

/**
 * The file transfers with this conversation's peer: an incoming offer as a card with Accept and
 * Decline, a transfer under way with its progress and Cancel, a finished one with where it was
 * saved or why it did not arrive. Every name and reason is text (React escapes it): never markup.
 */
export function FileTransfers({ peer }: { peer: string }) {
  const all = useApp((s) => s.fileTransfers);
  const attachingAll = useApp((s) => s.attaching);
  const answer = useApp((s) => s.answerFileOffer);
  const cancel = useApp((s) => s.cancelFile);
  const resume = useApp((s) => s.resumeFile);
  const showInFolder = useApp((s) => s.showFileInFolder);
  const transfers = useMemo(() => {
    const who = normalizeAddress(peer);
    return Object.values(all)
      .filter((t) => t.peer === who)
      .sort((a, b) => a.startedAt - b.startedAt);
  }, [all, peer]);
  const attaching = useMemo(() => Object.values(attachingAll).filter((a) => a.peer === peer), [attachingAll, peer]);
  if (transfers.length === 0 && attaching.length === 0) return null;
  return (
    <ul className="file-transfers" aria-label="File transfers" data-testid="file-transfers">
      {transfers.map((t) => {
        const going = t.state === 'connecting' || t.state === 'transferring' || t.state === 'interrupted';
        const percent = t.size === 0 ? (t.state === 'done' ? 100 : 0) : Math.floor((t.transferred / t.size) * 100);
        return (
          <li key={t.id} className={`file-transfer ${t.direction} ${t.state}`} data-testid="file-transfer" data-state={t.state}>
            <FileIcon name={t.name} type={t.type} />
            <div className="file-body">
              <div className="file-name" title={t.name} data-testid="file-name">
                {t.name}
              </div>
              <div className="file-meta muted">
                {formatSize(t.size)} · {STATE_WORDS[t.direction][t.state]}
                {t.state === 'transferring' && t.size > 0 && ` · ${percent}%`}
              </div>
              {t.state === 'transferring' && (
                <progress className="file-progress" max={100} value={percent} aria-label={`${t.name}: ${percent}%`} />
              )}
              {t.reason && (t.state === 'failed' || t.state === 'declined' || t.state === 'cancelled' || t.state === 'interrupted') && (
                <div className="file-reason muted" data-testid="file-reason">
                  {t.reason}
                </div>
              )}
              <FilePreview transfer={t} />
              {t.state === 'done' && t.savedAs && (
                <div className="file-saved muted" title={t.savedAs}>
                  Saved to {t.savedAs}
                </div>
              )}
            </div>
            <div className="actions compact">
              {t.state === 'offered' && t.direction === 'in' && (
                <>
                  <button type="button" onClick={() => void answer(t.id, true)} data-testid="file-accept">
                    Accept
                  </button>
                  <button type="button" className="secondary" onClick={() => void answer(t.id, false)} data-testid="file-decline">
                    Decline
                  </button>
                </>
              )}
              {t.state === 'done' && t.direction === 'in' && t.savedAs && canShowInFolder() && (
                <button type="button" className="secondary" onClick={() => void showInFolder(t.id)} data-testid="file-show">
                  Show in folder
                </button>
              )}
              {t.state === 'interrupted' && t.direction === 'out' && (
                <button type="button" onClick={() => void resume(t.id)} data-testid="file-resume">
                  Resume
                </button>
              )}
              {going && (
                <button type="button" className="secondary" onClick={() => void cancel(t.id)} data-testid="file-cancel">
                  Cancel
                </button>
              )}
            </div>
          </li>
        );
      })}
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
