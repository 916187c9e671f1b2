/** File transfers (shared/contract/files.ts): answering an offer and cancelling; their state comes by `file-transfer` events (model.ts). */
import type { FileTransfer } from '../../../shared/ipc.js';
import { addLocalNotice, initialModel } from './model.js';
import type { Slice, StoreDeps } from './store.js';

export interface FilesSlice {
  fileTransfers: Record<string, FileTransfer>;
  answerFileOffer(id: string, accept: boolean): Promise<void>;
  cancelFile(id: string): Promise<void>;
}

export const filesSlice =
  ({ api }: StoreDeps): Slice<FilesSlice> =>
  (set) => {
    // The core announces every change as an event (model.ts applies them in order); a command's
    // answer may be older than an event already applied, so only its failure is used here.
    return {
      fileTransfers: initialModel.fileTransfers,
      async answerFileOffer(id, accept) {
        const outcome = await api.answerFileOffer({ id, accept });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
      async cancelFile(id) {
        const outcome = await api.cancelFile({ id });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
    };
  };
