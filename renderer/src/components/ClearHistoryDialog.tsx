import { useState } from 'react';
import { useApp } from '../store/context.js';
import { Dialog } from './Dialog.js';

/** Asks before a conversation's messages are deleted for good. */
export function ClearHistoryDialog({ conversationId, onClose }: { conversationId: string; onClose(): void }) {
  const clearHistory = useApp((s) => s.clearHistory);
  const [busy, setBusy] = useState(false);
  const clear = async () => {
    setBusy(true);
    await clearHistory(conversationId);
    onClose();
  };
  return (
    <Dialog title="Clear history?" onClose={onClose} testId="clear-history-dialog">
      <p>The messages of this conversation are deleted from this device. Messages still on their way are kept. This cannot be undone.</p>
      <div className="actions">
        <button type="button" className="secondary" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void clear()} data-testid="clear-history-confirm">
          Clear history
        </button>
      </div>
    </Dialog>
  );
}
