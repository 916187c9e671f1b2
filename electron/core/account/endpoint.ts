/**
 * The live SIP identity: one sip.js UserAgent on Parley's transport, for the configured account
 * or, without one, for direct mode. It binds the sockets, works out the address peers can reach
 * us at, and hands incoming requests to the services that own them. "Endpoint" in Parley means
 * this, a SIP endpoint (a user agent, RFC 3261 §6); the sockets under it are sip/transport's
 * UdpSocket and StreamConnections.
 */
import os from 'node:os';
import type { Invitation, Message, UserAgent } from 'sip.js';
import type { IncomingSubscribeRequest } from 'sip.js/lib/core/index.js';
import type { AccountConfig, ConnectReason, ListeningAddress } from '../../../shared/ipc.js';
import { advertisedHost } from '../../sip/local-address.js';
import type { ConnectFailure } from '../../sip/transport/connect-failure.js';
import { parseSipUri, uriTarget } from '../../sip/transport/next-hop.js';
import { DnsResolver } from '../../sip/transport/resolver.js';
import type { SipTransport } from '../../sip/transport/sip-transport.js';
import type { TlsSettings } from '../../sip/transport/stream-connections.js';
import { readTrust, type TrustProblem } from '../../sip/transport/tls-trust.js';
import { buildUserAgent, proxyRoute, proxyTransport, setContactPort, type BuiltUserAgent } from '../../sip/user-agent.js';
import type { Logger } from '../../support/logger.js';

export const USER_AGENT = 'Parley/0.1';

export interface EndpointSettings {
  account?: AccountConfig;
  password?: string;
  /** host:port; port 0 = any free port. */
  listen: string;
  logger: Logger;
}

export interface EndpointHandlers {
  onMessage(message: Message): void;
  /** An out-of-dialog SUBSCRIBE (the presence notifier); without a handler it gets 489. */
  onSubscribe?(request: IncomingSubscribeRequest): void;
  /** An INVITE (session-mode chat, core/sessions/); without a handler sip.js answers 486. */
  onInvite?(invitation: Invitation): void;
}

export class Endpoint {
  private built?: BuiltUserAgent;
  private host = '127.0.0.1';
  private _aor = '';
  private _listening: ListeningAddress[] = [];
  /** Trusted certificates from the account that could not be read (said in failure reasons). */
  private trustProblems: TrustProblem[] = [];

  constructor(
    private readonly settings: EndpointSettings,
    private readonly handlers: EndpointHandlers,
  ) {}

  get ua(): UserAgent {
    if (!this.built) throw new Error('endpoint not started');
    return this.built.ua;
  }

  get transport(): SipTransport {
    if (!this.built) throw new Error('endpoint not started');
    return this.built.transport;
  }

  /** Our address of record: the account's, or in direct mode the address we listen at. */
  get aor(): string {
    return this._aor;
  }

  get listening(): ListeningAddress[] {
    return this._listening;
  }

  get account(): AccountConfig | undefined {
    return this.settings.account;
  }

