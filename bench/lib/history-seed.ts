/**
 * A Parley data folder as a long-time user's would be, written straight into SQLite through the
 * real migrations (sending 1,000,000 messages would take hours): `contacts` contacts, the first
 * `conversations` of them with a conversation each, and `messages` messages spread over those
 * with a few long conversations and many short ones. Bodies are sentences of pseudo-words drawn
 * with Zipf frequencies from a fixed vocabulary, so search meets common words, rare ones and
 * prefixes as it would in real chats. Everything is seeded: the same arguments give the same
 * database. The search index is built as the history worker would (electron/storage/history).
 */
import { mulberry32 } from '../../electron/sip/testing/fuzz.js';
import { openDatabase } from '../../electron/storage/database.js';
import { PresenceRepo } from '../../electron/storage/presence-repo.js';
import { indexQueued } from '../../electron/storage/history/testing/history-fixture.js';

export interface HistoryShape {
  contacts: number;
  conversations: number;
  messages: number;
}

const VOCABULARY_SIZE = 5000;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'do', 'gu', 'be', 'fi', 'ho', 'ja', 'ku', 'me', 'no', 'ri'];

/** The vocabulary, most frequent first: distinct pseudo-words of two to four syllables. */
export function vocabulary(): string[] {
  const random = mulberry32(0x70c4b);
  const words = new Set<string>();
  while (words.size < VOCABULARY_SIZE) {
    const length = 2 + Math.floor(random() * 3);
    let word = '';
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    words.add(word);
  }
  return [...words];
}

/** Rank r (0-based) drawn with probability ∝ 1/(r+1): cumulative weights and a binary search. */
function zipf(size: number, random: () => number): () => number {
  const cumulative = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) cumulative[r] = sum += 1 / (r + 1);
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/**
 * Contacts at a loopback port where nothing answers: Parley subscribes to every one at start, as
 * it would at a real server, without DNS lookups that fail and without anyone answering.
 */
export const contactAor = (n: number) => `sip:contact${n}@127.0.0.1:9`;
export const conversationId = (n: number) => `bench-conversation-${n}`;

/** Writes the data folder; returns how long the writing and the indexing took (ms). */
export function seedHistory(dataDir: string, shape: HistoryShape): { writeMs: number; indexMs: number; largest: string } {
  const started = performance.now();
  const db = openDatabase(dataDir);
  const presence = new PresenceRepo(db);
  const random = mulberry32(0x5eed + shape.messages);
  const words = vocabulary();
  const nextWord = zipf(words.length, random);
  const conversations = Math.max(1, Math.min(shape.conversations, shape.contacts));
  // Conversation n gets a share ∝ 1/(n+1): a few long conversations, many short ones.
  const nextConversation = zipf(conversations, random);
  const addConversation = db.prepare(
    'INSERT INTO conversations(id, peer, call_id, next_cseq, last_activity, unread) VALUES (?, ?, ?, 1, ?, 0)',
  );
  const addMessage = db.prepare(
    `INSERT INTO messages(id, conversation_id, direction, sender, recipient, call_id, cseq, from_tag, content_type, body, at, state, sort_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'text/plain', ?, ?, ?, ?)`,
  );
  const touch = db.prepare('UPDATE conversations SET last_activity = ? WHERE id = ?');
  const me = 'sip:me@example.org';
  const start = Date.UTC(2024, 0, 1);
  const step = Math.max(1, Math.floor((Date.UTC(2026, 0, 1) - start) / Math.max(1, shape.messages)));
  const counts = new Uint32Array(conversations);
  db.transaction(() => {
    for (let n = 0; n < shape.contacts; n++) presence.saveContact({ aor: contactAor(n), name: `Contact ${n}`, groups: [] });
    for (let n = 0; n < conversations; n++) addConversation.run(conversationId(n), contactAor(n), `call-${n}`, start);
  })();
  const BATCH = 20_000;
  for (let done = 0; done < shape.messages; done += BATCH) {
    db.transaction(() => {
      for (let i = done; i < Math.min(shape.messages, done + BATCH); i++) {
        const c = nextConversation();
        const count = ++counts[c]!;
        const length = 3 + Math.floor(random() * 20);
        let body = words[nextWord()]!;
        for (let w = 1; w < length; w++) body += ' ' + words[nextWord()]!;
        const incoming = random() < 0.5;
        const peer = contactAor(c);
        const at = start + i * step;
        addMessage.run(
          `m-${i}`,
          conversationId(c),
          incoming ? 'in' : 'out',
          incoming ? peer : me,
          incoming ? me : peer,
          `call-${c}`,
          count,
          incoming ? `tag-${i}` : null,
          body,
          at,
          incoming ? 'received' : 'delivered',
          count,
        );
        touch.run(at, conversationId(c));
      }
    })();
  }
  const written = performance.now();
  indexQueued(db);
  db.close();
  return { writeMs: written - started, indexMs: performance.now() - written, largest: conversationId(0) };
}
