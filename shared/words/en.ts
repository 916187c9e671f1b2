/**
 * Every reason in English: one entry per code of shared/domain/reason.ts, a function of its
 * params and of how addresses are named. To translate, copy this table; the type keeps it whole.
 */
import { describeUntil, describeView } from './presence.js';
import type { ReasonWords } from './word-reason.js';

/** "480 Temporarily Unavailable", or "480" when the server gave no phrase. */
function sipStatus(p: { status: number; phrase?: string | undefined }): string {
  return p.phrase ? `${p.status} ${p.phrase}` : String(p.status);
}

/** What the endpoint adds when the account's trusted certificates could not all be read. */
function trustNote(p: {
  trustProblem?: 'no-pem' | 'unreadable' | undefined;
  trustCertificate?: number | undefined;
  trustError?: string | undefined;
}): string {
  if (p.trustProblem === 'no-pem') return ' (Note: the trusted certificate holds no PEM certificate (-----BEGIN CERTIFICATE-----).)';
  if (p.trustProblem === 'unreadable') {
    const which = p.trustCertificate !== undefined ? `trusted certificate ${p.trustCertificate}` : 'a trusted certificate';
    return ` (Note: ${which} cannot be read${p.trustError ? ` (${p.trustError})` : ''}.)`;
  }
  return '';
}

/** ", until 17:00 (Europe/Berlin)" when the view ends at a known time, else nothing. */
function until(p: { until?: number | undefined; at?: number | undefined; timeZone?: string | undefined }): string {
  return p.until !== undefined && p.at !== undefined && p.timeZone ? `, ${describeUntil(p.until, p.at, p.timeZone)}` : '';
}

function lost(cause: string): string {
  return `Connection to the server lost: ${cause}. Parley is reconnecting.`;
}

/** A registration that ended with a SIP status and no reason of its own. */
function registerStatus(status: number | undefined): string {
  switch (status) {
    case undefined:
      return 'The registration did not succeed.';
    case 401:
    case 407:
      return 'The server refused the password (or the authentication user name).';
    case 403:
      return 'The server refused this account (forbidden).';
    case 404:
      return 'The server does not know this user.';
    case 408:
      return 'The server did not answer in time.';
    case 423:
      return 'The server wants a longer registration interval.';
    case 503:
      return 'The server is not available right now.';
    default:
      return `The server answered ${status}.`;
  }
}

