/**
 * The UDP keep-alive of the flow to the proxy (RFC 5626 §4.4.2, docs/DESIGN.md#6-keeping-the-connection):
 * after a stretch of silence with the proxy (any datagram either way keeps a NAT binding open, so
 * while we talk none is sent) a STUN Binding request goes from our SIP socket to the proxy's port.
 * Its answer, 20 bytes out and some 60 back, keeps the binding open and names our public address:
 *  - the same as before: the binding held through the silence (nat-lifetime.ts may lengthen it);
 *  - a new one: the binding had lapsed and the NAT made a new one, so the registrar's binding
 *    points at a port that leads nowhere: `onNewAddress` (the core registers again at once,
 *    without telling the user anything) and the silence is shortened to stay ahead of the NAT;
 *  - no answer, from a server that answered before: `onSilent` (the flow monitor probes now).
 * A server that never answers STUN gets a CRLFCRLF datagram instead, which keeps a binding open but
 * tells nothing, at the fixed 25 s (the OPTIONS probe then notices a new address, only later).
 */
import type { Peer } from '../../sip/transport/flow.js';
import type { SipTransport } from '../../sip/transport/sip-transport.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { INITIAL_MS, NatLifetime } from './nat-lifetime.js';

export interface UdpKeepAliveDeps {
  transport: Pick<SipTransport, 'stunBinding' | 'keepAlive' | 'watchUdp' | 'lastUdpTraffic'>;
  /** The proxy's UDP address. */
  peer: Peer;
  clock: Clock;
  logger: Logger;
  /** 0 ≤ random() < 1, for the 80–100 % spread of each wait. */
  random?: () => number;
  /** Our public address changed (host:port as the proxy sees us). */
  onNewAddress(address: string): void;
  /** The proxy stopped answering the keep-alive. */
  onSilent(): void;
}

/** What one keep-alive found. */
export type KeepAliveResult = 'held' | 'new-address' | 'no-answer' | 'no-stun';

/** STUN unanswered this many times in a row from the start: the server does not speak it. */
const STUN_TRIES = 2;

export class UdpKeepAlive {
  readonly lifetime = new NatLifetime();
  private timer: unknown;
  private address?: string;
  private stun: 'unknown' | 'yes' | 'no' = 'unknown';
  private misses = 0;
  private wait = 0;
  private busy = false;
  private stopped = false;
  /** Keep-alives sent, and how many found a new address (for logs and the benchmark). */
  readonly counts = { sent: 0, newAddress: 0 };

  constructor(private readonly deps: UdpKeepAliveDeps) {}

  start(): void {
    this.deps.transport.watchUdp(this.deps.peer);
    // The first one at once: our public address now, and whether the server speaks STUN.
    void this.check();
  }

  stop(): void {
    this.stopped = true;
    this.deps.clock.clearTimeout(this.timer);
  }

  /** The flow was dead and is back (perhaps a different server, a new NAT): learn the address again. */
  reset(): void {
    this.address = undefined;
    if (this.stun === 'no') this.stun = 'unknown';
    this.misses = 0;
  }

  /** Whether the server answers our STUN keep-alives (so they tell our public address). */
  get speaksStun(): boolean {
    return this.stun === 'yes';
  }

  /** The public address the last answer named. */
  get publicAddress(): string | undefined {
    return this.address;
  }

  /** Send one keep-alive now and say what it found (the flow monitor asks before its OPTIONS probe). */
  async check(): Promise<KeepAliveResult> {
    if (this.busy || this.stopped) return 'no-answer'; // the one under way schedules the next
    this.deps.clock.clearTimeout(this.timer);
    this.busy = true;
    const silence = this.deps.clock.now() - this.deps.transport.lastUdpTraffic;
    try {
      this.counts.sent++;
      if (this.stun === 'no') {
        await this.deps.transport.keepAlive(this.deps.peer).catch(() => {});
        return 'no-stun';
      }
      const mapped = await this.deps.transport.stunBinding(this.deps.peer);
      if (this.stopped) return 'no-answer';
      if (!mapped) return this.unanswered();
      this.stun = 'yes';
      this.misses = 0;
      const address = `${mapped.host}:${mapped.port}`;
      const before = this.address;
      this.address = address;
      if (before === undefined || before === address) {
        if (before !== undefined) this.lifetime.heldFor(silence);
        this.deps.logger.debug('keep-alive: the NAT binding held', { address, silenceMs: silence, learnt: this.lifetime.known });
        return 'held';
      }
      this.lifetime.lapsed(silence);
      this.counts.newAddress++;
      this.deps.logger.info('keep-alive: the NAT binding lapsed; our public address changed', {
        before,
        after: address,
        silenceMs: silence,
        learnt: this.lifetime.known,
      });
      this.deps.onNewAddress(address);
      return 'new-address';
    } finally {
      this.busy = false;
      this.schedule();
    }
  }

  private unanswered(): KeepAliveResult {
    this.misses++;
    if (this.stun === 'unknown' && this.misses >= STUN_TRIES) {
      this.stun = 'no';
      this.deps.logger.info('keep-alive: the server does not answer STUN; sending CRLF keep-alives');
      return 'no-stun';
    }
    if (this.stun === 'yes') this.deps.onSilent();
    return 'no-answer';
  }

  private interval(): number {
    return this.stun === 'no' ? INITIAL_MS : this.lifetime.interval();
  }

  /** The next keep-alive: once the traffic with the proxy has been silent for 80–100 % of the interval. */
  private schedule(): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    this.wait = this.interval() * (0.8 + 0.2 * (this.deps.random ?? Math.random)());
    this.arm();
  }

  private arm(): void {
    const due = this.deps.transport.lastUdpTraffic + this.wait;
    this.timer = this.deps.clock.setTimeout(
      () => {
        // Other traffic crossed the binding meanwhile: it kept it open, wait on from there.
        if (this.deps.clock.now() < this.deps.transport.lastUdpTraffic + this.wait - 50) this.arm();
        else void this.check();
      },
      Math.max(0, due - this.deps.clock.now()),
    );
  }
}
