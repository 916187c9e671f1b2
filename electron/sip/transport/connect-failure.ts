/**
 * Why Parley could not reach a SIP server, in words a person can act on. The transport records
 * one of these for each server it fails to connect to (sip.js only learns "503" from a transport
 * error), and the core asks for it to explain a failed registration.
 *
 * Pure: it reads the error Node gave (its `code`, and the server's certificate where the TLS
 * handshake got that far) and never touches a socket.
 */
import { defaultPort, formatHostPort, type TransportKind } from './flow.js';
import { describeCertificate, type CertificateInfo } from './tls-trust.js';

export type ConnectFailureKind =
  | 'self-signed'
  | 'untrusted'
  | 'wrong-name'
  | 'expired'
  | 'not-yet-valid'
  | 'revoked'
  | 'bad-certificate'
  | 'not-tls'
  | 'handshake'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'dns'
  | 'closed'
  | 'other';

export interface ConnectFailure {
  kind: ConnectFailureKind;
  /** One or two sentences for the registration state or a notice. */
  reason: string;
  /** Whether trying again later may help without the user changing anything. */
  retry: boolean;
  /** Node's error code, for logs. */
  code?: string;
  transport: TransportKind;
  /** The server as the user named it (host name or IP), and where we connected. */
  name: string;
  host: string;
  port: number;
  /** The certificate the server presented, when the handshake got that far. */
  certificate?: CertificateInfo;
  at: number;
}

export interface ConnectAttempt {
  transport: TransportKind;
  /** Host as the user typed it (the name the certificate must carry). */
  name: string;
  /** Resolved address and port, when resolution got that far. */
  host?: string;
  port?: number;
}

/** Carries the server's certificate (DER) out of a failed TLS handshake. */
export interface CertificateCarrier {
  peerCertificate?: Buffer;
}

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT']);
const PRIVATE_ROOT = new Set(['SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
  'CERT_CHAIN_TOO_LONG',
]);
const BAD_CERTIFICATE = new Set([
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'PATH_LENGTH_EXCEEDED',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'ERR_TLS_CERT_ALTNAME_FORMAT',
]);
const NOT_TLS = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST', 'ERR_SSL_UNKNOWN_PROTOCOL']);
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL', 'EAI_AGAIN']);
const DNS = new Set(['ENOTFOUND', 'ENODATA', 'ESERVFAIL', 'EAI_NONAME', 'EAI_FAIL']);

