/**
 * Hands a file the user picked or dropped to the core by its bytes (docs/DESIGN.md#sending-from-the-window):
 * the page has no paths, and the core takes none from it. The file is read a chunk at a time
 * (File.slice, so a large file is never whole in memory), each chunk written in order, then offered.
 */
import { MAX_UPLOAD_CHUNK_BYTES, type FileTransfer, type Outcome, type ParleyApi } from '../../../shared/ipc.js';

type UploadApi = Pick<ParleyApi, 'startFileUpload' | 'writeFileUpload' | 'cancelFileUpload' | 'sendFile'>;

/** Base64 of some bytes (btoa takes a binary string; built in pieces so no call gets too many arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Copies `file` to the core and offers it to `to`; `progress` gets the bytes handed over so far. */
export async function uploadAndSend(
  api: UploadApi,
  to: string,
  file: Blob & { name: string },
  progress: (sent: number) => void = () => {},
): Promise<Outcome<FileTransfer>> {
  // The core makes the name one safe file name of at most 200 bytes; the contract takes 1024 characters.
  const started = await api.startFileUpload({ name: (file.name || 'file').slice(0, 1024), size: file.size });
  if (!started.ok) return started;
  const { upload } = started.value;
  for (let offset = 0; offset < file.size;) {
    const end = Math.min(file.size, offset + MAX_UPLOAD_CHUNK_BYTES);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
    } catch {
      void api.cancelFileUpload({ upload });
      return { ok: false, error: { code: 'failed', message: `${file.name} cannot be read` } };
    }
    const written = await api.writeFileUpload({ upload, offset, data: toBase64(bytes) });
    if (!written.ok) {
      void api.cancelFileUpload({ upload });
      return written;
    }
    offset = written.value.received;
    progress(offset);
  }
  return api.sendFile({ to, upload });
}
