/**
 * Watches the flow to the proxy (RFC 5626 §4.4) so a dead server or a broken NAT binding is
 * noticed without waiting for the next registration refresh:
 *  - TCP/TLS: a CRLFCRLF ping every `intervalMs`; no CRLF pong within `pongTimeoutMs`, or the
 *    connection closing, means the flow is dead.
 *  - UDP: a STUN keep-alive after each stretch of silence keeps the NAT binding open and learns how
 *    long the NAT keeps it (udp-keepalive.ts); a new public address means "register again", quietly.
 *    An OPTIONS to our own address through the proxy every `intervalMs` (minutes) proves the
 *    server answers and still has our binding; no answer within `pongTimeoutMs` means dead, a
 *    404/480 means "register again". Before it, a keep-alive checks our public address, so a
 *    lapsed NAT binding is a re-registration and never a lost connection. Between probes a sentinel
 *    (udp-sentinel.ts) notices within ~2 s, at no cost to the server, that the server's port is
 *    closed (its process died): that is dead at once, and the 2 s probes that follow see it
 *    come back.
 * Dead -> `onDead(reason)` once; the next successful probe -> `onAlive()` once.
 * A proxy found through SRV with another target (a cluster, docs/DEPLOY.md): a dead server is
 * avoided (resolver.ts) and, when its name now leads to another target, the monitor watches that
 * one, probes it at once (so the account registers there within a second or two) and says so
 * (`onMoved`): the dialogs record-routed through the dead one are gone.
 *
 * States: unknown --probe ok--> alive --probe fails / flow closed--> dead --probe ok--> alive
 */
import type { Peer, TransportKind } from '../../sip/transport/flow.js';
import { UdpSentinel, type UdpSentinelOptions } from '../../sip/transport/udp-sentinel.js';
import { UdpKeepAlive, type UdpKeepAliveDeps } from './udp-keepalive.js';
import { parseSipUri } from '../../sip/transport/next-hop.js';
import type { SipTransport } from '../../sip/transport/sip-transport.js';
import { proxyTransport } from '../../sip/proxy.js';
import { probeBinding } from '../../sip/registration/binding-probe.js';
import type { UserAgent } from '../../sip/user-agent.js';
import type { Reason } from '../../../shared/domain/reason.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';

export interface FlowMonitorDeps {
  ua: UserAgent;
  transport: SipTransport;
  /** The proxy URI as configured. */
  proxy: string;
  transportKind: TransportKind;
  aor: string;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
  pongTimeoutMs?: number;
  /** Why, as a `connection.*` reason. */
  onDead(reason: Reason): void;
  onAlive(): void;
  /** The server answers but has lost our registration (it restarted, or the binding expired). */
  onUnbound?(): void;
  /** The proxy's name now leads to another server (the one watched died): dialogs through the old one are gone. */
  onMoved?(): void;
  /** UDP: our public address changed (the NAT binding lapsed): the registrar's binding leads nowhere. */
  onNewAddress?(address: string): void;
  /** Makes the UDP sentinel (tests give a fake). */
  sentinel?: (options: UdpSentinelOptions) => Pick<UdpSentinel, 'start' | 'stop'>;
  /** Makes the UDP keep-alive (tests give a fake). */
  keepAlive?: (deps: UdpKeepAliveDeps) => Pick<UdpKeepAlive, 'start' | 'stop' | 'check' | 'reset' | 'speaksStun'>;
}

/**
 * A firewall that answers a port it does not forward with "port unreachable" would make the
 * sentinel cry wolf: the flow is declared dead, and the server answers the very next probe. After
 * this many such quick recoveries within SENTINEL_DOUBT_WINDOW_MS the sentinel is switched off for
 * the flow (the probes still watch it).
 */
const SENTINEL_FALSE_ALARMS = 2;
const SENTINEL_DOUBT_WINDOW_MS = 60_000;
/** A recovery this soon after the sentinel's alarm means the server never went away. */
const SENTINEL_QUICK_RECOVERY_MS = 5_000;

/**
 * TCP/TLS: a CRLF ping every 96–120 s (80–100 % of RFC 5626 §4.4.1's 2 minutes for connection-
 * oriented transports without a Flow-Timer; NATs keep an established TCP connection for hours, RFC 5382,
 * and a connection the server closes is noticed at once anyway).
 */
