/** Composer drafts per conversation (see the drafts migration): the text typed and not yet sent. */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

export class DraftsRepo {
  private readonly readAll: Statement;
  private readonly write: Statement;
  private readonly remove: Statement;

  constructor(db: Db) {
    this.readAll = db.prepare('SELECT conversation_id, text FROM drafts');
    // Only for a conversation that exists: a draft of a deleted one is nothing to keep.
    this.write = db.prepare(
      `INSERT INTO drafts(conversation_id, text, updated_at)
       SELECT id, ?, ? FROM conversations WHERE id = ?
       ON CONFLICT(conversation_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at`,
    );
    this.remove = db.prepare('DELETE FROM drafts WHERE conversation_id = ?');
  }

  /** Every draft, by conversation id. */
  all(): Record<string, string> {
    const drafts: Record<string, string> = {};
    for (const row of this.readAll.all() as { conversation_id: string; text: string }[]) drafts[row.conversation_id] = row.text;
    return drafts;
  }

  /** Keep `text` as the conversation's draft; blank text removes it. False when there is no such conversation. */
  save(conversationId: string, text: string, at: number): boolean {
    if (text.trim() === '') {
      this.remove.run(conversationId);
      return true;
    }
    return this.write.run(text, at, conversationId).changes > 0;
  }
}
