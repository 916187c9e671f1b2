/**
 * A file message's transfer in its `file` column (migration 14): the contract's FileTransfer as
 * JSON, read back through its schema, so a row that is not one (written by hand, or by a later
 * release with another shape) is a message without a file rather than a fault.
 */
import { FileTransfer } from '../../shared/domain/file-transfer.js';

export function fileToColumn(file: FileTransfer | undefined): string | null {
  if (!file) return null;
  // `missing` is what the disk says when the message is shown, not a fact to keep.
  const { missing: _missing, ...kept } = file;
  return JSON.stringify(kept);
}

export function fileFromColumn(column: string | null | undefined): FileTransfer | undefined {
  if (!column) return undefined;
  try {
    const parsed = FileTransfer.safeParse(JSON.parse(column));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
