import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';
import { fileSecretBox } from './file-secret-box.js';
import { SettingsRepo } from './settings-repo.js';

let dir: string;
let db: Db;
let settings: SettingsRepo;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-settings-'));
  db = openDatabase(dir);
  settings = new SettingsRepo(db);
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SettingsRepo settings', () => {
  it('round-trips JSON values of every shape', () => {
    const values: Record<string, unknown> = {
      string: 'hello ✓',
      number: 42.5,
      boolean: false,
      null: null,
      array: [1, 'two', { three: 3 }],
      object: { account: { aor: 'sip:alice@example.org', transport: 'tcp' }, nested: { deep: [true] } },
    };
    for (const [key, value] of Object.entries(values)) settings.set(key, value);
    for (const [key, value] of Object.entries(values)) expect(settings.get(key), key).toEqual(value);
  });

  it('returns undefined for a missing key', () => {
    expect(settings.get('missing')).toBeUndefined();
  });

  it('overwrites, deletes, and survives reopening', () => {
    settings.set('k', 1);
    settings.set('k', { v: 2 });
    expect(settings.get('k')).toEqual({ v: 2 });
    settings.set('keep', 'me');
    settings.delete('k');
    settings.delete('never-there');
    expect(settings.get('k')).toBeUndefined();
    db.close();
    db = openDatabase(dir);
    settings = new SettingsRepo(db);
    expect(settings.get('keep')).toBe('me');
    expect(settings.get('k')).toBeUndefined();
  });
});

describe('SettingsRepo secrets', () => {
  it('stores sealed bytes and the strong flag, overwrites and deletes', () => {
    const sealed = Buffer.from([0, 1, 2, 250, 255]);
    settings.setSecret('password', sealed, true);
    const got = settings.getSecret('password');
    expect(got?.strong).toBe(true);
    expect(Buffer.compare(got!.sealed, sealed)).toBe(0);
    settings.setSecret('password', Buffer.from('other'), false);
    expect(settings.getSecret('password')).toEqual({ sealed: Buffer.from('other'), strong: false });
    settings.deleteSecret('password');
    expect(settings.getSecret('password')).toBeUndefined();
  });

  it('keeps secrets apart from settings', () => {
    settings.setSecret('password', Buffer.from('x'), false);
    expect(settings.get('password')).toBeUndefined();
    settings.set('password', 'not a secret');
    expect(settings.getSecret('password')?.sealed.toString()).toBe('x');
  });

  it('a password sealed by the file secret box survives a reopen and opens again, and is not stored in plain text', () => {
    const box = fileSecretBox(dir);
    const password = 'correct horse battery staple ✓';
    settings.setSecret('account.password', box.seal(password), box.strong);
    db.close();
    const raw = fs.readFileSync(path.join(dir, 'parley.sqlite'));
    const wal = fs.existsSync(path.join(dir, 'parley.sqlite-wal')) ? fs.readFileSync(path.join(dir, 'parley.sqlite-wal')) : Buffer.alloc(0);
    expect(raw.includes(Buffer.from('correct horse'))).toBe(false);
    expect(wal.includes(Buffer.from('correct horse'))).toBe(false);
    db = openDatabase(dir);
    settings = new SettingsRepo(db);
    const stored = settings.getSecret('account.password')!;
    expect(stored.strong).toBe(false);
    expect(fileSecretBox(dir).open(stored.sealed)).toBe(password);
  });
});
