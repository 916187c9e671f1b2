/**
 * Notes between the devices of one account (a read mark, read-marks.ts; a status,
 * presence/status-sync.ts): a small JSON body of a content type of our own in a MESSAGE to our own
 * address, which the server forks to every device of the account. One is believed only when it is
 * our own (From our address, from the account's own server: 403 otherwise) and only when it is what
 * its schema says, within a size bound (400 otherwise); taken, it is answered 200.
 */
import type { z } from 'zod';
import type { Logger } from '../../support/logger.js';
import type { IncomingChat } from './incoming-chat.js';

export interface OwnNoteRules<T> {
  /** What the body must be (parsed from JSON). */
  schema: z.ZodType<T>;
  /** Larger than any note we write: one is refused unread. */
  maxBytes: number;
  /** Whether this request is our own account's. */
  fromOurselves(request: IncomingChat['request']): boolean;
  logger: Logger;
  /** What the note is, for the log ("a read mark"). */
  what: string;
}

/** The note's content once answered 200, or undefined once refused. */
export function takeOwnNote<T>(incoming: IncomingChat, rules: OwnNoteRules<T>): T | undefined {
  const { request } = incoming;
  const trusted = rules.fromOurselves(request);
  const note = trusted ? parseNote(request.body, rules) : undefined;
  if (note === undefined) {
    rules.logger.warn(`refused ${rules.what}`, { trusted });
    void incoming.reject({ statusCode: trusted ? 400 : 403 });
    return undefined;
  }
  void incoming.accept();
  return note;
}

function parseNote<T>(body: string | undefined, rules: OwnNoteRules<T>): T | undefined {
  if (!body || Buffer.byteLength(body) > rules.maxBytes) return undefined;
  try {
    const parsed = rules.schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
