/**
 * Parley's transport for sip.js: UDP, TCP and TLS under one sip.js `Transport`.
 *
 * sip.js hands us finished messages with no destination, so this layer
 *  - picks the next hop (next-hop.ts) and resolves it (resolver.ts);
 *  - fixes the top Via on the way out (real protocol, our port) and on the way in (strips the
 *    port from responses, which sip.js would otherwise drop; stamps received/rport on requests);
 *  - over UDP retransmits requests and absorbs retransmitted requests (sip.js assumes reliability);
 *  - over TCP/TLS tells a request's transaction at once when the connection closes under it
 *    unanswered (unanswered.ts; `onRequestLost`), instead of leaving it to Timer F;
 *  - moves requests over 1300 bytes to TCP (RFC 3261 §18.1.1) and refuses anything over the limit;
 *  - over TLS verifies the server (stream-connections.ts) and, without a TLS listener of our own,
 *    names the connection's local port in Via and our Contact (contact.ts);
 *  - remembers why the last attempt to reach each server failed, in words (connect-failure.ts):
 *    sip.js turns a transport error into a bare 503, so the core asks here for the reason;
 *  - isolates every inbound message: whatever it holds, a throw is counted and logged and never
 *    reaches the process, and a request gets a 400 where an answer is possible.
 *
 * States: Disconnected --connect()--> Connecting --sockets bound--> Connected --disconnect()--> Disconnected
 */
import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js';
import type { Logger } from '../../support/logger.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { hasUntypedBody, readCSeq, readHead, type MessageHead } from '../wire/headers.js';
import { statelessResponse } from '../wire/stateless.js';
import { responseTarget, replaceTopVia, topVia, unbracket, type Via } from '../wire/via.js';
import { Absorber } from '../reliability/absorber.js';
import { Retransmitter } from '../reliability/retransmitter.js';
import { UnansweredRequests } from '../reliability/unanswered.js';
import { realTimers, type TimerApi } from '../reliability/timers.js';
import { explainConnectError, type ConnectAttempt, type ConnectFailure } from './connect-failure.js';
import { rewriteContactPort } from './contact.js';
import { DEFAULT_LIMITS } from './framing.js';
import { formatHostPort, peerKey, type Peer, type TransportKind } from './flow.js';
import { requestTarget } from './next-hop.js';
import { DnsResolver, type Resolved, type Resolver } from './resolver.js';
import { StreamConnections, type FlowInfo, type TlsSettings } from './stream-connections.js';
import { UdpSocket } from './udp-socket.js';
import { bindingRequest, readBindingSuccess } from './stun.js';

/** RFC 3261 §18.1.1: requests within 200 bytes of a 1500-byte MTU must not go over UDP. */
export const UDP_MTU_LIMIT = 1300;

export interface SipTransportOptions {
  listenHost: string;
  /** 0 = any free port; UDP, TCP (and TLS on the next port, when configured) share it where possible. */
  listenPort: number;
  defaultTransport: TransportKind;
  /** Largest message sent or accepted, in bytes. */
  maxMessageBytes?: number;
  tls?: TlsSettings;
  /**
   * The user part of our Contact (sip.js's contactName). Over a stream transport we do not listen
   * on (TLS without a certificate), Contacts with this user get the connection's local port.
   */
  contactUser?: string;
  resolver?: Resolver;
  timers?: TimerApi;
  logger: Logger;
}

export interface TransportStats {
  received: number;
  sent: number;
  malformed: number;
  handlerErrors: number;
  retransmitted: number;
  absorbed: number;
  tooLarge: number;
}

export interface TransportListener {
  /** A stream flow (TCP/TLS) closed: the core decides whether that was the flow to its proxy. */
  onFlowClosed?(peer: Peer, reason: string): void;
  /** A CRLF pong arrived on a stream flow. */
  onPong?(peer: Peer): void;
  /** Our address as seen by the far end of the last response (received/rport). */
  onPublicAddress?(host: string, port: number): void;
  /** A server could not be reached (DNS, connection or TLS verification), explained. */
  onConnectFailure?(failure: ConnectFailure): void;
}

