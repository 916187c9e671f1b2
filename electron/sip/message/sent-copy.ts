/**
 * The header of a copy of a sent message (docs/DESIGN.md#copies-of-sent-messages): the server sends
 * a user's other devices a copy of each MESSAGE one of them sent, to the user's own address, naming
 * the original recipient and the status the original got there:
 * `Sent-Copy-To: <sip:bob@example.com>;status=200` (202: the server stored it for the recipient).
 * Only the server writes it; whether to believe one is the core's business (it came from the
 * account's own server, From our own address).
 */
export const SENT_COPY_TO = 'Sent-Copy-To';

export interface SentCopyTo {
  /** The original recipient's URI, as the server wrote it. */
  to: string;
  /** The status the original got (200, 202...); undefined when the server gave none. */
  status?: number;
}

/** Longest recipient URI taken; a longer one is no copy the server made. */
const MAX_URI = 1024;

/** The header's value read, or undefined when it is not `<uri>` with optional parameters. */
export function readSentCopyTo(value: string): SentCopyTo | undefined {
  const match = /^\s*<([^<>\s]+)>\s*((?:;[^;]*)*)$/.exec(value);
  if (!match || match[1]!.length > MAX_URI) return undefined;
  const status = /;\s*status\s*=\s*(\d{3})\s*(?:;|$)/i.exec(match[2]!)?.[1];
  return { to: match[1]!, ...(status !== undefined ? { status: Number(status) } : {}) };
}
