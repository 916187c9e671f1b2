import { useApp } from '../store/context.js';
import { saveFile } from '../platform.js';

/** Save the whole conversation as a text or JSON file. */
export function ExportButtons({ conversationId }: { conversationId: string }) {
  const exportConversation = useApp((s) => s.exportConversation);
  const error = useApp((s) => s.exportError);
  const run = async (format: 'text' | 'json') => {
    const file = await exportConversation(conversationId, format);
    if (file) saveFile(file.fileName, file.mimeType, file.content);
  };
  return (
    <>
      <button type="button" className="secondary" onClick={() => void run('text')} data-testid="export-text">
        Export text
      </button>
      <button type="button" className="secondary" onClick={() => void run('json')} data-testid="export-json">
        Export JSON
      </button>
      {error && (
        <p className="form-error" role="alert" data-testid="export-error">
          Export failed: {error}
        </p>
      )}
    </>
  );
}