/**
 * A STUN Binding request is sent at 0, 500 and 1500 ms (RFC 5389 §7.2.1: RTO 500 ms, doubling) and
 * given up 2 s after the last copy: a keep-alive needs an answer soon or not at all.
 */
const STUN_SENDS_AT = [0, 500, 1500];
const STUN_GIVE_UP_MS = 3500;

/** Branches of lost requests remembered for wasLost() (the latest go first). */
const LOST_REMEMBERED = 256;

/**
 * Inbound requests whose source is remembered for sourceOf() (the latest go first): enough for the
 * requests one burst brings before the core asks about them.
 */
const SOURCES_REMEMBERED = 1024;

/** A send that failed before any byte left: its message is the reason in words. */
export class TransportFailureError extends Error {
  constructor(readonly failure: ConnectFailure) {
    super(wordReason(failure.reason));
    this.name = 'TransportFailureError';
  }
}

export class SipTransport implements Transport {
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly stats: TransportStats = { received: 0, sent: 0, malformed: 0, handlerErrors: 0, retransmitted: 0, absorbed: 0, tooLarge: 0 };
  listener: TransportListener = {};
  /**
   * A request written on a stream flow that closed before its final answer (branch, CSeq method):
   * its transaction is to fail now with a transport error (user-agent.ts wires it to sip.js).
   */
  onRequestLost: ((branch: string, method: string, reason: string) => void) | undefined;
  /**
   * Offered each request before sip.js, with the received/rport stamp (its `head` is of the text
   * as it came): true when the callee took it and answers it through `answer`, which sends along
   * the request's top Via as sendResponse would. sip.js then never sees it, nor its copies
   * (incoming-requests.ts takes out-of-dialog MESSAGEs so: sip/message/receive-message.ts).
   */
  takeRequest: ((text: string, head: MessageHead, answer: (response: string) => Promise<void>) => boolean) | undefined;

  private _state = TransportState.Disconnected;
  private readonly emitter = new EmitterImpl<TransportState>();
  private readonly udp: UdpSocket;
  private readonly tcp: StreamConnections;
  private readonly tlsConnections: StreamConnections;
  private readonly retransmitter: Retransmitter;
  private readonly unanswered: UnansweredRequests;
  private readonly lost = new Set<string>();
  /** Where recent inbound requests came from, by their top Via branch (sourceOf). */
  private readonly sources = new Map<string, Peer>();
  private readonly absorber: Absorber;
  private readonly resolver: Resolver;
  private readonly maxBytes: number;
  private readonly log: Logger;
  private ports: Partial<Record<TransportKind, number>> = {};
  /** The last failure to reach each server, by transport and the name it was addressed by. */
  private readonly failures = new Map<string, ConnectFailure>();
  /** STUN Binding requests awaiting their answer, by transaction id. */
  private readonly stunWaiting = new Map<string, (address: { host: string; port: number }) => void>();
  private readonly timers: TimerApi;

  constructor(private readonly options: SipTransportOptions) {
    this.log = options.logger;
    this.maxBytes = options.maxMessageBytes ?? DEFAULT_LIMITS.maxMessageBytes;
    const timers = options.timers ?? realTimers;
    this.timers = timers;
    this.retransmitter = new Retransmitter(timers);
    this.unanswered = new UnansweredRequests(timers);
    this.absorber = new Absorber(timers);
    this.resolver = options.resolver ?? new DnsResolver();
    const onError = (error: Error) => this.log.warn('transport error', { error: error.message });
    const inbound = (text: string, from: Peer) => this.receive(text, from);
    const streamEvents = {
      onInbound: inbound,
      onError,
      onPong: (peer: Peer) => this.listener.onPong?.(peer),
      onClosed: (peer: Peer, reason: string) => this.flowClosed(peer, reason),
    };
    const limits = { maxHeadBytes: DEFAULT_LIMITS.maxHeadBytes, maxMessageBytes: this.maxBytes };
    // The socket takes any datagram; receive() answers oversized requests with 513.
    this.udp = new UdpSocket(inbound, onError, undefined, (data) => this.receiveStun(data));
    this.tcp = new StreamConnections('tcp', streamEvents, limits);
    this.tlsConnections = new StreamConnections('tls', streamEvents, limits, options.tls ?? {});
  }

