/** Key/value settings (JSON) and sealed secrets. */
import type { Db } from './database.js';

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  getSecret(key: string): { sealed: Buffer; strong: boolean } | undefined {
    const row = this.db.prepare('SELECT sealed, strong FROM secrets WHERE key = ?').get(key) as
      { sealed: Buffer; strong: number } | undefined;
    return row ? { sealed: row.sealed, strong: row.strong === 1 } : undefined;
  }

  setSecret(key: string, sealed: Buffer, strong: boolean): void {
    this.db
      .prepare(
        'INSERT INTO secrets(key, sealed, strong) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET sealed = excluded.sealed, strong = excluded.strong',
      )
      .run(key, sealed, strong ? 1 : 0);
  }

  deleteSecret(key: string): void {
    this.db.prepare('DELETE FROM secrets WHERE key = ?').run(key);
  }
}
