/** Test helper: what a Parley remembers of peers that refused sessions (offer-policy.ts), read from its database file. */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { TestCore } from '../../../testing/cores.js';

const PREFIX = 'chat.sessionRefused:';

export function refusedPeers(core: TestCore): string[] {
  const db = new Database(path.join(core.dataDir, 'parley.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare(`SELECT key FROM settings WHERE key LIKE 'chat.sessionRefused:%'`).all() as { key: string }[];
    return rows.map((row) => row.key.slice(PREFIX.length));
  } finally {
    db.close();
  }
}
