/**
 * Builds a sip.js UserAgent on Parley's own transport: Via host and Contact set to an address
 * peers can reach, rport on every request (RFC 3581), the outbound proxy as a preloaded loose
 * route; starts it with its incoming requests routed (incoming-requests.ts) and stops it. Nothing
 * here knows about the UI or storage; what the account asks for is core/account/endpoint.ts's.
 *
 * Over TLS the Contact is `sips:` when the proxy or the address of record is (RFC 3261 §8.1.1.8:
 * a SIPS Route or Request-URI needs a SIPS Contact), else `sip:…;transport=tls`: TLS for the hop
 * to us without claiming end-to-end SIPS (RFC 5630: registering a SIPS Contact asks for SIPS
 * requests only, so plain sip: callers could be refused), and the transport parameter tells a
 * registrar without NAT handling to come back over TLS rather than UDP. Without a TLS listener
 * the transport puts the connection's local port in it (contact.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { UserAgent, type LogLevel, type URI, type UserAgentOptions } from 'sip.js';
import { TransportError } from 'sip.js/lib/core/index.js';
import type { Logger } from '../support/logger.js';
import { type TransportKind } from './transport/flow.js';
import { parseSipUri } from './transport/next-hop.js';
import { installDigest } from './auth/install.js';
import { proxyRoute } from './proxy.js';
import { routeIncoming, type IncomingHandlers } from './incoming-requests.js';
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
  /**
   * We answer SUBSCRIBE for our own presence: the REGISTER Contact carries the RFC 3840 feature
   * tag `events="presence"`, from which the bundled Kamailio relays watchers' SUBSCRIBEs to us.
   */
  servesPresence?: boolean;
  /**
   * This install's instance id (RFC 5626): the Contact user part is derived from it, so a device
   * keeps one Contact user across restarts and the account's other devices can tell it again.
   */
  instanceId?: string;
}

/** RFC 3840 §9: the event packages this device answers, as a Contact header parameter. */
export const PRESENCE_FEATURE_TAG = 'events="presence"';

/** The user agent and URI types of the SIP layer (sip.js's), for code above it that holds them. */
export type { UserAgent, URI };

/** An address as the URI sip.js builds requests from, or undefined when it is not a SIP URI. */
export function sipUri(address: string): URI | undefined {
  return UserAgent.makeURI(address);
}

export interface ContactShape {
  scheme: 'sip' | 'sips';
  params: Record<string, string>;
}

/** Scheme and URI parameters of our Contact for the transport of the flow to the proxy (see above). */
export function contactShape(transport: TransportKind, aor: string, proxy?: string): ContactShape {
  const secure = parseSipUri(aor)?.scheme === 'sips' || (proxy !== undefined && parseSipUri(proxy)?.scheme === 'sips');
  if (secure) return { scheme: 'sips', params: {} };
  return { scheme: 'sip', params: transport === 'udp' ? {} : { transport } };
}

export interface BuiltUserAgent {
  ua: UserAgent;
  transport: SipTransport;
}

export function buildUserAgent(settings: UserAgentSettings): BuiltUserAgent {
  const uri = UserAgent.makeURI(settings.aor);
  if (!uri) throw new Error(`not a SIP URI: ${settings.aor}`);
  // A stable, unguessable Contact user part: it names this device in registrations (a hash, so
  // the instance id itself is not told to whoever sees the Contact).
  const contactName = settings.instanceId
    ? createHash('sha256').update(settings.instanceId).digest('hex').slice(0, 12)
    : randomBytes(6).toString('hex');
  const contact = contactShape(settings.transport, settings.aor, settings.proxy);
  const transportOptions: SipTransportOptions = {
    listenHost: settings.listenHost,
    listenPort: settings.listenPort,
    defaultTransport: settings.transport,
    logger: settings.logger,
    tls: settings.tls,
    contactUser: contactName,
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
    viaHost: settings.advertisedHost,
    forceRport: true,
    contactName,
    contactParams: contact.params,
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
  // Our digest (MD5 and SHA-256) with a credential cache, instead of sip.js's MD5-only one.
  installDigest(ua, settings.authUser ?? uri.user ?? '', settings.password);
  // sip.js always builds a sip: Contact; the URI's scheme is settable.
  if (contact.scheme === 'sips') ua.contact.uri.scheme = 'sips';
  contactForms(ua, settings.servesPresence === true);
  const transport = ua.transport as unknown as SipTransport;
  transport.onRequestLost = (branch, method, reason) => failClientTransaction(ua, branch, method, reason);
  return { ua, transport };
}

/**
 * Our Contact in its two forms. REGISTER names the device itself (its URI, and with
 * `servesPresence` the feature tag, which belongs to the registered binding only: RFC 3840 §4).
 * Everything else (requests and responses, dialogs of SUBSCRIBE, NOTIFY and INVITE alike) names
 * our temp-gruu when the registrar gave one (RFC 5627 §3.1: it says nothing of the device, not
 * even the instance id the pub-gruu carries), else the pub-gruu, else the URI; sip.js itself
 * prefers the pub-gruu, and gives the temp-gruu only to its "anonymous" form, which is the form
 * asked for here. Peers send what they send in a dialog to it, through the registrar, which finds
 * this device alone (docs/DESIGN.md#several-devices).
 */
function contactForms(ua: UserAgent, servesPresence: boolean): void {
  const plain = ua.contact.toString;
  ua.contact.toString = (options = {}) => {
    if (options.register) return servesPresence ? `${plain(options)};${PRESENCE_FEATURE_TAG}` : plain(options);
    return plain(ua.contact.tempGruu ? { ...options, anonymous: true } : options);
  };
}

/**
 * Tell a client transaction its request was lost by the transport (RFC 3261 §17.1.4): it ends at
 * once and its user hears a 503, as for any transport error. sip.js keys its user agent clients
 * by transaction id (the branch) and method, and keeps `onTransportError` for its own send path.
 */
function failClientTransaction(ua: UserAgent, branch: string, method: string, reason: string): void {
  const client = ua.userAgentCore.userAgentClients.get(branch + method);
  const transaction = client?.transaction as unknown as { onTransportError(error: Error): void } | undefined;
  transaction?.onTransportError(new TransportError(reason));
}

/** Point the Contact at the ports we actually bound (known only after the transport connects). */
export function setContactPort(built: BuiltUserAgent, transport: TransportKind): void {
  const port = built.transport.listening[transport] ?? built.transport.listening.udp;
  if (port) built.ua.contact.uri.port = port;
}

/**
 * Build the user agent, hand its incoming requests to `handlers`, start it (the transport binds
 * its sockets) and point the Contact at the ports bound. `acceptAnyUser`: see routeIncoming().
 */
export async function startUserAgent(
  settings: UserAgentSettings,
  handlers: IncomingHandlers,
  acceptAnyUser: boolean,
): Promise<BuiltUserAgent> {
  const built = buildUserAgent(settings);
  routeIncoming(built.ua, handlers, acceptAnyUser);
  try {
    await built.ua.start();
  } catch (error) {
    // No owner will ever stop it: close whatever sockets it bound before failing.
    await built.transport.dispose().catch(() => {});
    throw error;
  }
  setContactPort(built, settings.transport);
  return built;
}

/** Stop the user agent; when sip.js cannot, close the transport's sockets all the same. */
export async function stopUserAgent(built: BuiltUserAgent): Promise<void> {
  await built.ua.stop().catch(() => built.transport.dispose());
}
