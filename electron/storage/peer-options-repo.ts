/** Per-peer sending options (see migration 2). Peers are normalised addresses. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export interface PeerOptions {
  newCallIdPerMessage: boolean;
  decidedBy: 'auto' | 'user';
}

export class PeerOptionsRepo {
  private readonly read: Statement;
  private readonly write: Statement;

  constructor(db: Db) {
    this.read = db.prepare('SELECT new_call_id, decided_by FROM peer_options WHERE peer = ?');
    this.write = db.prepare(
      `INSERT INTO peer_options(peer, new_call_id, decided_by) VALUES (?, ?, ?)
       ON CONFLICT(peer) DO UPDATE SET new_call_id = excluded.new_call_id, decided_by = excluded.decided_by`,
    );
  }

  get(peer: string): PeerOptions | undefined {
    const row = this.read.get(peer) as { new_call_id: number; decided_by: 'auto' | 'user' } | undefined;
    return row && { newCallIdPerMessage: row.new_call_id === 1, decidedBy: row.decided_by };
  }

  set(peer: string, options: PeerOptions): void {
    this.write.run(peer, options.newCallIdPerMessage ? 1 : 0, options.decidedBy);
  }
}
