import type { FileTransfer } from '../../../shared/ipc.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { FILE_STATE_WORDS } from '../../../shared/words/file-state.js';
import { canShowInFolder } from '../platform.js';
import { useApp } from '../store/context.js';
import { FilePreview } from './FilePreview.js';
import '../styles/files.css';

/** A tile with the file's extension (as Slack and Signal show), or a picture sign for images. */
export function FileIcon({ name, type }: { name: string; type: string }) {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 6 ? name.slice(dot + 1).toUpperCase() : '';
  return (
    <div className={`file-icon${type.startsWith('image/') ? ' image' : ''}`} aria-hidden="true">
      {extension || 'FILE'}
    </div>
  );
}

/**
 * One file transfer as a card: an incoming offer with Accept and Decline, a transfer under way
 * with its progress and Cancel, a finished one with where it was saved (and Show in folder, while
 * the file is still there) or why it did not arrive. Every name and reason is text (React escapes
 * it): never markup. Shown in the message list (a file message, MessageItem.tsx) and, for what has
 * no message yet, below it (FileTransfers.tsx).
 */
export function FileCard({ transfer: t }: { transfer: FileTransfer }) {
  const answer = useApp((s) => s.answerFileOffer);
  const cancel = useApp((s) => s.cancelFile);
  const resume = useApp((s) => s.resumeFile);
  const showInFolder = useApp((s) => s.showFileInFolder);
  const going = t.state === 'connecting' || t.state === 'transferring' || t.state === 'interrupted';
  const percent = t.size === 0 ? (t.state === 'done' ? 100 : 0) : Math.floor((t.transferred / t.size) * 100);
  const saved = t.state === 'done' && t.direction === 'in' && t.savedAs !== undefined;
  return (
    <div className={`file-transfer ${t.direction} ${t.state}`} data-testid="file-transfer" data-state={t.state} data-id={t.id}>
      <FileIcon name={t.name} type={t.type} />
      <div className="file-body">
        <div className="file-name" title={t.name} data-testid="file-name">
          {t.name}
        </div>
        <div className="file-meta muted">
          {formatSize(t.size)} · {FILE_STATE_WORDS[t.direction][t.state]}
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
        {saved && !t.missing && <FilePreview transfer={t} />}
        {saved && (
          <div className="file-saved muted" title={t.savedAs} data-testid="file-saved">
            {t.missing ? `No longer in ${t.savedAs} (moved or deleted)` : `Saved to ${t.savedAs}`}
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
        {saved && !t.missing && canShowInFolder() && (
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
    </div>
  );
}
