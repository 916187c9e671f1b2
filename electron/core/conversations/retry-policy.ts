/**
 * Which failed sends Parley tries again by itself, and when. Transient: the request timed out
 * (408), the peer is not reachable now (480), the server or our transport failed (5xx, and the
 * 503 sip.js reports for a transport error), and 482: a proxy that still holds the first
 * attempt's transaction takes a resend with the same Call-ID, CSeq and From tag for a merged
 * request (RFC 3261 §8.2.2.2); once it forgets, the resend goes through. Anything else (404, 403, 415, 6xx...) says the
 * message cannot go as it is: it stays failed until the user retries it.
 */

import { backoffDelay, JITTER_25, type Backoff } from '../../../shared/backoff.js';

/** Automatic sends of one message before it waits for the connection to return (or the user). */
export const MAX_AUTOMATIC_ATTEMPTS = 5;
/** 1 s doubling to 30 s (docs/DESIGN.md#order-and-the-outbox). */
const SEND_BACKOFF: Backoff = { firstMs: 1000, capMs: 30_000, jitter: JITTER_25 };
/**
 * Times the connection may close under one message before Parley stops sending it by itself: a
 * server that drops a message it will not take (Kamailio: one larger than its read buffer) closes
 * the connection, which comes back and would bring the message again, and so on without end. Only
 * the user sends it again then (retryMessage).
 */
export const MAX_CONNECTIONS_LOST = 3;

export function isTransient(code: number | undefined): boolean {
  return code === 408 || code === 480 || code === 482 || (code !== undefined && code >= 500 && code <= 599);
}

/** Delay before the next try after `failures` transient failures in a row (the first failure waits 1 s). */
export function sendRetryDelay(failures: number, random: () => number = Math.random): number {
  return backoffDelay(failures - 1, SEND_BACKOFF, random);
}
