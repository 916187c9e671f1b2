/**
 * The outbox: every outgoing message until it is delivered, stored, failed for good or cancelled.
 *
 * Per conversation (a lane) at most `inFlightLimit` MESSAGE transactions are in flight, sent in CSeq
 * order; the rest wait ('queued') and go as slots free. A transient failure puts the message
 * back in its lane and pauses the lane with back-off (the path or the peer is down: sending the
 * rest now would only fail too, and out of order); after MAX_AUTOMATIC_ATTEMPTS it is parked as
 * failed until the connection returns (`resumeAll`), the lane delivers again, or the user
 * retries it. A permanent failure is parked for the user alone, and so is a message the connection
 * closed under MAX_CONNECTIONS_LOST times (a server that drops it and closes: sending it whenever
 * the connection returns would never end). State per message:
 *   waiting ──slot free──> in flight ──2xx/202──> done
 *      ▲                       │ ──transient──> waiting (lane paused) ... ──too often──> parked
 *      └── resume / retry ─────┴──────────────────────────── parked <──permanent──┘
 * A peer that refuses the form a message went in (415/488 to CPIM, `reform`) has it sent again at
 * once in another form, without counting an attempt.
 * Storage is the truth across restarts: resumeAll reloads what is not delivered yet, so messages
 * that were in flight when Parley died are sent again (with the same Call-ID, CSeq and From tag:
 * the receiver absorbs a copy it already has).
 */
import type { ChatMessage, DeliveryState, Reason } from '../../../shared/ipc.js';
import type { OutboxRow } from '../../storage/messages-repo.js';
import type { Clock } from '../../support/clock.js';
import { isTransient, MAX_AUTOMATIC_ATTEMPTS, MAX_CONNECTIONS_LOST, sendRetryDelay } from './retry-policy.js';

export const DEFAULT_IN_FLIGHT_LIMIT = 8;

export interface OutboxEntry extends OutboxRow {
  /** Transient failures since it was last queued by hand or by a returning connection. */
  attempts: number;
  /** Times the connection closed under it unanswered since the user last sent it (not reset by a returning connection). */
  lost?: number;
  /** The content type of its last send (the sender's choice of form, for `reform`). */
  sentAs?: string;
}

/**
 * How a send ended: the final status code (sip.js reports timeouts as 408, transport errors as
 * 503); `lost`: the connection closed under the request before any answer.
 */
export type Settle = (status: number, reasonPhrase?: string, lost?: boolean) => void;

export interface OutboxDeps {
  clock: Clock;
  /** MESSAGE transactions in flight per conversation (default DEFAULT_IN_FLIGHT_LIMIT). */
  inFlightLimit?: number;
  random?: () => number;
  /** Put the message on the wire; false when there is no endpoint to send with. */
  transmit(entry: OutboxEntry, settle: Settle): boolean;
  /** Record and announce a state. */
  onState(message: ChatMessage, state: DeliveryState, reason?: Reason, code?: number): void;
  /** The reason of a failure; `lostTimes` when it is given up after the connection closed under it that often. */
  explain(message: ChatMessage, status: number, reasonPhrase?: string, lostTimes?: number): Reason;
  /** Every undelivered outgoing message in storage. */
  load(): OutboxRow[];
  /**
   * The peer refused this send with `status`: true when the message can go again in another form
   * (the caller has switched it), so it goes back to the head of its lane, unpaused, uncounted.
   */
  reform?(entry: OutboxEntry, status: number): boolean;
}

interface Lane {
  /** Not in flight, in CSeq order. */
  waiting: OutboxEntry[];
  /** In flight, with the token of the attempt (a stale attempt's answer is ignored). */
  inFlight: Map<string, object>;
  /** Transient failures in a row; the lane is paused while `timer` runs. */
  failures: number;
  timer?: unknown;
}

/** Whether a parked message goes again by itself (connection back, lane delivering). */
function resumable(entry: OutboxEntry): boolean {
  return isTransient(entry.message.code) && (entry.lost ?? 0) < MAX_CONNECTIONS_LOST;
}

export class Outbox {
  private readonly lanes = new Map<string, Lane>();
  /** Failed messages kept for a returning connection or the user, by id. */
  private readonly parked = new Map<string, OutboxEntry>();
  private readonly inFlightLimit: number;

  constructor(private readonly deps: OutboxDeps) {
    this.inFlightLimit = deps.inFlightLimit ?? DEFAULT_IN_FLIGHT_LIMIT;
  }

  private lane(conversationId: string): Lane {
    let lane = this.lanes.get(conversationId);
    if (!lane) {
      lane = { waiting: [], inFlight: new Map(), failures: 0 };
      this.lanes.set(conversationId, lane);
    }
    return lane;
  }

  /** Whether the outbox holds this message now (waiting, in flight or parked). */
  private tracked(id: string, conversationId: string): boolean {
    const lane = this.lanes.get(conversationId);
    return this.parked.has(id) || (lane !== undefined && (lane.inFlight.has(id) || lane.waiting.some((e) => e.message.id === id)));
  }

  /** A new message (stored as queued): it goes when its lane has a free slot. */
  add(row: OutboxRow): DeliveryState {
    const lane = this.lane(row.message.conversationId);
    this.enqueue(lane, { ...row, attempts: 0 });
    this.pump(lane);
    return lane.inFlight.has(row.message.id) ? 'sending' : 'queued';
  }

  private enqueue(lane: Lane, entry: OutboxEntry): void {
    const at = lane.waiting.findIndex((e) => e.message.cseq > entry.message.cseq);
    if (at < 0) lane.waiting.push(entry);
    else lane.waiting.splice(at, 0, entry);
  }

