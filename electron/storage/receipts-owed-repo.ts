/**
 * Receipts (IMDN notifications) a peer could not take when they were sent: kept per peer (a
 * normalised address) until that peer is heard from again, then taken to be sent once more. At
 * most MAX_PER_PEER per peer, the oldest dropped first: a peer who never comes back costs little.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export type OwedStatus = 'delivered' | 'displayed';

export interface OwedReceipt {
  messageRef: string;
  sentAt: number;
  status: OwedStatus;
}

export const MAX_OWED_PER_PEER = 500;

export class ReceiptsOwedRepo {
  private readonly insert: Statement;
  private readonly trim: Statement;
  private readonly select: Statement;
  private readonly remove: Statement;
  private readonly peersOwed: Statement;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO receipts_owed(peer, message_ref, sent_at, status) VALUES (?, ?, ?, ?)');
    this.trim = db.prepare(
      `DELETE FROM receipts_owed WHERE peer = ? AND rowid NOT IN
         (SELECT rowid FROM receipts_owed WHERE peer = ? ORDER BY rowid DESC LIMIT ${MAX_OWED_PER_PEER})`,
    );
    this.select = db.prepare('SELECT message_ref, sent_at, status FROM receipts_owed WHERE peer = ? ORDER BY rowid');
    this.remove = db.prepare('DELETE FROM receipts_owed WHERE peer = ?');
    this.peersOwed = db.prepare('SELECT DISTINCT peer FROM receipts_owed');
  }

  add(peer: string, receipt: OwedReceipt): void {
    this.insert.run(peer, receipt.messageRef, receipt.sentAt, receipt.status);
    this.trim.run(peer, peer);
  }

  /** The peers something is owed to (read once at start: the owner keeps the set). */
  peers(): string[] {
    return this.peersOwed.pluck().all() as string[];
  }

  /** What is owed to this peer, oldest first, forgotten here: the caller sends it (and owes it again if it fails). */
  take(peer: string): OwedReceipt[] {
    return this.db.transaction(() => {
      const rows = this.select.all(peer) as { message_ref: string; sent_at: number; status: OwedStatus }[];
      this.remove.run(peer);
      return rows.map((row) => ({ messageRef: row.message_ref, sentAt: row.sent_at, status: row.status }));
    })();
  }
}
