/**
 * Why something failed or is waiting, as data: a code from a closed list and the facts it needs
 * (`params`). The core sends these; the words are made where they are shown, from one table
 * (shared/words/en.ts), so the screen can name a contact as the user knows them and a translation
 * is one more table. Every reason has the one shape `{ code, params? }`; a code without facts has
 * no `params`.
 *
 * Param names used throughout: `user` (the account's user part), `peer` (an address, which the
 * screen names), `status` and `phrase` (a SIP status code and the reason phrase that came with
 * it), `server` (host:port), `error` (a technical detail from the system, not translated).
 */
import { z } from 'zod';
import { Availability } from './availability.js';

const Text = z.string();
const Status = z.number().int();
/** The SIP answer behind a reason: its status code and the phrase that came with it, if any. */
const SipAnswer = { status: Status, phrase: Text.optional() };

function bare<const C extends string>(code: C) {
  return z.object({ code: z.literal(code) });
}

function withParams<const C extends string, S extends z.ZodRawShape>(code: C, params: S) {
  return z.object({ code: z.literal(code), params: z.object(params) });
}

/** A code whose only fact is the peer it is about. */
function aboutPeer<const C extends string>(code: C) {
  return withParams(code, { peer: Text });
}

/**
 * What the endpoint adds to a refused connection when the account's trusted certificates could
 * not all be read: the first problem, so the user looks at that field (the log has every one).
 */
const TrustNote = {
  /** 'no-pem': the text holds no certificate at all; 'unreadable': certificate `trustCertificate` cannot be read. */
  trustProblem: z.enum(['no-pem', 'unreadable']).optional(),
  trustCertificate: z.number().int().optional(),
  trustError: Text.optional(),
};

/** A presence view in facts: what is shown, and until when (`until` read in `timeZone`, as of `at`). */
const Seen = {
  availability: Availability,
  note: Text.optional(),
};
const Until = {
  until: z.number().optional(),
  at: z.number().optional(),
  timeZone: Text.optional(),
};