  async start(): Promise<void> {
    const { account, logger } = this.settings;
    const [listenHost, listenPortText] = splitHostPort(this.settings.listen);
    // The flow to the proxy decides: a sips: proxy or one with transport=tls means TLS whatever the menu says.
    const transport = proxyTransport(account?.proxy, account?.transport ?? 'udp');
    const proxyHop = account?.proxy ? await resolveProxy(account.proxy, transport) : undefined;
    const trust = readTrust(account?.tlsTrust);
    this.trustProblems = trust.problems;
    for (const problem of trust.problems) logger.warn('account TLS trust', { problem });
    // No certificate of our own yet: TLS is client-only (a TLS listener needs tls.cert + tls.key).
    const tls: TlsSettings = trust.certificates.length > 0 ? { ca: trust.certificates } : {};
    this.host = await advertisedHost(listenHost, proxyHop);
    const user = account ? (parseSipUri(account.aor)?.user ?? 'parley') : safeUserName();
    this.built = buildUserAgent({
      aor: account?.aor ?? `sip:${user}@${hostForUri(this.host)}`,
      displayName: account?.displayName,
      authUser: account?.authUser,
      password: this.settings.password,
      proxy: account?.proxy,
      transport,
      listenHost,
      listenPort: Number(listenPortText),
      advertisedHost: this.host,
      userAgentString: USER_AGENT,
      logger,
      tls,
      // Direct presence (the default): the registrar learns from our Contact that we serve it.
      servesPresence: account?.presenceMode !== 'server',
    });
    this.built.ua.delegate = {
      onMessage: (message) => this.handlers.onMessage(message),
      onSubscribeRequest: (request) =>
        this.handlers.onSubscribe ? this.handlers.onSubscribe(request) : request.reject({ statusCode: 489 }),
      ...(this.handlers.onInvite ? { onInvite: (invitation: Invitation) => this.handlers.onInvite!(invitation) } : {}),
    };
    // Without a registrar our host:port is the address: accept whatever user part a peer typed.
    if (!account?.proxy) this.built.ua.userAgentCore.configuration.acceptAnyRequestUser = true;
    await this.built.ua.start();
    setContactPort(this.built, transport);
    const ports = this.built.transport.listening;
    this._listening = (['udp', 'tcp', 'tls'] as const)
      .filter((kind) => ports[kind] !== undefined)
      .map((kind) => ({
        transport: kind,
        host: this.host,
        port: ports[kind]!,
        uri: `${kind === 'tls' ? 'sips' : 'sip'}:${user}@${hostForUri(this.host)}:${ports[kind]}${kind === 'tcp' ? ';transport=tcp' : ''}`,
      }));
    this._aor = account?.aor ?? this._listening[0]!.uri;
  }

  /**
   * Why the last attempt to reach the account's proxy failed (DNS, connection, TLS certificate),
   * as a reason for the registration state; undefined when it last succeeded or was never tried.
   * sip.js reports such a failure only as a synthetic 503 without headers.
   */
  proxyFailure(): ConnectFailure | undefined {
    const proxy = this.settings.account?.proxy;
    if (!proxy || !this.built) return undefined;
    const route = parseSipUri(proxyRoute(proxy, proxyTransport(proxy, this.settings.account?.transport ?? 'udp')));
    if (!route) return undefined;
    const target = uriTarget(route, 'udp');
    const failure = this.built.transport.failureFor(target.host, target.transport);
    const problem = this.trustProblems[0];
    if (!failure || !problem || failure.retry) return failure;
    // A certificate refused while the user's trusted certificate could not be read: say so. Every
    // connect code carries these params, so the reason keeps its code's type.
    const note =
      problem.kind === 'no-pem'
        ? { trustProblem: problem.kind }
        : { trustProblem: problem.kind, trustCertificate: problem.certificate, trustError: problem.error };
    return { ...failure, reason: { ...failure.reason, params: { ...failure.reason.params, ...note } } as ConnectReason };
  }

  async stop(): Promise<void> {
    const built = this.built;
    this.built = undefined;
    if (built) await built.ua.stop().catch(() => built.transport.dispose());
  }
}

async function resolveProxy(proxy: string, transport: 'udp' | 'tcp' | 'tls'): Promise<{ host: string; port: number } | undefined> {
  const uri = parseSipUri(proxy);
  if (!uri) return undefined;
  try {
    return await new DnsResolver().resolve(uri.host, uri.port, uri.scheme === 'sips' ? 'tls' : transport);
  } catch {
    return undefined;
  }
}

export function splitHostPort(text: string): [string, string] {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`listen address must be host:port, got ${text}`);
  return [match[1]!, match[2]!];
}

function hostForUri(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function safeUserName(): string {
  try {
    const name = os.userInfo().username.replace(/[^A-Za-z0-9._-]/g, '');
    return name || 'parley';
  } catch {
    return 'parley';
  }
}
