/**
 * File transfers (shared/contract/files.ts): sending files the user picked or dropped, answering an
 * offer and cancelling; their state comes by `file-transfer` events (model.ts).
 */
import type { FileTransfer } from '../../../shared/ipc.js';
import { readPreviewUrl } from './file-preview.js';
import { uploadAndSend } from './file-upload.js';
import { addLocalNotice, initialModel, selectConversation } from './model.js';
import type { Slice, StoreDeps } from './store.js';

/** A file being handed to the core before it is offered (file-upload.ts). */
export interface Attaching {
  key: string;
  peer: string;
  name: string;
  size: number;
  sent: number;
}

export interface FilesSlice {
  fileTransfers: Record<string, FileTransfer>;
  /** Files being handed to the core, by a key of their own (they have no transfer id yet). */
  attaching: Record<string, Attaching>;
  /** Offer each file to `peer` (from the attach button or a drop). */
  sendFiles(peer: string, files: readonly (Blob & { name: string })[]): Promise<void>;
  answerFileOffer(id: string, accept: boolean): Promise<void>;
  cancelFile(id: string): Promise<void>;
  /** Offer the rest of an interrupted outgoing transfer again. */
  resumeFile(id: string): Promise<void>;
  /** Data URLs of received images, by transfer id (file-preview.ts); null where there is none. */
  imagePreviews: Record<string, string | null>;
  /** Read a received image for its preview, once. */
  loadPreview(id: string): Promise<void>;
  /** Show a received file in the system's file manager (the desktop shell only: platform.ts). */
  showFileInFolder(id: string): Promise<void>;
}

export const filesSlice =
  ({ api }: StoreDeps): Slice<FilesSlice> =>
  (set, get) => {
    let nextKey = 0;
    // The core announces every change as an event (model.ts applies them in order); a command's
    // answer may be older than an event already applied, so only its failure is used here.
    return {
      fileTransfers: initialModel.fileTransfers,
      attaching: {},
      imagePreviews: {},
      async loadPreview(id) {
        if (id in get().imagePreviews) return;
        set((s) => ({ imagePreviews: { ...s.imagePreviews, [id]: null } }));
        const url = await readPreviewUrl(api, id);
        set((s) => ({ imagePreviews: { ...s.imagePreviews, [id]: url } }));
      },
      async sendFiles(peer, files) {
        await Promise.all(
          files.map(async (file) => {
            const key = `a${++nextKey}`;
            const entry: Attaching = { key, peer, name: file.name, size: file.size, sent: 0 };
            set((s) => ({ attaching: { ...s.attaching, [key]: entry } }));
            const outcome = await uploadAndSend(api, peer, file, (sent) =>
              set((s) => (s.attaching[key] ? { attaching: { ...s.attaching, [key]: { ...entry, sent } } } : {})),
            );
            set((s) => {
              const { [key]: _done, ...rest } = s.attaching;
              return { attaching: rest };
            });
            if (!outcome.ok) {
              set((s) => addLocalNotice(s, 'warning', `File ${file.name}: ${outcome.error.message}`));
              return;
            }
            // Sent from a new chat: the transfer made its conversation (its card is a message there), which opens.
            set((s) => {
              if (s.selectedConversationId !== null || s.draftPeer !== peer) return {};
              const made = Object.values(s.conversations).find((c) => c.peer === outcome.value.peer);
              return made ? { ...selectConversation(s, made.id), draftPeer: null } : {};
            });
          }),
        );
      },
      async answerFileOffer(id, accept) {
        const outcome = await api.answerFileOffer({ id, accept });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
      async showFileInFolder(id) {
        const outcome = await api.showFileInFolder({ id });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
      async cancelFile(id) {
        const outcome = await api.cancelFile({ id });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
      async resumeFile(id) {
        const outcome = await api.resumeFile({ id });
        if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `File: ${outcome.error.message}`));
      },
    };
  };