  // ---- sip.js Transport interface ----

  get protocol(): string {
    return this.options.defaultTransport.toUpperCase();
  }

  get state(): TransportState {
    return this._state;
  }

  get stateChange(): Emitter<TransportState> {
    return this.emitter;
  }

  isConnected(): boolean {
    return this._state === TransportState.Connected;
  }

  async connect(): Promise<void> {
    if (this._state === TransportState.Connected) return;
    this.transition(TransportState.Connecting);
    try {
      await this.bindAll();
    } catch (error) {
      this.transition(TransportState.Disconnected);
      throw error;
    }
    this.transition(TransportState.Connected);
    this.onConnect?.();
  }

  async disconnect(): Promise<void> {
    if (this._state === TransportState.Disconnected) return;
    this.transition(TransportState.Disconnecting);
    this.retransmitter.stopAll();
    this.unanswered.stopAll();
    await Promise.all([this.udp.close(), this.tcp.close(), this.tlsConnections.close()]);
    this.ports = {};
    this.transition(TransportState.Disconnected);
    this.onDisconnect?.();
  }

  async dispose(): Promise<void> {
    await this.disconnect();
  }

  async send(message: string): Promise<void> {
    const head = readHead(message);
    if (!head) throw new Error('refusing to send something that is not a SIP message');
    if (head.isRequest) await this.sendRequest(message, head);
    else await this.sendResponse(message, head);
    this.stats.sent++;
  }

  // ---- our API ----

  /** Ports we listen on, per transport. */
  get listening(): Partial<Record<TransportKind, number>> {
    return { ...this.ports };
  }

  /** Send a CRLF keep-alive on the flow to `peer` (double CRLF on streams, RFC 5626 §3.5.1). */
  async keepAlive(peer: Peer): Promise<void> {
    if (peer.transport === 'udp') {
      await this.udp.send('\r\n\r\n', peer.host, peer.port);
      return;
    }
    const connections = this.connections(peer.transport);
    // A dead flow is reopened here, verified against the name it was first reached by.
    const name = connections.nameFor(peer) ?? peer.host;
    try {
      await connections.flow(peer);
    } catch (error) {
      throw this.connectFailed(error, { transport: peer.transport, name, host: peer.host, port: peer.port });
    }
    this.connected(peer.transport, name);
    await connections.write(peer, '\r\n\r\n');
  }

  /**
   * STUN Binding over our SIP UDP socket (RFC 5626 §4.4.2: the keep-alive for UDP): one small
   * datagram each way keeps a NAT binding open, and the answer names our address as `peer` sees
   * it, so a binding that lapsed shows as a new public port. Undefined when no answer came (the
   * server is gone, or does not speak STUN).
   */
  async stunBinding(peer: { host: string; port: number }): Promise<{ host: string; port: number } | undefined> {
    const request = bindingRequest();
    const handles: unknown[] = [];
    const answer = new Promise<{ host: string; port: number } | undefined>((resolve) => {
      this.stunWaiting.set(request.transaction, resolve);
      for (const at of STUN_SENDS_AT) {
        handles.push(this.timers.setTimeout(() => void this.udp.send(request.bytes, peer.host, peer.port).catch(() => {}), at));
      }
      handles.push(this.timers.setTimeout(() => resolve(undefined), STUN_GIVE_UP_MS));
    });
    try {
      return await answer;
    } finally {
      this.stunWaiting.delete(request.transaction);
      for (const handle of handles) this.timers.clearTimeout(handle);
    }
  }

