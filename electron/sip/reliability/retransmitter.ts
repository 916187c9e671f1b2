/**
 * Client-side request retransmission over UDP (RFC 3261 §17.1.1.2 timer A, §17.1.2.2 timer E),
 * which sip.js leaves out because it assumes a reliable transport.
 *
 * A request is resent at T1, 2·T1, 4·T1 ... capped at T2 (non-INVITE) until a response with the
 * same branch and CSeq method arrives. A provisional response to a non-INVITE moves the interval
 * straight to T2; any response to an INVITE stops it. After 64·T1 we stop: sip.js's own
 * transaction timer reports the timeout.
 */
import { T1, T2, TRANSACTION_TIMEOUT, realTimers, type TimerApi } from './timers.js';

interface Pending {
  resend: () => void;
  isInvite: boolean;
  interval: number;
  startedAt: number;
  timer: unknown;
}

export class Retransmitter {
  private readonly pending = new Map<string, Pending>();
  /** Count of resends, for tests and the benchmark. */
  resent = 0;

  constructor(private readonly timers: TimerApi = realTimers) {}

  static key(branch: string, method: string): string {
    return `${branch}\u0000${method.toUpperCase()}`;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Start retransmitting; `resend` sends the same bytes again. ACK is never retransmitted. */
  track(branch: string, method: string, resend: () => void): void {
    const upper = method.toUpperCase();
    if (upper === 'ACK') return;
    const key = Retransmitter.key(branch, upper);
    this.stop(key);
    const entry: Pending = { resend, isInvite: upper === 'INVITE', interval: T1, startedAt: this.timers.now(), timer: undefined };
    this.pending.set(key, entry);
    this.schedule(key, entry);
  }

  /** A response arrived for (branch, method). */
  onResponse(branch: string, method: string, status: number): void {
    const key = Retransmitter.key(branch, method);
    const entry = this.pending.get(key);
    if (!entry) return;
    if (status >= 200 || entry.isInvite) {
      this.stop(key);
      return;
    }
    // Provisional to a non-INVITE: keep going, but at T2 (§17.1.2.2).
    entry.interval = T2;
    this.timers.clearTimeout(entry.timer);
    this.schedule(key, entry);
  }

  stopAll(): void {
    for (const key of [...this.pending.keys()]) this.stop(key);
  }

  private stop(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.timers.clearTimeout(entry.timer);
    this.pending.delete(key);
  }

  private schedule(key: string, entry: Pending): void {
    entry.timer = this.timers.setTimeout(() => {
      if (this.pending.get(key) !== entry) return;
      if (this.timers.now() - entry.startedAt >= TRANSACTION_TIMEOUT) {
        this.pending.delete(key);
        return;
      }
      this.resent++;
      try {
        entry.resend();
      } catch {
        // A send error is reported by the socket; the transaction timer decides the outcome.
      }
      entry.interval = entry.isInvite ? entry.interval * 2 : Math.min(entry.interval * 2, T2);
      this.schedule(key, entry);
    }, entry.interval);
  }
}
