/**
 * Builds a sip.js UserAgent on Parley's own transport: Via host and Contact set to an address
 * peers can reach, rport on every request (RFC 3581), the outbound proxy as a preloaded loose
 * route. Nothing here knows about the UI or storage.
 */
import { randomBytes } from 'node:crypto';
import { UserAgent, type LogLevel, type UserAgentOptions } from 'sip.js';
import type { Logger } from '../core/logger.js';
import { type TransportKind } from './transport/flow.js';
import { parseSipUri } from './transport/next-hop.js';
import { SipTransport, type SipTransportOptions } from './transport/sip-transport.js';

export interface UserAgentSettings {
  aor: string;
  displayName?: string;
  authUser?: string;
  password?: string;
  proxy?: string;
  transport: TransportKind;
  listenHost: string;
  listenPort: number;
  /** Address written into Via and Contact. */
  advertisedHost: string;
  userAgentString: string;
  logger: Logger;
  tls?: SipTransportOptions['tls'];
}

export interface BuiltUserAgent {
  ua: UserAgent;
  transport: SipTransport;
}

/** The proxy URI as a loose route, with our transport choice made explicit. */
export function proxyRoute(proxy: string, transport: TransportKind): string {
  const uri = parseSipUri(proxy);
  if (!uri) throw new Error(`not a SIP URI: ${proxy}`);
  const host = uri.host.includes(':') ? `[${uri.host}]` : uri.host;
  const chosen = uri.params.get('transport') ?? (uri.scheme === 'sips' ? undefined : transport === 'udp' ? undefined : transport);
  return `<${uri.scheme}:${host}${uri.port ? ':' + uri.port : ''};lr${chosen ? ';transport=' + chosen : ''}>`;
}

export function buildUserAgent(settings: UserAgentSettings): BuiltUserAgent {
  const uri = UserAgent.makeURI(settings.aor);
  if (!uri) throw new Error(`not a SIP URI: ${settings.aor}`);
  const transportOptions: SipTransportOptions = {
    listenHost: settings.listenHost,
    listenPort: settings.listenPort,
    defaultTransport: settings.transport,
    logger: settings.logger,
    tls: settings.tls,
  };
  const log = settings.logger;
  const levelMap: Record<string, (message: string) => void> = {
    error: (m) => log.warn(`sip.js: ${m}`),
    warn: (m) => log.debug(`sip.js: ${m}`),
    log: () => {},
    debug: () => {},
  };
  const options: UserAgentOptions = {
    uri,
    displayName: settings.displayName,
    authorizationUsername: settings.authUser ?? uri.user,
    authorizationPassword: settings.password,
    viaHost: settings.advertisedHost,
    forceRport: true,
    // A stable, unguessable Contact user part: it names this device in registrations.
    contactName: randomBytes(6).toString('hex'),
    contactParams: settings.transport === 'udp' ? {} : { transport: settings.transport },
    preloadedRouteSet: settings.proxy ? [proxyRoute(settings.proxy, settings.transport)] : [],
    userAgentString: settings.userAgentString,
    logBuiltinEnabled: false,
    logLevel: 'warn' as LogLevel,
    logConnector: (level, category, _label, content) => levelMap[level]?.(`${category}: ${content}`),
    reconnectionAttempts: 0,
    // sip.js instantiates the transport itself; this subclass carries our options in.
    transportConstructor: class extends SipTransport {
      constructor() {
        super(transportOptions);
      }
    },
  };
  const ua = new UserAgent(options);
  return { ua, transport: ua.transport as unknown as SipTransport };
}

/** Point the Contact at the ports we actually bound (known only after the transport connects). */
export function setContactPort(built: BuiltUserAgent, transport: TransportKind): void {
  const port = built.transport.listening[transport] ?? built.transport.listening.udp;
  if (port) built.ua.contact.uri.port = port;
}