export const Reason = z.discriminatedUnion('code', [
  // A REGISTER the registrar refused or did not answer (account/registration-reasons.ts).
  withParams('register.bad-password', { user: Text }),
  withParams('register.forbidden', { user: Text }),
  withParams('register.unknown-user', { user: Text }),
  bare('register.timeout'),
  bare('register.interval-too-short'),
  withParams('register.server-busy', SipAnswer),
  bare('register.unreachable'),
  withParams('register.failed', SipAnswer),
  withParams('register.not-sent', { error: Text }),
  /** A registration state that carries a SIP status and no reason of its own: worded from the status. */
  withParams('register.status', { status: Status.optional() }),
  // Parley could not open its listening address.
  withParams('listen.failed', { address: Text, error: Text }),
  // The flow to the server died (account/flow-monitor.ts); Parley reconnects.
  withParams('connection.closed', { error: Text }),
  bare('connection.no-pong'),
  withParams('connection.keepalive-failed', { error: Text }),
  bare('connection.no-answer'),
  bare('connection.server-down'),
  // The server could not be reached at all (sip/transport/connect-failure.ts).
  withParams('connect.self-signed', { fingerprint: Text.optional(), ...TrustNote }),
  withParams('connect.private-ca', { issuer: Text.optional(), ...TrustNote }),
  withParams('connect.unknown-ca', { issuer: Text.optional(), ...TrustNote }),
  /** `names`: the names the certificate is for. */
  withParams('connect.wrong-name', { name: Text, names: z.array(Text), ...TrustNote }),
  withParams('connect.expired', { validTo: Text.optional(), ...TrustNote }),
  withParams('connect.not-yet-valid', { validFrom: Text.optional(), ...TrustNote }),
  withParams('connect.revoked', { ...TrustNote }),
  withParams('connect.bad-certificate', { error: Text, ...TrustNote }),
  withParams('connect.not-tls', { server: Text, ...TrustNote }),
  /** `transport`: 'UDP', 'TCP' or 'TLS'. */
  withParams('connect.refused', { server: Text, transport: Text, ...TrustNote }),
  withParams('connect.tls-timeout', { server: Text, ...TrustNote }),
  withParams('connect.timeout', { server: Text, ...TrustNote }),
  withParams('connect.unreachable', { server: Text, error: Text, ...TrustNote }),
  withParams('connect.dns', { name: Text, ...TrustNote }),
  withParams('connect.closed', { server: Text, ...TrustNote }),
  withParams('connect.tls-closed', { server: Text, ...TrustNote }),
  /** `alert`: the TLS alert or error, in the library's words. */
  withParams('connect.handshake', { server: Text, alert: Text, ...TrustNote }),
  withParams('connect.other', { server: Text, transport: Text, error: Text, ...TrustNote }),
  // A MESSAGE that was not delivered (conversations/delivery-reasons.ts).
  aboutPeer('delivery.unknown-user'),
  aboutPeer('delivery.offline'),
  aboutPeer('delivery.timeout'),
  aboutPeer('delivery.unsupported'),
  bare('delivery.refused'),
  bare('delivery.too-large'),
  aboutPeer('delivery.declined'),
  bare('delivery.unreachable'),
  withParams('delivery.failed', SipAnswer),
  /** The connection closed under it unanswered `times` times: Parley stopped sending it by itself. */
  withParams('delivery.connection-lost', { times: z.number().int() }),
  /** The CLI gave up waiting for the outcome. */
  bare('delivery.no-outcome'),
  // The account's MSRP relay would not take a chat session (`relay`: its URI; core/sessions/relay.ts).
  /** It refused the user name or password (401). */
  withParams('relay.bad-credentials', { relay: Text }),
  /** It refused the login with another status (an MSRP status, with its comment as `phrase`). */
  withParams('relay.refused', { relay: Text, ...SipAnswer }),
  /** It could not be reached, or did not answer. */
  withParams('relay.unreachable', { relay: Text, error: Text }),
  // Our presence subscription to `peer` (presence/subscriber/retry-policy.ts, event-subscription.ts).
  aboutPeer('subscription.no-notify'),
  aboutPeer('subscription.refresh-late'),
  aboutPeer('subscription.not-sent'),
  aboutPeer('subscription.keeps-ending'),
  aboutPeer('subscription.rejected'),
  aboutPeer('subscription.no-resource'),
  aboutPeer('subscription.invariant'),
  aboutPeer('subscription.paused'),
  aboutPeer('subscription.ended'),
  aboutPeer('subscription.timeout'),
  aboutPeer('subscription.unavailable'),
  aboutPeer('subscription.unreachable'),
  withParams('subscription.server-error', { peer: Text, ...SipAnswer }),
  aboutPeer('subscription.bad-credentials'),
  aboutPeer('subscription.forbidden'),
  withParams('subscription.unknown-user', { peer: Text, ...SipAnswer }),
  withParams('subscription.not-offered', { peer: Text, ...SipAnswer }),
  withParams('subscription.bad-format', { peer: Text, ...SipAnswer }),
  aboutPeer('subscription.declined'),
  withParams('subscription.failed', { peer: Text, ...SipAnswer }),
  // What a watcher (`watcher`, an address) or a group sees, and why (presence/policy/watcher-view.ts).
  withParams('view.pending', { watcher: Text, ...Seen }),
  withParams('view.blocked', { watcher: Text, ...Seen }),
  withParams('view.manual', { ...Seen, ...Until }),
  withParams('view.manual-until-cleared', { ...Seen }),
  /** `profile`: the active profile's name; `group`: the name of the group whose view applies. */
  withParams('view.everyone', { profile: Text, ...Seen, ...Until }),
  withParams('view.group', { group: Text, profile: Text, ...Seen, ...Until }),
  /** A group the profile does not name: it sees what everyone else sees. */
  withParams('view.group-as-everyone', { group: Text, profile: Text, ...Seen, ...Until }),
  /** A sentence stored before reasons were data (old message rows): shown as it was. */
  withParams('legacy', { text: Text }),
]);
export type Reason = z.infer<typeof Reason>;
export type ReasonCode = Reason['code'];

/** Every code, for tests that must cover them all. */
export const REASON_CODES: readonly ReasonCode[] = Reason.options.map((option) => option.shape.code.value);

/** The facts of one code (an empty object for a code without any). */
export type ReasonParams<C extends ReasonCode> = Extract<Reason, { code: C }> extends { params: infer P } ? P : Record<string, never>;

/** Whether two reasons say the same (a repeated decision is no news). */
export function sameReason(a: Reason | undefined, b: Reason | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b));
}

/** The connection failures, for the transport's own type. */
export type ConnectReason = Extract<Reason, { code: `connect.${string}` }>;
