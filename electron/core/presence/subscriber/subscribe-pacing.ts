/**
 * How many new subscriptions (initial SUBSCRIBEs) may wait for their answer at once. Starting 5,000
 * buddies at one go would send 5,000 SUBSCRIBEs in a second or two and get 5,000 answers and 5,000
 * NOTIFYs back at once: more datagrams than a UDP receive buffer holds (the kernel drops the rest;
 * the SUBSCRIBEs are then retransmitted and the NOTIFYs wait for their notifier's timers), and a
 * flood a presence server handles no better. Paced, the next SUBSCRIBE goes out as an answer
 * comes in, so the rate follows what the server and this process can take.
 *
 * Waiting clients are served first come, first served. Every slot taken with enter() (or handed
 * over through proceed()) must be given back with leave() exactly once.
 */
export interface PacedClient {
  /** A slot is now yours (you waited for it): send, or leave() at once if there is nothing to send. */
  proceed(): void;
}

export const SUBSCRIBES_IN_FLIGHT = 64;

export class SubscribePacing {
  private busy = 0;
  /** Insertion-ordered: the first waiting client is served first. */
  private readonly waiting = new Set<PacedClient>();

  constructor(readonly size = SUBSCRIBES_IN_FLIGHT) {}

  /** True: a slot is taken for the caller now. False: it is queued and proceed() is called later. */
  enter(client: PacedClient): boolean {
    if (this.busy < this.size && this.waiting.size === 0) {
      this.busy++;
      return true;
    }
    this.waiting.add(client);
    return false;
  }

  /** A slot is given back; clients waiting take free slots in order. */
  leave(): void {
    if (this.busy > 0) this.busy--;
    this.drain();
  }

  /** A queued client no longer wants a slot. */
  withdraw(client: PacedClient): void {
    this.waiting.delete(client);
  }

  get inUse(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.size;
  }

  private drain(): void {
    while (this.busy < this.size && this.waiting.size > 0) {
      const next = this.waiting.values().next().value!;
      this.waiting.delete(next);
      this.busy++;
      next.proceed();
    }
  }
}
