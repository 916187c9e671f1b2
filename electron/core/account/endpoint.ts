/**
 * The live SIP identity: one user agent on Parley's transport (electron/sip/user-agent.ts), for
 * the configured account or, without one, for direct mode. This file decides what the account
 * asks for (the transport, the trusted certificates, our user name and address of record, whether
 * we serve presence) and what a failure to reach the proxy says; the SIP layer assembles, starts
 * and routes. "Endpoint" in Parley means this, a SIP endpoint (a user agent, RFC 3261 §6); the
 * sockets under it are sip/transport's UdpSocket and StreamConnections.
 */
import os from 'node:os';
import type { AccountConfig, ConnectReason, ListeningAddress } from '../../../shared/ipc.js';
import type { IncomingHandlers } from '../../sip/incoming-requests.js';
import { advertisedHost, hostForUri, listeningAddresses } from '../../sip/local-address.js';
import { proxyConnectFailure, proxyTransport, resolveProxy } from '../../sip/proxy.js';
import type { ConnectFailure } from '../../sip/transport/connect-failure.js';
import { parseSipUri } from '../../sip/transport/next-hop.js';
import type { SipTransport } from '../../sip/transport/sip-transport.js';
import type { TlsSettings } from '../../sip/transport/stream-connections.js';
import { readTrust, type TrustProblem } from '../../sip/transport/tls-trust.js';
import { startUserAgent, stopUserAgent, type BuiltUserAgent, type UserAgent } from '../../sip/user-agent.js';
import type { Logger } from '../../support/logger.js';

export const USER_AGENT = 'Parley/0.1';

export interface EndpointSettings {
  account?: AccountConfig;
  password?: string;
  /** host:port; port 0 = any free port. */
  listen: string;
  logger: Logger;
  /** This install's instance id (instance-id.ts). */
  instanceId?: string;
}

/** Who takes incoming MESSAGEs and out-of-dialog SUBSCRIBEs (without onSubscribe: 489). */
export type EndpointHandlers = IncomingHandlers;

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
    this.built = await startUserAgent(
      {
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
        instanceId: this.settings.instanceId,
      },
      this.handlers,
      // Without a registrar our host:port is the address: accept whatever user part a peer typed.
      !account?.proxy,
    );
    this._listening = listeningAddresses(this.built.transport, this.host, user);
    this._aor = account?.aor ?? this._listening[0]!.uri;
  }

  /**
   * Why the last attempt to reach the account's proxy failed (DNS, connection, TLS certificate),
   * as a reason for the registration state; undefined when it last succeeded or was never tried.
   */
  proxyFailure(): ConnectFailure | undefined {
    const proxy = this.settings.account?.proxy;
    if (!proxy || !this.built) return undefined;
    const failure = proxyConnectFailure(this.built.transport, proxy, this.settings.account?.transport ?? 'udp');
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
    if (built) await stopUserAgent(built);
  }
}

export function splitHostPort(text: string): [string, string] {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`listen address must be host:port, got ${text}`);
  return [match[1]!, match[2]!];
}

function safeUserName(): string {
  try {
    const name = os.userInfo().username.replace(/[^A-Za-z0-9._-]/g, '');
    return name || 'parley';
  } catch {
    return 'parley';
  }
}