  /** Time the UDP traffic with `peer` (the proxy), for a keep-alive that is due only after silence. */
  watchUdp(peer: { host: string; port: number }): void {
    this.udp.watch(peer.host, peer.port);
  }

  /** Date.now() of the last datagram to or from the address given to watchUdp(). */
  get lastUdpTraffic(): number {
    return this.udp.lastWatchedTraffic;
  }

  /**
   * Why the last attempt to reach this server failed, or undefined when it succeeded (or none was
   * made). `name` is the host as addressed (the proxy URI's host), `transport` the one used.
   */
  failureFor(name: string, transport: TransportKind): ConnectFailure | undefined {
    return this.failures.get(failureKey(transport, name));
  }

  /**
   * Whether the request with this branch was lost: written on a stream flow that closed before its
   * final answer (sip.js turns that, like any transport error, into a bare 503).
   */
  wasLost(branch: string): boolean {
    return this.lost.has(branch);
  }

  /**
   * Where a recent inbound request with this top Via branch really came from (the socket's peer,
   * whatever its Via says), or undefined when it is not remembered. The core asks it of the rare
   * request whose trust depends on coming from the account's own server (a copy of a sent message).
   */
  sourceOf(branch: string): Peer | undefined {
    return this.sources.get(branch);
  }

  /** Close one stream flow (keep-alive found it dead). */
  dropFlow(peer: Peer, reason: string): void {
    if (peer.transport !== 'udp') this.connections(peer.transport).drop(peer, reason);
  }

  /** Resolve where a URI-less hop goes; exposed for the keep-alive of the proxy flow. */
  resolve(host: string, port: number | undefined, transport: TransportKind) {
    return this.resolver.resolve(host, port, transport);
  }

  /** The keep-alive found this server dead: later lookups of its name take the next SRV target. */
  avoid(hop: Resolved): void {
    this.resolver.avoid?.(hop);
  }

  // ---- internals ----

  private async bindAll(): Promise<void> {
    const { listenHost } = this.options;
    // UDP and TCP on the same port, as SIP peers expect; with port 0 retry until both fit.
    for (let attempt = 0; ; attempt++) {
      const udpPort = await this.udp.bind(listenHost, this.options.listenPort);
      try {
        const tcpPort = await this.tcp.listen(listenHost, udpPort);
        this.ports = { udp: udpPort, tcp: tcpPort };
        break;
      } catch (error) {
        await this.udp.close();
        if (this.options.listenPort !== 0 || attempt > 20) throw error;
      }
    }
    if (this.options.tls?.cert && this.options.tls.key) {
      this.ports.tls = await this.tlsConnections.listen(listenHost, 0);
    }
  }

  private connections(kind: 'tcp' | 'tls'): StreamConnections {
    return kind === 'tls' ? this.tlsConnections : this.tcp;
  }

