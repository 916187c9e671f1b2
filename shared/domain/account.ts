import { z } from 'zod';

/** How SIP travels between Parley and the next hop. */
export const TransportKind = z.enum(['udp', 'tcp', 'tls']);
export type TransportKind = z.infer<typeof TransportKind>;

/** A SIP or SIPS URI as the user typed it; the core parses and normalises it. */
export const SipUri = z
  .string()
  .trim()
  .min(5)
  .max(512)
  .regex(/^sips?:[^\s<>"]+$/i, 'must be a sip: or sips: URI, for example sip:alice@example.org');
export type SipUri = z.infer<typeof SipUri>;

/** host:port to listen on; port 0 means any free port. */
export const ListenAddress = z
  .string()
  .trim()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port, for example 0.0.0.0:5060');

/** Largest trusted-certificate text an account may hold (a CA bundle of a few certificates). */
export const MAX_TLS_TRUST_CHARS = 32 * 1024;

/**
 * Certificates (PEM) the user trusts for TLS beyond the system's authorities: the server's own
 * self-signed certificate, or the private CA that issued it. Verification stays on either way.
 */
export const TlsTrust = z
  .string()
  .trim()
  .max(MAX_TLS_TRUST_CHARS, `at most ${MAX_TLS_TRUST_CHARS / 1024} KiB of certificates`)
  .regex(
    /^(?:-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----\s*)+$/,
    'must be one or more PEM certificates, each from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----',
  );
export type TlsTrust = z.infer<typeof TlsTrust>;

/** An XCAP root URI: http(s), e.g. https://example.org/xcap-root. */
export const XcapRoot = z
  .string()
  .trim()
  .max(512)
  .regex(/^https?:\/\/[^\s<>"]+$/i, 'must be an http: or https: URL, for example https://example.org/xcap-root');

/**
 * An MSRP relay (RFC 4976) for chat sessions: msrp://host:port (over TCP) or msrps://host:port
 * (over TLS), optionally with ";tcp". No session-id: the relay gives one per AUTH.
 */
export const MsrpRelay = z
  .string()
  .trim()
  .max(512)
  .regex(
    /^msrps?:\/\/(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}(?:;tcp)?$/i,
    'must be msrp://host:port or msrps://host:port, for example msrps://sip.example.org:2856',
  );

/**
 * How watchers get our presence:
 *  - 'auto' (the default, also when absent): a probe at each login finds out whether the server
 *    relays watchers' SUBSCRIBEs to us (then 'direct') or answers them itself (then 'server');
 *  - 'direct': Parley answers SUBSCRIBEs itself (the proxy relays them), so each group can see a
 *    different state (per-group profiles work fully);
 *  - 'server': Parley PUBLISHes one state to the presence server, which serves every watcher it
 *    allows the same document (per-group views are not possible there).
 */
export const PresenceMode = z.enum(['auto', 'direct', 'server']);
export type PresenceMode = z.infer<typeof PresenceMode>;

/**
 * One SIP identity. Without a proxy Parley works directly (peer to peer): it listens and
 * others reach it at the address the snapshot shows.
 */
export const AccountConfig = z.object({
  aor: SipUri,
  displayName: z.string().max(128).optional(),
  authUser: z.string().min(1).max(128).optional(),
  proxy: SipUri.optional(),
  transport: TransportKind.default('udp'),
  listen: ListenAddress.optional(),
  registerExpires: z.number().int().min(30).max(86400).default(600),
  /** Over TLS: extra certificates to trust (PEM), for servers with a self-signed or private certificate. */
  tlsTrust: TlsTrust.optional(),
  /** Who serves our presence to watchers (see PresenceMode); absent means 'auto'. */
  presenceMode: PresenceMode.optional(),
  /**
   * The server's XCAP root (RFC 4825), where the contact list is kept as a resource-lists document
   * (and whose resource list server Parley then subscribes to); absent: the list stays on this device.
   */
  xcapRoot: XcapRoot.optional(),
  /**
   * The MSRP relay chat sessions go through (RFC 4976), logged in to with the account's user name
   * and password; absent: sessions connect directly to the peer.
   */
  msrpRelay: MsrpRelay.optional(),
});
export type AccountConfig = z.infer<typeof AccountConfig>;

/** What the UI may see of an account: never the password itself. */
export const AccountView = AccountConfig.extend({
  hasPassword: z.boolean(),
});
export type AccountView = z.infer<typeof AccountView>;
