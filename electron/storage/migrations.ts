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
  `
  -- Paging-mode chat (issue 4).
  -- sort_key: the order a conversation shows its messages in (ChatMessage.order). Outgoing ones
  --   take the next whole number when written; incoming ones too, except a MESSAGE that overtook
  --   no one but was overtaken (a lower CSeq of the same sender and Call-ID arriving late), which
  --   is slotted between its neighbours with a fraction.
  -- run_epoch: incoming only; a sender's CSeq run on one Call-ID. A CSeq seen again in the current
  --   run means the sender restarted its count: a new run starts (appended, never dropped).
  -- sent_at: when the sender wrote it (Date header of a stored-and-forwarded MESSAGE, CPIM DateTime).
  -- text_body: a plain-text rendering of a text/html body (the body itself is kept verbatim).
  -- from_tag now also records the tag an outgoing MESSAGE is sent with, so a retry is the same
  --   request (Call-ID, CSeq, From tag) and the receiver's duplicate check absorbs it.
  -- Duplicates: the same Call-ID, CSeq and From tag with the same body (see messages-repo.ts);
  --   the old unique index also refused a restarted sender's new message that reused all three.
  ALTER TABLE messages ADD COLUMN sort_key REAL;
  ALTER TABLE messages ADD COLUMN run_epoch INTEGER;
  ALTER TABLE messages ADD COLUMN sent_at INTEGER;
  ALTER TABLE messages ADD COLUMN text_body TEXT;
  UPDATE messages SET sort_key = rowid, run_epoch = CASE direction WHEN 'in' THEN 0 END;
  DROP INDEX messages_incoming_once;
  CREATE INDEX messages_incoming ON messages(call_id, cseq, from_tag) WHERE direction = 'in';
  CREATE INDEX messages_runs ON messages(call_id, sender, run_epoch, cseq) WHERE direction = 'in';
  CREATE INDEX messages_order ON messages(conversation_id, sort_key);
  CREATE INDEX messages_outbox ON messages(conversation_id, cseq) WHERE direction = 'out' AND state IN ('queued', 'sending', 'failed');
  `,
  `
  -- History search (issue 4): full-text indexes over what a message says (text_body, the text of
  -- an HTML message, else body). Contentless (the text is stored once, in messages; snippets are
  -- cut from it) with contentless_delete so a row leaves the index by rowid. The triggers keep
  -- the indexes in step with every insert, delete (also a conversation's cascade) and change of
  -- the text; an INSERT OR REPLACE on messages would bypass the delete trigger (unless
  -- recursive_triggers is on), so messages are never written that way. A VACUUM may renumber the
  -- rowids of messages (no INTEGER PRIMARY KEY): after one, refill both indexes as below.
  -- message_words: word-prefix search, case- and diacritic-insensitive, for scripts with spaces.
  -- message_grams: substring search (trigrams) for scripts written without spaces (Chinese,
  --   Japanese, Thai...), where unicode61 sees a whole sentence as one word.
  CREATE VIRTUAL TABLE message_words USING fts5(text, content='', contentless_delete=1,
    tokenize='unicode61 remove_diacritics 2');
  CREATE VIRTUAL TABLE message_grams USING fts5(text, content='', contentless_delete=1,
    tokenize='trigram remove_diacritics 1');
  CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_words(rowid, text) VALUES (new.rowid, coalesce(new.text_body, new.body));
    INSERT INTO message_grams(rowid, text) VALUES (new.rowid, coalesce(new.text_body, new.body));
  END;
  CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    DELETE FROM message_words WHERE rowid = old.rowid;
    DELETE FROM message_grams WHERE rowid = old.rowid;
  END;
  CREATE TRIGGER messages_search_update AFTER UPDATE OF body, text_body ON messages BEGIN
    DELETE FROM message_words WHERE rowid = old.rowid;
    DELETE FROM message_grams WHERE rowid = old.rowid;
    INSERT INTO message_words(rowid, text) VALUES (new.rowid, coalesce(new.text_body, new.body));
    INSERT INTO message_grams(rowid, text) VALUES (new.rowid, coalesce(new.text_body, new.body));
  END;
  INSERT INTO message_words(rowid, text) SELECT rowid, coalesce(text_body, body) FROM messages;
  INSERT INTO message_grams(rowid, text) SELECT rowid, coalesce(text_body, body) FROM messages;
  `,
  `
  -- Presence (see presence-repo.ts). Contacts are buddies, keyed by normalised address; their
  -- groups are a JSON list of group ids. A profile's views map group id (or '*') to a view (JSON).
  -- Watchers: who asked to see our presence and what the user answered.
  CREATE TABLE presence_groups (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
  );
  CREATE TABLE contacts (
    aor    TEXT PRIMARY KEY,
    name   TEXT,
    groups TEXT NOT NULL DEFAULT '[]'
  );
  CREATE TABLE presence_profiles (
    id    TEXT PRIMARY KEY,
    name  TEXT NOT NULL,
    views TEXT NOT NULL
  );
  CREATE TABLE watchers (
    aor        TEXT PRIMARY KEY,
    status     TEXT NOT NULL CHECK (status IN ('pending','allowed','blocked')),
    source     TEXT NOT NULL CHECK (source IN ('direct','server')),
    subscribed INTEGER NOT NULL DEFAULT 0,
    last_seen  INTEGER NOT NULL
  );
  `,
  `
  -- History search indexing leaves the main thread (docs/DESIGN.md#7-storage-and-the-history-worker): indexing a message in both FTS
  -- tables inside the insert tripled the cost of storing it, on the main event loop. An insert now only queues the message's rowid in search_pending; the history worker
  -- indexes queued rows on its own connection (history/search-indexer.ts), in small transactions,
  -- and always before it answers a search. Rows indexed before this migration stay indexed.
  -- The invariant the triggers keep: a rowid is queued or indexed, never both. contentless_delete
  -- tables would ignore a DELETE of a rowid they do not hold (they look it up in %_docsize), but the
  -- triggers do not rely on it: a queued row is only taken off the queue.
  -- The queue is keyed by rowid, not by message id: messages has no INTEGER PRIMARY KEY, so the
  -- rowid of a deleted newest row is given to the next insert, which is queued again all the same.
  -- After a VACUUM (rowids of messages may be renumbered), refill: INSERT INTO message_words(message_words)
  -- VALUES ('delete-all'), the same for message_grams, then queue every rowid of messages.
  CREATE TABLE search_pending (rowid INTEGER PRIMARY KEY);
  DROP TRIGGER messages_search_insert;
  DROP TRIGGER messages_search_delete;
  DROP TRIGGER messages_search_update;
  CREATE TRIGGER messages_search_enqueue AFTER INSERT ON messages BEGIN
    INSERT OR IGNORE INTO search_pending(rowid) VALUES (new.rowid);
  END;
  CREATE TRIGGER messages_search_forget AFTER DELETE ON messages BEGIN
    DELETE FROM message_words WHERE rowid = old.rowid AND NOT EXISTS (SELECT 1 FROM search_pending WHERE rowid = old.rowid);
    DELETE FROM message_grams WHERE rowid = old.rowid AND NOT EXISTS (SELECT 1 FROM search_pending WHERE rowid = old.rowid);
    DELETE FROM search_pending WHERE rowid = old.rowid;
  END;
  -- A changed text: an indexed row leaves the index and is queued again; a queued one stays queued
  -- (the worker reads the text when it indexes the row).
  CREATE TRIGGER messages_search_requeue AFTER UPDATE OF body, text_body ON messages
    WHEN NOT EXISTS (SELECT 1 FROM search_pending WHERE rowid = old.rowid) BEGIN
    DELETE FROM message_words WHERE rowid = old.rowid;
    DELETE FROM message_grams WHERE rowid = old.rowid;
    INSERT INTO search_pending(rowid) VALUES (new.rowid);
  END;
  `,
  `
  -- Composer drafts per conversation (the text typed and not yet sent), kept across restarts: the
  -- browser host's origin changes per launch, so the page's own storage cannot keep them. A draft
  -- goes with its conversation; an empty draft is no row at all.
  CREATE TABLE drafts (
    conversation_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
    text            TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
  );
  `,
  // The display name a peer gives in its From header ("Bob Keller" <sip:bob@…>), for a peer who is
  // not a contact: shown instead of the bare address.
  `
  ALTER TABLE conversations ADD COLUMN peer_name TEXT;
  `,
  // A message's reason is data now, a code and its facts as JSON (storage/reason-column.ts), worded
  // on screen. Reasons written before are English sentences: they become the code 'legacy', shown
  // as that sentence.
  `
  UPDATE messages SET reason = json_object('code', 'legacy', 'params', json_object('text', reason)) WHERE reason IS NOT NULL;
  `,
  `
  -- Duplicates bounded in time (issue 11): a copy of an incoming message is known by its Call-ID,
  -- CSeq, From tag and body only within the window a retransmission or a resend comes in
  -- (messages-repo.ts isDuplicate); beyond it, only by a name the sender gives the message itself.
  -- message_ref: incoming only, that name when there is one (the CPIM/IMDN Message-ID, RFC 5438).
  ALTER TABLE messages ADD COLUMN message_ref TEXT;
  CREATE INDEX messages_ref ON messages(sender, message_ref) WHERE direction = 'in' AND message_ref IS NOT NULL;
  `,
  `
  -- Receipts (IMDN, RFC 5438). display_owed: an incoming message whose sender asked to hear when
  -- it is displayed, and has not yet (the read mark answers it, or forgets it with read receipts
  -- off). receipt: an outgoing message's receipt from the recipient's client, 'on-device' or
  -- 'read' (shared/domain/message.ts Receipt), beside its state, which keeps its meaning.
  ALTER TABLE messages ADD COLUMN display_owed INTEGER;
  ALTER TABLE messages ADD COLUMN receipt TEXT;
  CREATE INDEX messages_display_owed ON messages(conversation_id) WHERE display_owed IS NOT NULL;
  `,
  `
  -- Receipts owed to a peer who could not take them (offline: the bundled server keeps no
  -- notification for later): sent again when that peer is heard from (receipts-owed-repo.ts).
  CREATE TABLE receipts_owed (
    peer        TEXT NOT NULL,
    message_ref TEXT NOT NULL,
    sent_at     INTEGER NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('delivered', 'displayed')),
    PRIMARY KEY (peer, message_ref, status)
  );
  `,
  `
  -- Copies of messages the account's other devices sent (docs/DESIGN.md#copies-of-sent-messages),
  -- kept as outgoing messages: a copy that comes again (without a Message-ID to be its id) is known
  -- by the Call-ID, CSeq and From tag it came with, and a late one is placed by its CSeq among the
  -- copies on its Call-ID (messages-repo.ts hasSentCopy, slotBeforeLaterCopy).
  CREATE INDEX messages_sent ON messages(call_id, cseq, from_tag) WHERE direction = 'out';
  `,
  `
  -- File transfers in the conversation's history (docs/DESIGN.md#file-transfer). A transfer is a
  -- message of kind file: its id is the transfer's id, body the file's name (so search finds it),
  -- content_type the file's type, and file the transfer's last state as JSON (FileTransfer of
  -- shared/domain/file-transfer.ts, file-column.ts), written when its state changes, not on
  -- progress. Such a row's state is 'received' or 'delivered', so it is never in the outbox.
  -- file_parts: the transfers not yet settled, with the part file an incoming one writes into. A
  -- row found at start is a transfer Parley was closed (or crashed) during: its part is deleted
  -- and its message settled as failed (core/files/file-history.ts). Not bound to messages: a part
  -- outlives a cleared history.
  ALTER TABLE messages ADD COLUMN file TEXT;
  CREATE TABLE file_parts (
    transfer_id TEXT PRIMARY KEY,
    part        TEXT
  );
  `,
];
