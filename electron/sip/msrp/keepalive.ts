/**
 * Keep-alive of an MSRP session's connection at the MSRP level: after KEEPALIVE_IDLE_MS with
 * nothing heard from the peer, a bodiless SEND (RFC 4975 §7.1.1 allows a SEND without a body; the
 * receiver answers it 200 and delivers nothing) goes out, and a connection that still says nothing
 * within KEEPALIVE_ANSWER_MS is given up. Why at the MSRP level and not only TCP keep-alive
 * (connection.ts): a NAT or a relay (RFC 4976) between the two holds its own connection state, which
 * TCP probes on our socket never reach past a relay, and an MSRP answer proves the peer's session is
 * there, not just its kernel; the peer that vanished is found in under a minute, and what we send
 * next goes by paging mode instead of waiting for a REPORT that will not come.
 */
import type { Clock } from '../../support/clock.js';

/** Silence after which we ask: well under the 2-5 minutes home NATs and relays keep an idle TCP mapping. */
export const KEEPALIVE_IDLE_MS = 30_000;
/** How long the asked peer may take to answer before the connection is taken for dead. */
export const KEEPALIVE_ANSWER_MS = 15_000;

export interface KeepAliveHooks {
  /** Sends the bodiless SEND; false when it could not go (the connection is closed). */
  ping(): boolean;
  /** No answer in time: the owner closes the connection with this reason. */
  dead(reason: string): void;
}

export class MsrpKeepAlive {
  private timer: unknown;
  private asking = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly hooks: KeepAliveHooks,
    private readonly idleMs = KEEPALIVE_IDLE_MS,
    private readonly answerMs = KEEPALIVE_ANSWER_MS,
  ) {
    this.arm(this.idleMs);
  }

  /** Anything came from the peer (a request, a response): it is there; the idle time starts again. */
  heard(): void {
    if (this.stopped) return;
    this.asking = false;
    this.arm(this.idleMs);
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
  }

  private arm(ms: number): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.due(), ms);
  }

  private due(): void {
    if (this.stopped) return;
    if (this.asking) {
      this.stop();
      this.hooks.dead(`no answer to a keep-alive within ${this.answerMs / 1000} s`);
      return;
    }
    this.asking = true;
    if (!this.hooks.ping()) return this.stop();
    this.arm(this.answerMs);
  }
}
