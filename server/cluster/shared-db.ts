// The database every node of a cluster shares: one SQLite file (Kamailio's db_sqlite) holding
// msilo's offline messages, so a message one node stored is handed out by whichever node the user
// registers with next. The tables are made from the schema files the installed Kamailio ships
// (kamailio-sqlite-modules), so their layout is the one its modules expect. A file shared by
// processes on one machine is what a test cluster on loopback needs; nodes on several machines
// share a database server instead (docs/DEPLOY.md).
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCHEMA_DIR = '/usr/share/kamailio/db_sqlite';
/** The version table first, then the tables of the modules that use the shared database. */
const SCHEMA_FILES = ['standard-create.sql', 'msilo-create.sql'];

/** Create the shared database file `file` (its tables, unless it has them already). */
export function createSharedDb(file: string): void {
  const missing = SCHEMA_FILES.map((name) => join(SCHEMA_DIR, name)).filter((path) => !existsSync(path));
  if (missing.length)
    throw new Error(`Kamailio's SQLite schema is missing (Debian package kamailio-sqlite-modules): ${missing.join(', ')}`);
  const db = new Database(file);
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'silo'").get();
    if (has) return;
    // several Kamailio processes write it: wait for each other's locks instead of failing at once
    db.pragma('journal_mode = WAL');
    for (const name of SCHEMA_FILES) db.exec(readFileSync(join(SCHEMA_DIR, name), 'utf8'));
  } finally {
    db.close();
  }
}