  private async sendRequest(message: string, head: MessageHead): Promise<void> {
    const target = requestTarget(head, this.options.defaultTransport);
    if (!target) throw new Error(`no route for ${head.requestUri ?? 'request'}`);
    let transport = target.transport;
    const size = Buffer.byteLength(message);
    if (size > this.maxBytes) {
      this.stats.tooLarge++;
      throw new Error(`message of ${size} bytes is larger than the ${this.maxBytes}-byte limit`);
    }
    // The Via rewrite below adds at most ":65535"; count it so a request never leaves UDP over the limit.
    if (transport === 'udp' && size + 6 > UDP_MTU_LIMIT) transport = 'tcp';
    // A name without a port stays one: moved to TCP it is looked up as TCP (its _sip._tcp SRV
    // records, RFC 3263 §4.2), which is where a cluster's nodes listen; 5060 would skip SRV.
    const port = target.port;
    let hop: Resolved;
    try {
      hop = await this.resolver.resolve(target.host, port, transport);
    } catch (error) {
      throw this.connectFailed(error, { transport, name: target.host, port });
    }
    const peer: Peer = { transport, host: hop.host, port: hop.port };
    const via = topVia(head);
    const branch = via?.params.get('branch');
    if (transport !== 'udp') {
      const connections = this.connections(transport);
      let flow: FlowInfo;
      try {
        flow = await connections.flow(peer, target.host);
      } catch (error) {
        throw this.connectFailed(error, { transport, name: target.host, host: hop.host, port: hop.port });
      }
      this.connected(transport, target.host);
      const own = this.ownContact(message, head, transport, flow.localPort);
      const ourPort = this.ports[transport] ?? flow.localPort;
      const text = replaceTopVia(own.text, own.head, (v) => ({ ...v, protocol: transport.toUpperCase(), port: ourPort }), via);
      await connections.write(flow.peer, Buffer.from(text, 'utf8'));
      // Written whole (a write that fails rejects, and sip.js hears of that by itself).
      if (branch && head.method) this.unanswered.written(peerKey(flow.peer), branch, head.method);
      return;
    }
    const ourPort = this.ports.udp ?? this.ports.tcp;
    const text = replaceTopVia(message, head, (v) => ({ ...v, protocol: 'UDP', port: ourPort }), via);
    const bytes = Buffer.from(text, 'utf8');
    await this.udp.send(bytes, hop.host, hop.port);
    if (branch && head.method) {
      this.retransmitter.track(branch, head.method, () => {
        this.stats.retransmitted++;
        void this.udp.send(bytes, hop.host, hop.port).catch(() => {});
      });
    }
  }

  /** Our Contact in a message for a stream flow: the connection's port when we do not listen on it. */
  private ownContact(text: string, head: MessageHead, transport: 'tcp' | 'tls', localPort: number): { text: string; head: MessageHead } {
    const user = this.options.contactUser;
    if (!user || this.ports[transport] !== undefined || !localPort) return { text, head };
    const rewritten = rewriteContactPort(text, head, user, localPort);
    if (rewritten === text) return { text, head };
    return { text: rewritten, head: readHead(rewritten) ?? head };
  }

  private connectFailed(error: unknown, attempt: ConnectAttempt): TransportFailureError {
    const failure = explainConnectError(error, attempt);
    const key = failureKey(attempt.transport, attempt.name);
    this.failures.delete(key);
    this.failures.set(key, failure);
    if (this.failures.size > 64) this.failures.delete(this.failures.keys().next().value!);
    this.log.warn('cannot reach the server', {
      server: formatHostPort(attempt.name, failure.port),
      transport: attempt.transport,
      code: failure.code,
      reason: failure.reason,
    });
    try {
      this.listener.onConnectFailure?.(failure);
    } catch (listenerError) {
      this.log.warn('connect-failure listener failed', {
        error: listenerError instanceof Error ? listenerError.message : String(listenerError),
      });
    }
    return new TransportFailureError(failure);
  }

  private connected(transport: TransportKind, name: string): void {
    if (this.failures.size > 0) this.failures.delete(failureKey(transport, name));
  }

  private async sendResponse(message: string, head: MessageHead): Promise<void> {
    const via = topVia(head);
    if (!via) throw new Error('response without Via');
    await this.sendAlongVia(message, via, readCSeq(head)?.method, head);
  }

  /** A response to a request taken before sip.js (takeRequest): its top Via is known already. */
  private async answer(message: string, via: Via, method: string): Promise<void> {
    await this.sendAlongVia(message, via, method);
    this.stats.sent++;
  }

