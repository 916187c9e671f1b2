/**
 * Server-side absorption of retransmitted requests (RFC 3261 §17.2.2): sip.js's non-INVITE
 * server transaction ends as soon as it answers (timer J = 0), so a retransmission that arrives
 * after our 200 OK was lost would otherwise be delivered again as a new request.
 *
 * We remember each request by (top Via branch, sent-by, method) for 64·T1. A retransmission
 * seen after our answer gets that answer replayed; one seen before it is `pending`, and the
 * transport lets sip.js's still-live transaction deal with it (or drops it, when the request was
 * taken past sip.js and so has no transaction there). Memory is bounded by `maxEntries`
 * (oldest entries go first).
 */
import { TRANSACTION_TIMEOUT, realTimers, type TimerApi } from './timers.js';

interface Seen {
  at: number;
  response?: string;
  /** Taken before sip.js (SipTransport.takeRequest): no sip.js transaction absorbs its copies. */
  taken?: boolean;
}

export type AbsorbVerdict = { kind: 'new' } | { kind: 'pending'; taken: boolean } | { kind: 'replay'; response: string };

export class Absorber {
  private readonly seen = new Map<string, Seen>();
  absorbed = 0;

  constructor(
    private readonly timers: TimerApi = realTimers,
    private readonly maxEntries = 50_000,
  ) {}

  static key(branch: string, sentBy: string, method: string): string {
    return `${branch}\u0000${sentBy}\u0000${method.toUpperCase()}`;
  }

  /** Called for each received request; decides whether it is new. ACKs are never absorbed here. */
  onRequest(key: string): AbsorbVerdict {
    this.expire();
    const entry = this.seen.get(key);
    if (!entry) {
      this.seen.set(key, { at: this.timers.now() });
      if (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
      return { kind: 'new' };
    }
    this.absorbed++;
    return entry.response === undefined ? { kind: 'pending', taken: entry.taken === true } : { kind: 'replay', response: entry.response };
  }

  /** The request was taken before sip.js: a copy that comes before its answer is dropped. */
  taken(key: string): void {
    const entry = this.seen.get(key);
    if (entry) entry.taken = true;
  }

  /** Remember the latest response we sent for a request (only final responses are replayed later). */
  onResponse(key: string, response: string): void {
    const entry = this.seen.get(key);
    if (entry) entry.response = response;
  }

  get size(): number {
    return this.seen.size;
  }

  private expire(): void {
    const cutoff = this.timers.now() - TRANSACTION_TIMEOUT;
    // Map keeps insertion order, so the oldest are first.
    for (const [key, entry] of this.seen) {
      if (entry.at >= cutoff) break;
      this.seen.delete(key);
    }
  }
}
