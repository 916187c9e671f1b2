/**
 * Identifiers the conversations hand out: message and conversation ids, Call-IDs, From tags.
 *
 * Message ids are UUIDv7 (RFC 9562): 48 bits of epoch milliseconds, then random bits, so ids made
 * later sort later. That matters for storage, not for meaning: the messages table's id index then
 * grows at its right edge, and a turn's batch of inserts dirties a page or two of it instead of one
 * random page per message (random v4 ids made every commit write tens of index pages to the WAL).
 * Random bits come from the cryptographic generator, drawn a few KiB at a time.
 */
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `n` cryptographically random bytes (from a pool refilled in blocks). */
function random(n: number): Buffer {
  if (offset + n > pool.length) {
    pool = randomBytes(Math.max(POOL_BYTES, n));
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + n);
  offset += n;
  return bytes;
}

const hex = (bytes: Buffer) => bytes.toString('hex');

/** A UUIDv7: time-ordered, 74 random bits. `now` is epoch ms. */
export function uuidv7(now: number = Date.now()): string {
  const bytes = Buffer.from(random(16));
  bytes.writeUIntBE(Math.max(0, Math.floor(now)) % 2 ** 48, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A Call-ID: 128 random bits. */
export function newCallId(): string {
  return hex(random(16));
}

/**
 * Our From tags name one message each (a retry reuses it). The prefix tells a receiving Parley
 * so: a copy whose CSeq a digest challenge moved by one is still the same message.
 */
export const PARLEY_TAG_PREFIX = 'parley-';

/** A From tag: 96 random bits. */
export function newFromTag(): string {
  return PARLEY_TAG_PREFIX + hex(random(12));
}