export const KEEPALIVE_INTERVAL_MS = 120_000;
/**
 * UDP: the OPTIONS-to-self probe shows whether the registrar still has our binding. The STUN
 * keep-alive holds the NAT binding open (docs/DESIGN.md#6-keeping-the-connection) and a server that
 * went down is noticed by the sentinel within ~2 s, so the probe need not be frequent (every probe
 * is two transactions at the server, for every client): a registrar that restarted faster than the
 * sentinel could see is noticed within one interval, and what was sent to us meanwhile waits in
 * its store (server/kamailio.cfg, msilo). `keepAlive.intervalMs` sets it.
 */
export const UDP_PROBE_INTERVAL_MS = 300_000;
/** RFC 5626 §4.4.1: a pong that has not come within 10 s will not come. */
export const PONG_TIMEOUT_MS = 10_000;

export class FlowMonitor {
  private timer: unknown;
  private deadline: unknown;
  private state: 'unknown' | 'alive' | 'dead' = 'unknown';
  private peer?: Peer;
  private sentinel?: Pick<UdpSentinel, 'start' | 'stop'>;
  private keepAlive?: Pick<UdpKeepAlive, 'start' | 'stop' | 'check' | 'reset' | 'speaksStun'>;
  /** When the sentinel last declared the flow dead, and its alarms that proved false. */
  private sentinelAlarmAt?: number;
  private falseAlarms: number[] = [];
  private stopped = false;
  private readonly interval: number;
  private readonly pongTimeout: number;

  constructor(private readonly deps: FlowMonitorDeps) {
    this.interval = deps.intervalMs ?? (deps.transportKind === 'udp' ? UDP_PROBE_INTERVAL_MS : KEEPALIVE_INTERVAL_MS);
    this.pongTimeout = deps.pongTimeoutMs ?? PONG_TIMEOUT_MS;
  }

  async start(): Promise<void> {
    try {
      const peer = await this.resolveProxy();
      if (peer) this.watch(peer);
    } catch (error) {
      this.deps.logger.warn('keep-alive: cannot resolve the proxy', { error });
    }
    this.schedule(this.interval);
  }

  /** Where the proxy's name leads now (undefined when the proxy is not a SIP URI). */
  private async resolveProxy(): Promise<Peer | undefined> {
    const uri = parseSipUri(this.deps.proxy);
    if (!uri) return undefined;
    const kind = proxyTransport(this.deps.proxy, this.deps.transportKind);
    const hop = await this.deps.transport.resolve(uri.host, uri.port, kind);
    return { transport: kind, host: hop.host, port: hop.port };
  }

  /** Watch this server: over UDP with the sentinel and the keep-alive (replacing those of another). */
  private watch(peer: Peer): void {
    if (this.stopped) return;
    this.peer = peer;
    this.sentinel?.stop();
    this.keepAlive?.stop();
    this.sentinel = undefined;
    this.keepAlive = undefined;
    if (peer.transport !== 'udp') return;
    const make = this.deps.sentinel ?? ((options: UdpSentinelOptions) => new UdpSentinel(options));
    this.sentinel = make({ host: peer.host, port: peer.port, onRefused: () => this.sentinelAlarm() });
    this.sentinel.start();
    const makeKeepAlive = this.deps.keepAlive ?? ((deps: UdpKeepAliveDeps) => new UdpKeepAlive(deps));
    this.keepAlive = makeKeepAlive({
      transport: this.deps.transport,
      peer,
      clock: this.deps.clock,
      logger: this.deps.logger,
      onNewAddress: (address) => this.deps.onNewAddress?.(address),
      onSilent: () => {
        if (this.state !== 'dead') this.probeNow();
      },
    });
    this.keepAlive.start();
  }

  /**
   * The watched server is dead: avoid it, and if the proxy's name now leads elsewhere (another SRV
   * target), watch that one and probe it at once.
   */
  private async failOver(dead: Peer): Promise<void> {
    this.deps.transport.avoid(dead);
    let next: Peer | undefined;
    try {
      next = await this.resolveProxy();
    } catch (error) {
      this.deps.logger.warn('keep-alive: cannot resolve the proxy', { error });
    }
    if (!next || this.stopped || this.state !== 'dead' || this.matches(next)) return;
    this.deps.logger.info('the proxy leads to another server now', { host: next.host, port: next.port });
    this.watch(next);
    this.sentinelAlarmAt = undefined; // the alarm was about the old server: it says nothing of the new one
    this.deps.onMoved?.();
    this.probeNow();
  }