  /**
   * Send a response where its top Via says (RFC 3261 §18.2.2, RFC 3581) and, over UDP, keep it to
   * replay to the request's copies. `head`: the response's, for a Contact to rewrite over streams
   * (a response built without a Contact needs none).
   */
  private async sendAlongVia(message: string, via: Via, method: string | undefined, head?: MessageHead): Promise<void> {
    const transport = via.protocol.toLowerCase() as TransportKind;
    const { host, port } = responseTarget(via, transport === 'tls' ? 5061 : 5060);
    const branch = via.params.get('branch');
    if (branch && method && transport === 'udp') {
      this.absorber.onResponse(Absorber.key(branch, formatHostPort(via.host, via.port ?? 5060), method), message);
    }
    if (transport === 'udp') await this.udp.send(message, host, port);
    else if (transport === 'tcp' || transport === 'tls') {
      const connections = this.connections(transport);
      const flow = await connections.flow({ transport, host, port });
      const text = head ? this.ownContact(message, head, transport, flow.localPort).text : message;
      await connections.write(flow.peer, text);
    } else throw new Error(`cannot answer over ${via.protocol}`);
  }

  private receiveStun(data: Buffer): void {
    const mapped = readBindingSuccess(data);
    if (mapped) this.stunWaiting.get(mapped.transaction)?.({ host: mapped.host, port: mapped.port });
  }

  private receive(text: string, from: Peer): void {
    this.stats.received++;
    let head: MessageHead | undefined;
    try {
      head = readHead(text);
      // RFC 3261 §7.5 asks us to take bare LF line ends; sip.js only splits on CRLF, so the head is
      // rewritten with CRLF (the body, and so Content-Length, is left as it came).
      if (head?.bareLf) {
        text = head.head.replace(/\r?\n/g, '\r\n') + '\r\n\r\n' + head.body;
        head = readHead(text);
      }
      if (!head) {
        this.stats.malformed++;
        this.log.debug('dropped a datagram that is not SIP', { from: `${from.host}:${from.port}`, bytes: text.length });
        return;
      }
      if (Buffer.byteLength(text) > this.maxBytes) {
        this.stats.tooLarge++;
        this.answerStateless(head, from, 513, 'Message Too Large');
        return;
      }
      // RFC 3261 §20.15: a body comes with its type. sip.js cannot tell what an untyped one is and
      // throws from inside its session handling (an unhandled rejection): it never sees one.
      if (hasUntypedBody(head)) {
        this.stats.malformed++;
        if (head.isRequest && head.method !== 'ACK') this.answerStateless(head, from, 400, 'Missing Content-Type');
        return;
      }
      if (head.isRequest) this.receiveRequest(text, head, from);
      else this.receiveResponse(text, head);
    } catch (error) {
      this.stats.handlerErrors++;
      this.log.warn('inbound message caused an error; isolated', {
        from: `${from.host}:${from.port}`,
        error: error instanceof Error ? error.message : String(error),
      });
      if (head?.isRequest) this.answerStateless(head, from, 400, 'Bad Request');
    }
  }

