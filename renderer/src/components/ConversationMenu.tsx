import { conversationHash } from '../store/route.js';
import { useApp } from '../store/context.js';
import { canOpenWindows, saveFile } from '../platform.js';
import { useState } from 'react';
import { ClearHistoryDialog } from './ClearHistoryDialog.js';
import { Menu, type MenuItem } from './Menu.js';

/** The conversation's less frequent actions, in its header's menu: save it as a file, give it a window, clear it. */
export function ConversationMenu({ conversationId, alone }: { conversationId: string; alone: boolean }) {
  const exportConversation = useApp((s) => s.exportConversation);
  const saveConversationAs = useApp((s) => s.saveConversationAs);
  const error = useApp((s) => s.exportError);
  const openConversationWindow = useApp((s) => s.openConversationWindow);
  const [confirming, setConfirming] = useState(false);
  const save = async (format: 'text' | 'json') => {
    // The Electron shell asks where to save (it refuses downloads); the browser host downloads.
    if (await saveConversationAs(conversationId, format)) return;
    const file = await exportConversation(conversationId, format);
    if (file) saveFile(file.fileName, file.mimeType, file.content);
  };
  const items: MenuItem[] = [
    { label: 'Export as text', onSelect: () => void save('text'), testId: 'export-text' },
    { label: 'Export as JSON', onSelect: () => void save('json'), testId: 'export-json' },
  ];
  if (!alone) {
    items.push({
      label: 'Open in its own window',
      // A new browser window here; the Electron shell denies window.open and opens one itself.
      onSelect: () =>
        canOpenWindows()
          ? window.open(conversationHash(conversationId), '_blank', 'noopener')
          : void openConversationWindow(conversationId),
      testId: 'open-window',
    });
  }
  items.push({ label: 'Clear history…', onSelect: () => setConfirming(true), testId: 'clear-history', danger: true });
  return (
    <>
      {confirming && <ClearHistoryDialog conversationId={conversationId} onClose={() => setConfirming(false)} />}
      <Menu label="Conversation actions" trigger="⋯" items={items} align="end" testId="conversation-menu" />
      {error && (
        <p className="form-error" role="alert" data-testid="export-error">
          Export failed: {error}
        </p>
      )}
    </>
  );
}
