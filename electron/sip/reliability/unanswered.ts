/**
 * Requests written on a stream flow (TCP/TLS) that have no final answer yet, by flow.
 *
 * sip.js takes a stream for reliable: once written, a request waits for its answer until Timer F
 * (64·T1 = 32 s). But a server may close the connection under a request it will never answer:
 * Kamailio drops a message larger than its TCP read buffer and closes the connection. No answer
 * can come for it then (the server has no transaction), so the closing is a transport failure of
 * that request, to be told to its transaction at once (RFC 3261 §17.1.4, §18.4).
 *
 * Bounded: an entry leaves on its final answer, when its flow closes, or after Timer F.
 */
import { Retransmitter } from './retransmitter.js';
import { TRANSACTION_TIMEOUT, type TimerApi } from './timers.js';

export interface UnansweredRequest {
  branch: string;
  method: string;
}

interface Entry extends UnansweredRequest {
  flow: string;
  timer: unknown;
}

export class UnansweredRequests {
  private readonly byFlow = new Map<string, Map<string, Entry>>();
  private readonly byKey = new Map<string, Entry>();

  constructor(private readonly timers: TimerApi) {}

  get size(): number {
    return this.byKey.size;
  }

  /** A request was written whole on `flow` (a peer key). ACK has no answer and is not kept. */
  written(flow: string, branch: string, method: string): void {
    const upper = method.toUpperCase();
    if (upper === 'ACK') return;
    const key = Retransmitter.key(branch, upper);
    this.forget(key);
    const entry: Entry = { branch, method: upper, flow, timer: undefined };
    entry.timer = this.timers.setTimeout(() => this.forget(key), TRANSACTION_TIMEOUT);
    let requests = this.byFlow.get(flow);
    if (!requests) this.byFlow.set(flow, (requests = new Map()));
    requests.set(key, entry);
    this.byKey.set(key, entry);
  }

  /** A response came for (branch, method): a final one ends the wait. */
  answered(branch: string, method: string, status: number): void {
    if (status >= 200) this.forget(Retransmitter.key(branch, method));
  }

  /** The flow closed: the requests it carried that were never finally answered. */
  closed(flow: string): UnansweredRequest[] {
    const requests = this.byFlow.get(flow);
    if (!requests) return [];
    const lost = [...requests.values()];
    for (const entry of lost) this.forget(Retransmitter.key(entry.branch, entry.method));
    return lost.map(({ branch, method }) => ({ branch, method }));
  }

  stopAll(): void {
    for (const key of [...this.byKey.keys()]) this.forget(key);
  }

  private forget(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.timers.clearTimeout(entry.timer);
    this.byKey.delete(key);
    const requests = this.byFlow.get(entry.flow);
    requests?.delete(key);
    if (requests?.size === 0) this.byFlow.delete(entry.flow);
  }
}
