import { useEffect } from 'react';
import type { FileTransfer } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { PREVIEW_MAX_BYTES } from '../store/file-preview.js';

/**
 * A received image, shown in its card: its bytes read from the core (readFilePreview, typed by
 * their first bytes there) into a data: URL, which the CSP's img-src allows. Nothing is shown for
 * what the core will not preview.
 */
export function FilePreview({ transfer }: { transfer: FileTransfer }) {
  const load = useApp((s) => s.loadPreview);
  const url = useApp((s) => s.imagePreviews[transfer.id]);
  const wanted = transfer.direction === 'in' && transfer.state === 'done' && transfer.size <= PREVIEW_MAX_BYTES;
  useEffect(() => {
    if (wanted) void load(transfer.id);
  }, [load, transfer.id, wanted]);
  if (!wanted || !url) return null;
  return <img className="file-preview" src={url} alt={transfer.name} data-testid="file-preview" />;
}