/** Turns the error of a failed connection (or name lookup) into a ConnectFailure. */
export function explainConnectError(error: unknown, attempt: ConnectAttempt, now = Date.now()): ConnectFailure {
  const err = error instanceof Error ? (error as Error & { code?: unknown; reason?: unknown } & CertificateCarrier) : undefined;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = err?.message ?? String(error);
  const certificate = describeCertificate(err?.peerCertificate);
  const port = attempt.port ?? defaultPort(attempt.transport);
  const where = formatHostPort(attempt.host ?? attempt.name, port);
  const proto = attempt.transport.toUpperCase();
  const base = { code, transport: attempt.transport, name: attempt.name, host: attempt.host ?? attempt.name, port, at: now, ...(certificate ? { certificate } : {}) };
  // What a person checks with the server's administrator before trusting the certificate.
  const fingerprint = certificate ? ` Its SHA-256 fingerprint is ${certificate.fingerprint256}.` : '';
  const make = (kind: ConnectFailureKind, reason: string, retry: boolean): ConnectFailure => ({ kind, reason, retry, ...base });

  if (code && SELF_SIGNED.has(code)) {
    return make('self-signed', `The server's certificate is not trusted (self-signed). Trust it in the account settings.${fingerprint}`, false);
  }
  if (code && PRIVATE_ROOT.has(code)) {
    return make(
      'untrusted',
      `The server's certificate is not trusted (issued by a private certificate authority${certificate ? `, "${certificate.issuer}"` : ''}). Trust that authority's certificate in the account settings.`,
      false,
    );
  }
  if (code && UNKNOWN_ISSUER.has(code)) {
    return make(
      'untrusted',
      `The server's certificate is not trusted (issued by an authority Parley does not know${certificate ? `: "${certificate.issuer}"` : ''}). Trust that authority's certificate, or the server's own certificate, in the account settings.`,
      false,
    );
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = certificate?.names ?? namesFromAltnameError(err);
    const listed = names.length > 0 ? ` (it is for ${names.map((n) => `"${n}"`).join(', ')})` : '';
    return make(
      'wrong-name',
      `The server's certificate is not valid for "${attempt.name}"${listed}. Address the server by a name its certificate carries, or check that this is the right server.`,
      false,
    );
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return make('expired', `The server's certificate expired${certificate ? ` on ${certificate.validTo}` : ''}. Its administrator must renew it; Parley keeps trying.`, true);
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return make(
      'not-yet-valid',
      `The server's certificate is not valid yet${certificate ? ` (from ${certificate.validFrom})` : ''}. Check this computer's date and time.`,
      true,
    );
  }
  if (code === 'CERT_REVOKED') return make('revoked', "The server's certificate has been revoked. Do not trust this server until its administrator replaces it.", false);
  if (code && BAD_CERTIFICATE.has(code)) {
    return make('bad-certificate', `The server's certificate cannot be used (${code}). Its administrator must fix it.`, false);
  }
  if (code && NOT_TLS.has(code)) {
    return make('not-tls', `The server at ${where} does not speak TLS on that port. Check the port: SIP over TLS usually uses 5061.`, false);
  }
  if (code === 'ECONNREFUSED') {
    return make('refused', `Nothing accepts ${proto} connections at ${where} (connection refused). The server may be down, or the address or port is wrong.`, true);
  }
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') {
    return make(
      'timeout',
      `The server at ${where} accepted the connection but never answered the TLS handshake. It may not speak TLS on that port (SIP over TLS usually uses 5061).`,
      true,
    );
  }
  if (code === 'ETIMEDOUT' || /timed out/i.test(message)) {
    return make('timeout', `The server at ${where} did not answer (connection timed out). Parley keeps trying.`, true);
  }
  if (code && UNREACHABLE.has(code)) {
    return make('unreachable', `The server at ${where} cannot be reached from this network (${code}). Parley keeps trying.`, true);
  }
  if ((code && DNS.has(code)) || /DNS lookup failed|cannot find the SIP server/i.test(message)) {
    return make('dns', `Parley cannot find the server "${attempt.name}" (DNS lookup failed). Check the server address.`, true);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(message)) {
    const during = attempt.transport === 'tls' ? ' during the TLS handshake' : '';
    return make('closed', `The server at ${where} closed the connection${during}.${attempt.transport === 'tls' ? ' It may not speak TLS on that port, or it refused Parley.' : ''}`, true);
  }
  if (code?.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return make('handshake', `The TLS handshake with ${where} failed (${tlsAlert(code, message)}).`, true);
  }
  return make('other', `Parley could not connect to ${where} over ${proto}: ${message}`, true);
}

/**
 * Node's altname error ends with the certificate's names ("... is not in the cert's altnames:
 * DNS:a, IP Address:b" or "... cert's list: a, b"); used when no certificate came with it.
 */
function namesFromAltnameError(err: (Error & { reason?: unknown }) | undefined): string[] {
  const text = typeof err?.reason === 'string' ? err.reason : (err?.message ?? '');
  const list = /cert's (?:altnames|list): (.*)$/.exec(text)?.[1];
  return list ? list.split(/,\s*/).map((n) => n.replace(/^(DNS|IP Address):/, '').trim()).filter(Boolean) : [];
}

function tlsAlert(code: string | undefined, message: string): string {
  if (!code || code === 'EPROTO') return message.replace(/^.*routines:/, '').trim() || 'protocol error';
  return code
    .replace(/^ERR_SSL_/, '')
    .replace(/^(SSLV3|TLSV1|TLSV13)_ALERT_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
}