  private pump(lane: Lane): void {
    while (lane.timer === undefined && lane.inFlight.size < this.inFlightLimit && lane.waiting.length > 0) {
      const entry = lane.waiting[0]!;
      const token = {};
      lane.inFlight.set(entry.message.id, token);
      if (!this.deps.transmit(entry, (status, phrase, lost) => this.settle(lane, entry, token, status, phrase, lost))) {
        lane.inFlight.delete(entry.message.id);
        return; // no endpoint: it waits for one (resumeAll)
      }
      lane.waiting.shift();
      this.deps.onState(entry.message, 'sending');
    }
  }

  private settle(lane: Lane, entry: OutboxEntry, token: object, status: number, phrase?: string, lost = false): void {
    if (lane.inFlight.get(entry.message.id) !== token) return; // an attempt we gave up on
    lane.inFlight.delete(entry.message.id);
    const message = entry.message;
    if (this.deps.reform?.(entry, status)) {
      this.enqueue(lane, entry);
    } else if (status >= 200 && status < 300) {
      lane.failures = 0;
      this.deps.onState(message, status === 202 ? 'stored' : 'delivered', undefined, status);
      this.unpark(message.conversationId, resumable);
    } else if (isTransient(status)) {
      entry.attempts++;
      if (lost) entry.lost = (entry.lost ?? 0) + 1;
      const givenUp = (entry.lost ?? 0) >= MAX_CONNECTIONS_LOST;
      const reason = this.deps.explain(message, status, phrase, givenUp ? entry.lost : undefined);
      if (givenUp || entry.attempts >= MAX_AUTOMATIC_ATTEMPTS) {
        this.park(entry, reason, status);
      } else {
        this.enqueue(lane, entry);
        this.deps.onState(message, 'queued', reason, status);
        this.pause(lane);
      }
    } else {
      this.park(entry, this.deps.explain(message, status, phrase), status);
    }
    this.pump(lane);
  }

  private park(entry: OutboxEntry, reason: Reason, code: number): void {
    entry.message = { ...entry.message, state: 'failed', reason, code };
    this.parked.set(entry.message.id, entry);
    this.deps.onState(entry.message, 'failed', reason, code);
  }

  /** Pause a lane after a transient failure (once: failures in flight together count as one). */
  private pause(lane: Lane): void {
    if (lane.timer !== undefined) return;
    lane.failures++;
    lane.timer = this.deps.clock.setTimeout(
      () => {
        lane.timer = undefined;
        this.pump(lane);
      },
      sendRetryDelay(lane.failures, this.deps.random),
    );
  }

  private unpause(lane: Lane): void {
    if (lane.timer !== undefined) this.deps.clock.clearTimeout(lane.timer);
    lane.timer = undefined;
    lane.failures = 0;
  }

  private unpark(conversationId: string, which: (entry: OutboxEntry) => boolean): void {
    for (const [id, entry] of this.parked) {
      if (entry.message.conversationId !== conversationId || !which(entry)) continue;
      this.parked.delete(id);
      this.requeue(entry);
    }
  }

  private requeue(entry: OutboxEntry): void {
    const lane = this.lane(entry.message.conversationId);
    entry.attempts = 0;
    entry.message = { ...entry.message, state: 'queued' };
    this.enqueue(lane, entry);
    this.deps.onState(entry.message, 'queued');
  }

  /**
   * The connection is back (registered again, a new endpoint, start-up): everything not delivered
   * and not refused for good goes again, lanes unpaused.
   */
  resumeAll(): void {
    for (const row of this.deps.load()) {
      const { message } = row;
      if (this.tracked(message.id, message.conversationId)) continue;
      if (message.state === 'failed' && !isTransient(message.code)) continue;
      this.requeue({ ...row, attempts: 0 });
    }
    for (const [id, entry] of this.parked) {
      if (!resumable(entry)) continue;
      this.parked.delete(id);
      this.requeue(entry);
    }
    for (const lane of this.lanes.values()) {
      this.unpause(lane);
      this.pump(lane);
    }
  }

  /** Send this message again now (the user asked). Returns its state, or undefined when it cannot be retried. */
  retry(row: OutboxRow): DeliveryState | undefined {
    const { message } = row;
    const lane = this.lane(message.conversationId);
    if (lane.inFlight.has(message.id)) return 'sending';
    if (message.state !== 'failed' && message.state !== 'queued' && message.state !== 'sending') return undefined;
    const parked = this.parked.get(message.id);
    this.parked.delete(message.id);
    const waiting = lane.waiting.findIndex((e) => e.message.id === message.id);
    if (waiting >= 0) lane.waiting.splice(waiting, 1);
    // The user asks for it: whatever happened to it before starts over.
    this.requeue({ ...(parked ?? row), attempts: 0, lost: 0 });
    this.unpause(lane);
    this.pump(lane);
    return lane.inFlight.has(message.id) ? 'sending' : 'queued';
  }

  /** Take a message out for good. False when it is on the wire right now or already done. */
  cancel(message: ChatMessage): boolean {
    const lane = this.lanes.get(message.conversationId);
    if (lane?.inFlight.has(message.id)) return false;
    if (message.state !== 'queued' && message.state !== 'failed' && message.state !== 'sending') return false;
    this.parked.delete(message.id);
    if (lane) lane.waiting = lane.waiting.filter((e) => e.message.id !== message.id);
    this.deps.onState(message, 'cancelled');
    return true;
  }

  /**
   * The endpoint is going away: answers to what is in flight will never come. Everything goes
   * back to waiting (still 'sending' in storage, so a restart sends it again too).
   */
  detach(): void {
    for (const lane of this.lanes.values()) {
      this.unpause(lane);
      lane.inFlight.clear();
    }
    // Lanes rebuild from storage on the next resumeAll, in CSeq order.
    this.lanes.clear();
  }
}
