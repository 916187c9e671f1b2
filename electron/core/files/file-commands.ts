/**
 * The contract's file commands (shared/contract/files.ts) on the core's transfers and the window's
 * staged uploads (staged-uploads.ts): `sendFile` takes only an upload the page completed, so no
 * command names a path on this machine; `sendLocalFile` is the in-process door for callers that are
 * the user themselves (tests, benchmarks, a shell's own file dialog), never reachable from a command.
 */
import type { FileTransfer } from '../../../shared/ipc.js';
import type { CommandHandlers } from '../core.js';
import { readPreview } from './file-preview.js';
import type { FileTransfers } from './file-transfers.js';
import type { StagedUploads } from './staged-uploads.js';

type FileCommandName =
  | 'startFileUpload'
  | 'writeFileUpload'
  | 'cancelFileUpload'
  | 'sendFile'
  | 'answerFileOffer'
  | 'cancelFile'
  | 'resumeFile'
  | 'readFilePreview'
  | 'listFileTransfers'
  | 'getFileSettings'
  | 'setFileSettings';

/** `find`: a transfer of this run or from the history, by id (ParleyCore.findFileTransfer). */
export function fileHandlers(
  files: FileTransfers,
  uploads: StagedUploads,
  find: (id: string) => FileTransfer | undefined,
): Pick<CommandHandlers, FileCommandName> {
  return {
    startFileUpload: async ({ name, size }) => ({ upload: await uploads.start(name, size, files.settings().maxBytes) }),
    writeFileUpload: async ({ upload, offset, data }) => ({ received: await uploads.write(upload, offset, Buffer.from(data, 'base64')) }),
    cancelFileUpload: async ({ upload }) => {
      await uploads.discard(upload);
      return {};
    },
    sendFile: async ({ to, upload }): Promise<FileTransfer> => {
      const { file, release } = await uploads.take(upload);
      try {
        return await files.send(to, file, release);
      } catch (error) {
        release();
        throw error;
      }
    },
    answerFileOffer: ({ id, accept }) => files.answer(id, accept),
    cancelFile: ({ id }) => files.cancel(id),
    resumeFile: ({ id }) => files.resume(id),
    readFilePreview: ({ id, offset }) => readPreview(find(id), offset),
    listFileTransfers: async () => files.list(),
    getFileSettings: async () => files.settings(),
    setFileSettings: async (change) => files.setSettings(change),
  };
}
