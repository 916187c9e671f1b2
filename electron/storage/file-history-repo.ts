/**
 * File transfers in the history (migration 14, docs/DESIGN.md#file-transfer): the message of kind
 * file that a transfer is, updated as its state changes, and the ledger of transfers not yet
 * settled (file_parts), which says at start what Parley was closed during and which part files it
 * may have left. The message itself is inserted with MessagesRepo.insert, like any other.
 */
import type { Statement } from 'better-sqlite3';
import type { FileTransfer } from '../../shared/domain/file-transfer.js';
import type { Db } from './database.js';
import { fileFromColumn, fileToColumn } from './file-column.js';

/** A transfer of the ledger: not settled when Parley last stopped, maybe with a part file on disk. */
export interface OpenTransfer {
  id: string;
  /** Incoming: the part file its bytes went into. */
  part?: string;
}

export class FileHistoryRepo {
  private readonly read: Statement;
  private readonly write: Statement;
  private readonly note: Statement;
  private readonly drop: Statement;
  private readonly all: Statement;

  constructor(db: Db) {
    this.read = db.prepare('SELECT file FROM messages WHERE id = ? AND file IS NOT NULL');
    this.write = db.prepare('UPDATE messages SET file = ? WHERE id = ? AND file IS NOT NULL');
    // A part named later (on accept) is kept; a note without one leaves it as it was.
    this.note = db.prepare(
      'INSERT INTO file_parts(transfer_id, part) VALUES (?, ?) ON CONFLICT(transfer_id) DO UPDATE SET part = coalesce(excluded.part, part)',
    );
    this.drop = db.prepare('DELETE FROM file_parts WHERE transfer_id = ?');
    this.all = db.prepare('SELECT transfer_id, part FROM file_parts ORDER BY rowid');
  }

  /** The stored transfer of a file message, by the transfer's id (which is the message's). */
  transfer(id: string): FileTransfer | undefined {
    const row = this.read.get(id) as { file: string } | undefined;
    return fileFromColumn(row?.file);
  }

  /** The transfer's new state on its message; false when there is no such message (cleared, or never stored). */
  update(transfer: FileTransfer): boolean {
    return this.write.run(fileToColumn(transfer), transfer.id).changes === 1;
  }

  /** The transfer is under way (with the part it writes into, once there is one). */
  open(id: string, part?: string): void {
    this.note.run(id, part ?? null);
  }

  /** Nothing of it is left to clean up. */
  settled(id: string): void {
    this.drop.run(id);
  }

  /** The transfers of the ledger, oldest first. */
  unsettled(): OpenTransfer[] {
    return (this.all.all() as { transfer_id: string; part: string | null }[]).map((row) => ({
      id: row.transfer_id,
      ...(row.part !== null ? { part: row.part } : {}),
    }));
  }
}
