/** Key/value settings (JSON) and sealed secrets. */
import type { Db } from './database.js';

export class SettingsRepo {
  // Compiled once: settings are read on the per-message path (chat settings, a peer's refusal of
  // CPIM), and compiling a statement costs more than running it (`npm run bench -- transport
  // --profile --profile-in-flight 1`: a fifth of the sender's SQLite time went to compiling these).
  private readonly read;
  private readonly write;
  private readonly remove;
  private readonly readSecret;
  private readonly writeSecret;
  private readonly removeSecret;

  constructor(db: Db) {
    this.read = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.write = db.prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.remove = db.prepare('DELETE FROM settings WHERE key = ?');
    this.readSecret = db.prepare('SELECT sealed, strong FROM secrets WHERE key = ?');
    this.writeSecret = db.prepare(
      'INSERT INTO secrets(key, sealed, strong) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET sealed = excluded.sealed, strong = excluded.strong',
    );
    this.removeSecret = db.prepare('DELETE FROM secrets WHERE key = ?');
  }

  get<T>(key: string): T | undefined {
    const row = this.read.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.write.run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.remove.run(key);
  }

  getSecret(key: string): { sealed: Buffer; strong: boolean } | undefined {
    const row = this.readSecret.get(key) as { sealed: Buffer; strong: number } | undefined;
    return row ? { sealed: row.sealed, strong: row.strong === 1 } : undefined;
  }

  setSecret(key: string, sealed: Buffer, strong: boolean): void {
    this.writeSecret.run(key, sealed, strong ? 1 : 0);
  }

  deleteSecret(key: string): void {
    this.removeSecret.run(key);
  }
}
