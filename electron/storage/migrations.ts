/** Schema history: append only. Index i upgrades user_version i to i+1. */
export const migrations: string[] = [
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE secrets (
    key    TEXT PRIMARY KEY,
    sealed BLOB NOT NULL,
    strong INTEGER NOT NULL
  );
  CREATE TABLE conversations (
    id            TEXT PRIMARY KEY,
    peer          TEXT NOT NULL,
    call_id       TEXT NOT NULL UNIQUE,
    next_cseq     INTEGER NOT NULL DEFAULT 1,
    last_activity INTEGER NOT NULL,
    unread        INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX conversations_peer ON conversations(peer, last_activity);
  CREATE TABLE call_id_aliases (
    call_id         TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE
  );
  CREATE TABLE messages (
    id              TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    direction       TEXT NOT NULL CHECK (direction IN ('in','out')),
    sender          TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    call_id         TEXT NOT NULL,
    cseq            INTEGER NOT NULL,
    from_tag        TEXT,
    content_type    TEXT NOT NULL,
    body            TEXT NOT NULL,
    at              INTEGER NOT NULL,
    state           TEXT NOT NULL,
    reason          TEXT,
    code            INTEGER
  );
  CREATE INDEX messages_conversation ON messages(conversation_id, at);
  CREATE UNIQUE INDEX messages_incoming_once ON messages(call_id, cseq, from_tag) WHERE direction = 'in';
  `,
  `
  -- Per-peer sending options. new_call_id: send each MESSAGE with its own Call-ID, for peers
  -- (liblinphone) that treat a repeated Call-ID as a duplicate. decided_by: 'auto' (from the
  -- peer's User-Agent/Server) or 'user' (switched by hand; never overridden automatically).
  CREATE TABLE peer_options (
    peer        TEXT PRIMARY KEY,
    new_call_id INTEGER NOT NULL,
    decided_by  TEXT NOT NULL CHECK (decided_by IN ('auto','user'))
  );
  `,
];