export const EN: ReasonWords = {
  'register.bad-password': (p) => `The server refused the password for ${p.user}. Check the password and the authentication user name.`,
  'register.forbidden': (p) =>
    `The server does not allow ${p.user} to register here (403 Forbidden). Check the user name, password and domain.`,
  'register.unknown-user': (p) => `The server does not know the user ${p.user} (404 Not Found). Check the address.`,
  'register.timeout': () => 'The server did not answer in time. Parley keeps trying.',
  'register.interval-too-short': () => 'The server wanted a longer registration interval and did not accept the one offered.',
  'register.server-busy': (p) => `The server could not register you right now (${sipStatus(p)}). Parley keeps trying.`,
  'register.unreachable': () => 'The server cannot be reached or is unavailable. Parley keeps trying.',
  'register.failed': (p) => `Registration failed: ${sipStatus(p)}.`,
  'register.not-sent': (p) => `Parley could not send the registration: ${p.error}`,
  'register.status': (p) => registerStatus(p.status),

  'listen.failed': (p) => `Parley cannot listen on ${p.address}: ${p.error}`,

  'connection.closed': (p) => lost(`the connection to the server closed (${p.error})`),
  'connection.no-pong': () => lost('the server stopped answering keep-alives'),
  'connection.keepalive-failed': (p) => lost(`keep-alive failed: ${p.error}`),
  'connection.no-answer': () => lost('the server does not answer'),
  'connection.server-down': () => lost('the server is not running (its port is closed)'),

  'connect.self-signed': (p) =>
    `The server's certificate is not trusted (self-signed). Trust it in the account settings.${p.fingerprint ? ` Its SHA-256 fingerprint is ${p.fingerprint}.` : ''}${trustNote(p)}`,
  'connect.private-ca': (p) =>
    `The server's certificate is not trusted (issued by a private certificate authority${p.issuer ? `, "${p.issuer}"` : ''}). Trust that authority's certificate in the account settings.${trustNote(p)}`,
  'connect.unknown-ca': (p) =>
    `The server's certificate is not trusted (issued by an authority Parley does not know${p.issuer ? `: "${p.issuer}"` : ''}). Trust that authority's certificate, or the server's own certificate, in the account settings.${trustNote(p)}`,
  'connect.wrong-name': (p) =>
    `The server's certificate is not valid for "${p.name}"${p.names.length > 0 ? ` (it is for ${p.names.map((n) => `"${n}"`).join(', ')})` : ''}. Address the server by a name its certificate carries, or check that this is the right server.${trustNote(p)}`,
  'connect.expired': (p) =>
    `The server's certificate expired${p.validTo ? ` on ${p.validTo}` : ''}. Its administrator must renew it; Parley keeps trying.${trustNote(p)}`,
  'connect.not-yet-valid': (p) =>
    `The server's certificate is not valid yet${p.validFrom ? ` (from ${p.validFrom})` : ''}. Check this computer's date and time.${trustNote(p)}`,
  'connect.revoked': (p) =>
    `The server's certificate has been revoked. Do not trust this server until its administrator replaces it.${trustNote(p)}`,
  'connect.bad-certificate': (p) => `The server's certificate cannot be used (${p.error}). Its administrator must fix it.${trustNote(p)}`,
  'connect.not-tls': (p) =>
    `The server at ${p.server} does not speak TLS on that port. Check the port: SIP over TLS usually uses 5061.${trustNote(p)}`,
  'connect.refused': (p) =>
    `Nothing accepts ${p.transport} connections at ${p.server} (connection refused). The server may be down, or the address or port is wrong.${trustNote(p)}`,
  'connect.tls-timeout': (p) =>
    `The server at ${p.server} accepted the connection but never answered the TLS handshake. It may not speak TLS on that port (SIP over TLS usually uses 5061).${trustNote(p)}`,
  'connect.timeout': (p) => `The server at ${p.server} did not answer (connection timed out). Parley keeps trying.${trustNote(p)}`,
  'connect.unreachable': (p) =>
    `The server at ${p.server} cannot be reached from this network (${p.error}). Parley keeps trying.${trustNote(p)}`,
  'connect.dns': (p) => `Parley cannot find the server "${p.name}" (DNS lookup failed). Check the server address.${trustNote(p)}`,
  'connect.closed': (p) => `The server at ${p.server} closed the connection.${trustNote(p)}`,
  'connect.tls-closed': (p) =>
    `The server at ${p.server} closed the connection during the TLS handshake. It may not speak TLS on that port, or it refused Parley.${trustNote(p)}`,
  'connect.handshake': (p) => `The TLS handshake with ${p.server} failed (${p.alert}).${trustNote(p)}`,
  'connect.other': (p) => `Parley could not connect to ${p.server} over ${p.transport}: ${p.error}${trustNote(p)}`,

  'delivery.unknown-user': (p, name) => `${name(p.peer)} is not a known user on that server.`,
  'delivery.offline': (p, name) => `${name(p.peer)} is offline and the server could not keep the message.`,
  'delivery.timeout': (p, name) => `No answer from ${name(p.peer)} or the server in time.`,
  'delivery.unsupported': (p, name) => `${name(p.peer)} does not accept this kind of message.`,
  'delivery.refused': () => 'The server refused to pass the message on (check your account and password).',
  'delivery.too-large': () => 'The message is too large for the server or the recipient.',
  'delivery.declined': (p, name) => `${name(p.peer)} declined the message.`,
  'delivery.unreachable': () => 'The server could not be reached. Parley will try again when the connection returns.',
  'delivery.failed': (p) => `Not delivered: ${sipStatus(p)}.`,
  'delivery.connection-lost': (p) =>
    `The server closed the connection each time this message was sent (${p.times} times) without answering. It may be too large for the server. Send it again to try once more.`,
  'delivery.no-outcome': () => 'No outcome came in time.',

  'relay.bad-credentials': (p) => `The MSRP relay ${p.relay} refused the user name or password (401): chats go by paging mode.`,
  'relay.refused': (p) => `The MSRP relay ${p.relay} refused the login (${sipStatus(p)}): chats go by paging mode.`,
  'relay.unreachable': (p) => `The MSRP relay ${p.relay} cannot be reached (${p.error}): chats go by paging mode.`,
  'subscription.no-notify': (p, name) => `No presence came from ${name(p.peer)} in time. Parley tries again.`,
  'subscription.refresh-late': (p, name) => `${name(p.peer)}'s presence could not be refreshed in time. Parley subscribes again.`,
  'subscription.not-sent': (p, name) => `Parley could not subscribe to ${name(p.peer)}. It tries again.`,
  'subscription.keeps-ending': (p, name) => `The presence subscription to ${name(p.peer)} keeps ending. Parley tries again.`,
  'subscription.rejected': (p, name) => `${name(p.peer)} did not allow you to see their presence.`,
  'subscription.no-resource': (p, name) => `There is no presence for ${name(p.peer)}: the address does not exist on their server.`,
  'subscription.invariant': (p, name) => `The server of ${name(p.peer)} cannot keep a presence subscription for them.`,
  'subscription.paused': (p, name) => `The server of ${name(p.peer)} ended the presence subscription for now. Parley tries again later.`,
  'subscription.ended': (p, name) => `The presence subscription to ${name(p.peer)} ended. Parley subscribes again.`,
  'subscription.timeout': (p, name) => `The server did not answer in time while subscribing to ${name(p.peer)}. Parley keeps trying.`,
  'subscription.unavailable': (p, name) => `${name(p.peer)} cannot be reached right now. Parley keeps trying.`,
  'subscription.unreachable': (p, name) =>
    `The server cannot be reached or is unavailable, so ${name(p.peer)}'s presence is not up to date. Parley keeps trying.`,
  'subscription.server-error': (p, name) =>
    `The server could not subscribe to ${name(p.peer)} right now (${sipStatus(p)}). Parley keeps trying.`,
  'subscription.bad-credentials': (p, name) =>
    `The server refused Parley's credentials when subscribing to ${name(p.peer)}. Check the password.`,
  'subscription.forbidden': (p, name) => `The server does not let you watch ${name(p.peer)} (403 Forbidden).`,
  'subscription.unknown-user': (p, name) => `The server does not know ${name(p.peer)} (${sipStatus(p)}). Check the address.`,
  'subscription.not-offered': (p, name) => `${name(p.peer)} does not offer presence (${sipStatus(p)}).`,
  'subscription.bad-format': (p, name) => `${name(p.peer)} cannot send presence in a format Parley reads (${sipStatus(p)}).`,
  'subscription.declined': (p, name) => `${name(p.peer)} declined to share their presence with you.`,
  'subscription.failed': (p, name) => `Subscribing to ${name(p.peer)}'s presence failed (${sipStatus(p)}).`,

  'view.pending': (p, name) =>
    `${name(p.watcher)} is waiting for your permission, so they see ${describeView(p)}: nothing real is shown until you allow them`,
  'view.blocked': (p, name) => `${name(p.watcher)} is blocked, so they see ${describeView(p)}, exactly as if you were offline`,
  'view.manual': (p) => `Everyone you allow sees ${describeView(p)} — set by hand${until(p)}`,
  'view.manual-until-cleared': (p) => `Everyone you allow sees ${describeView(p)} — set by hand, until you clear it`,
  'view.everyone': (p) => `Everyone else sees ${describeView(p)} — profile ${p.profile}${until(p)}`,
  'view.group': (p) => `${p.group} see ${describeView(p)} — profile ${p.profile}${until(p)}`,
  'view.group-as-everyone': (p) => `${p.group} (like everyone else) see ${describeView(p)} — profile ${p.profile}${until(p)}`,

  legacy: (p) => p.text,
};