  private receiveRequest(text: string, head: MessageHead, from: Peer): void {
    const via = topVia(head);
    if (!via) {
      this.stats.malformed++;
      return;
    }
    const branch = via.params.get('branch');
    if (branch) {
      this.sources.set(branch, from);
      if (this.sources.size > SOURCES_REMEMBERED) this.sources.delete(this.sources.keys().next().value!);
    }
    const key =
      from.transport === 'udp' && branch && head.method !== 'ACK'
        ? Absorber.key(branch, formatHostPort(via.host, via.port ?? 5060), head.method!)
        : undefined;
    if (key) {
      const verdict = this.absorber.onRequest(key);
      // 'pending' (seen, not yet answered) goes on to sip.js: while its server transaction lives
      // it absorbs the copy itself, and if it dropped the first copy unanswered (unparsable),
      // this one deserves a hearing. A request taken before sip.js has no transaction there: its
      // copy is dropped here, and its answer is on its way.
      if (verdict.kind === 'replay') {
        this.stats.absorbed++;
        void this.udp.send(verdict.response, from.host, from.port).catch(() => {});
        return;
      }
      if (verdict.kind === 'pending' && verdict.taken) {
        this.stats.absorbed++;
        return;
      }
    }
    // RFC 3581 §4 / RFC 3261 §18.2.1: record where the request really came from so the
    // response (built by sip.js from these Via values) finds its way back through NAT.
    // A `received` the sender wrote itself is never trusted: it would let anyone aim our answers.
    let answerVia = via;
    const stamped = replaceTopVia(
      text,
      head,
      (v) => {
        const params = new Map(v.params);
        params.delete('received');
        const rport = params.has('rport') || from.transport !== 'udp';
        // RFC 3581 §4: with rport, received is set even when it equals the sent-by host.
        if (rport || unbracket(v.host) !== from.host) params.set('received', from.host);
        if (rport) params.set('rport', String(from.port));
        return (answerVia = { ...v, params });
      },
      via,
    );
    const method = head.method!;
    if (this.takeRequest?.(stamped, head, (response) => this.answer(response, answerVia, method))) {
      if (key) this.absorber.taken(key);
      return;
    }
    this.deliver(stamped);
  }

  private receiveResponse(text: string, head: MessageHead): void {
    const via = topVia(head);
    const cseq = readCSeq(head);
    if (!via || !cseq || head.status === undefined) {
      this.stats.malformed++;
      return;
    }
    const branch = via.params.get('branch');
    if (branch) {
      this.retransmitter.onResponse(branch, cseq.method, head.status);
      this.unanswered.answered(branch, cseq.method, head.status);
    }
    const received = via.params.get('received');
    const rport = via.params.get('rport');
    if (received && rport && Number(rport) > 0) this.listener.onPublicAddress?.(received, Number(rport));
    // sip.js insists on a port-less sent-by in responses (its Via check); we added the port.
    this.deliver(via.port === undefined ? text : replaceTopVia(text, head, (v) => ({ ...v, port: undefined }), via));
  }

  private deliver(text: string): void {
    try {
      this.onMessage?.(text);
    } catch (error) {
      this.stats.handlerErrors++;
      this.log.warn('sip.js failed on an inbound message; isolated', { error: error instanceof Error ? error.message : String(error) });
      const head = readHead(text);
      const via = head && topVia(head);
      if (head?.isRequest && via) {
        const transport = via.protocol.toLowerCase() as TransportKind;
        const target = responseTarget(via, 5060);
        this.answerStateless(head, { transport, host: target.host, port: target.port }, 400, 'Bad Request');
      }
    }
  }

  private answerStateless(head: MessageHead, to: Peer, status: number, reason: string): void {
    const response = statelessResponse(head, status, reason);
    if (!response) return;
    const send = to.transport === 'udp' ? this.udp.send(response, to.host, to.port) : this.connections(to.transport).send(to, response);
    void send.catch(() => {});
  }

  /** A stream flow closed: what it carried unanswered is lost; then the listener hears of it. */
  private flowClosed(peer: Peer, reason: string): void {
    for (const { branch, method } of this.unanswered.closed(peerKey(peer))) {
      this.lost.add(branch);
      if (this.lost.size > LOST_REMEMBERED) this.lost.delete(this.lost.values().next().value!);
      this.log.info('the connection closed before a request was answered', {
        peer: formatHostPort(peer.host, peer.port),
        transport: peer.transport,
        method,
      });
      try {
        this.onRequestLost?.(branch, method, `the ${peer.transport} connection closed before an answer (${reason})`);
      } catch (error) {
        this.log.warn('lost-request handler failed', { error: error instanceof Error ? error.message : String(error) });
      }
    }
    this.listener.onFlowClosed?.(peer, reason);
  }

  private transition(state: TransportState): void {
    this._state = state;
    this.emitter.emit(state);
  }
}

function failureKey(transport: TransportKind, name: string): string {
  return `${transport}:${name.toLowerCase()}`;
}