  stop(): void {
    this.stopped = true;
    this.sentinel?.stop();
    this.keepAlive?.stop();
    this.deps.clock.clearTimeout(this.timer);
    this.deps.clock.clearTimeout(this.deadline);
  }

  /** The transport reports a CRLF pong. */
  pong(from: Peer): void {
    if (this.matches(from)) this.alive();
  }

  /** The transport reports a stream flow closed. */
  closed(peer: Peer, reason: string): void {
    if (this.matches(peer)) this.dead({ code: 'connection.closed', params: { error: reason } });
  }

  /** Probe now (after resume or a network change), then keep the usual rhythm. */
  probeNow(): void {
    this.deps.clock.clearTimeout(this.timer);
    this.probe();
  }

  /** Whether `peer` is the server this account's flow leads to now (its proxy). */
  isServer(peer: Peer): boolean {
    return this.matches(peer);
  }

  private matches(peer: Peer): boolean {
    return !!this.peer && peer.transport === this.peer.transport && peer.host === this.peer.host && peer.port === this.peer.port;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => this.probe(), ms);
  }

  private probe(): void {
    if (this.stopped) return;
    // While the server is away, look for it every 2 s: registering again waits on this. Otherwise
    // at 80–100 % of the interval (RFC 5626 §4.4.1), so clients started together do not beat in step.
    this.schedule(this.state === 'dead' ? 2000 : this.interval * (0.8 + 0.2 * Math.random()));
    // One deadline per unanswered stretch: a new probe must not push back the one already running.
    if (this.deadline === undefined) {
      this.deadline = this.deps.clock.setTimeout(() => {
        this.deadline = undefined;
        this.dead({ code: 'connection.no-pong' });
      }, this.pongTimeout);
    }
    if (this.peer && this.peer.transport !== 'udp') {
      this.deps.transport
        .keepAlive(this.peer)
        .catch((error: Error) => this.dead({ code: 'connection.keepalive-failed', params: { error: error.message } }));
      return;
    }
    const keepAlive = this.keepAlive;
    if (!keepAlive?.speaksStun || this.state === 'dead') return this.options();
    // Our public address first: after a lapsed NAT binding the OPTIONS could not come back to us
    // (the registrar sends it to the old port) and would look like a dead server.
    void keepAlive.check().then((found) => {
      if (this.stopped) return;
      if (found === 'new-address')
        this.alive(); // the server answered; re-registering proves the rest
      else this.options();
    });
  }

  /** UDP probe: an OPTIONS to our own address through the proxy (sip/registration/binding-probe.ts). */
  private options(): void {
    probeBinding(this.deps.ua, this.deps.aor, (outcome) => {
      if (outcome === 'no-answer') return this.dead({ code: 'connection.no-answer' });
      this.alive();
      // The server is there but no longer knows where we are.
      if (outcome === 'unbound') this.deps.onUnbound?.();
    });
  }

  private alive(): void {
    this.clearDeadline();
    const was = this.state;
    this.state = 'alive';
    if (was === 'dead') {
      this.judgeSentinel();
      this.deps.onAlive();
    }
  }

  private sentinelAlarm(): void {
    if (this.state === 'dead' || this.stopped) return;
    this.sentinelAlarmAt = this.deps.clock.now();
    this.dead({ code: 'connection.server-down' });
  }

  /** The flow is back: if the sentinel's alarm was false (the server answered at once), count it. */
  private judgeSentinel(): void {
    const alarmAt = this.sentinelAlarmAt;
    this.sentinelAlarmAt = undefined;
    if (alarmAt === undefined || !this.sentinel) return;
    const now = this.deps.clock.now();
    if (now - alarmAt > SENTINEL_QUICK_RECOVERY_MS) return;
    this.falseAlarms = [...this.falseAlarms.filter((at) => now - at < SENTINEL_DOUBT_WINDOW_MS), now];
    if (this.falseAlarms.length < SENTINEL_FALSE_ALARMS) return;
    this.deps.logger.warn(
      'keep-alive: the server answers although its port looks closed from another port (a firewall?); not watching that way any more',
    );
    this.sentinel.stop();
    this.sentinel = undefined;
  }

  private clearDeadline(): void {
    this.deps.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  private dead(reason: Reason): void {
    this.clearDeadline();
    if (this.state === 'dead' || this.stopped) return;
    this.state = 'dead';
    this.keepAlive?.reset();
    this.deps.logger.info('flow to the server is down', { reason });
    this.deps.onDead(reason);
    this.schedule(2000);
    if (this.peer) void this.failOver(this.peer);
  }
}
