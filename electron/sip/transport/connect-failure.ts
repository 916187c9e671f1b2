/**
 * Why Parley could not reach a SIP server, as a reason a person can act on (a `connect.*` code of
 * shared/domain/reason.ts, worded by shared/words/en.ts). The transport records
 * one of these for each server it fails to connect to (sip.js only learns "503" from a transport
 * error), and the core asks for it to explain a failed registration.
 *
 * Pure: it reads the error Node gave (its `code`, and the server's certificate where the TLS
 * handshake got that far) and never touches a socket.
 */
import type { ConnectReason } from '../../../shared/domain/reason.js';
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
  /** For the registration state or a notice. */
  reason: ConnectReason;
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
const NOT_TLS = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_UNKNOWN_PROTOCOL',
]);
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
  const base = {
    code,
    transport: attempt.transport,
    name: attempt.name,
    host: attempt.host ?? attempt.name,
    port,
    at: now,
    ...(certificate ? { certificate } : {}),
  };
  const make = (kind: ConnectFailureKind, reason: ConnectReason, retry: boolean): ConnectFailure => ({ kind, reason, retry, ...base });
  const issuer = certificate ? { issuer: certificate.issuer } : {};

  if (code && SELF_SIGNED.has(code)) {
    // The fingerprint is what a person checks with the server's administrator before trusting it.
    return make(
      'self-signed',
      { code: 'connect.self-signed', params: certificate ? { fingerprint: certificate.fingerprint256 } : {} },
      false,
    );
  }
  if (code && PRIVATE_ROOT.has(code)) return make('untrusted', { code: 'connect.private-ca', params: issuer }, false);
  if (code && UNKNOWN_ISSUER.has(code)) return make('untrusted', { code: 'connect.unknown-ca', params: issuer }, false);
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = certificate?.names ?? namesFromAltnameError(err);
    return make('wrong-name', { code: 'connect.wrong-name', params: { name: attempt.name, names } }, false);
  }
  if (code === 'CERT_HAS_EXPIRED') {
    return make('expired', { code: 'connect.expired', params: certificate ? { validTo: certificate.validTo } : {} }, true);
  }
  if (code === 'CERT_NOT_YET_VALID') {
    return make('not-yet-valid', { code: 'connect.not-yet-valid', params: certificate ? { validFrom: certificate.validFrom } : {} }, true);
  }
  if (code === 'CERT_REVOKED') return make('revoked', { code: 'connect.revoked', params: {} }, false);
  if (code && BAD_CERTIFICATE.has(code))
    return make('bad-certificate', { code: 'connect.bad-certificate', params: { error: code } }, false);
  if (code && NOT_TLS.has(code)) return make('not-tls', { code: 'connect.not-tls', params: { server: where } }, false);
  if (code === 'ECONNREFUSED') return make('refused', { code: 'connect.refused', params: { server: where, transport: proto } }, true);
  if (code === 'ERR_TLS_HANDSHAKE_TIMEOUT') return make('timeout', { code: 'connect.tls-timeout', params: { server: where } }, true);
  if (code === 'ETIMEDOUT' || /timed out/i.test(message))
    return make('timeout', { code: 'connect.timeout', params: { server: where } }, true);
  if (code && UNREACHABLE.has(code))
    return make('unreachable', { code: 'connect.unreachable', params: { server: where, error: code } }, true);
  if ((code && DNS.has(code)) || /DNS lookup failed|cannot find the SIP server/i.test(message)) {
    return make('dns', { code: 'connect.dns', params: { name: attempt.name } }, true);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(message)) {
    // Over TLS, a reset in the handshake usually means the port does not speak TLS, or refused us.
    return make('closed', { code: attempt.transport === 'tls' ? 'connect.tls-closed' : 'connect.closed', params: { server: where } }, true);
  }
  if (code?.startsWith('ERR_SSL_') || code === 'EPROTO') {
    return make('handshake', { code: 'connect.handshake', params: { server: where, alert: tlsAlert(code, message) } }, true);
  }
  return make('other', { code: 'connect.other', params: { server: where, transport: proto, error: message } }, true);
}

/**
 * Node's altname error ends with the certificate's names ("... is not in the cert's altnames:
 * DNS:a, IP Address:b" or "... cert's list: a, b"); used when no certificate came with it.
 */
function namesFromAltnameError(err: (Error & { reason?: unknown }) | undefined): string[] {
  const text = typeof err?.reason === 'string' ? err.reason : (err?.message ?? '');
  const list = /cert's (?:altnames|list): (.*)$/.exec(text)?.[1];
  return list
    ? list
        .split(/,\s*/)
        .map((n) => n.replace(/^(DNS|IP Address):/, '').trim())
        .filter(Boolean)
    : [];
}

function tlsAlert(code: string | undefined, message: string): string {
  if (!code || code === 'EPROTO') return message.replace(/^.*routines:/, '').trim() || 'protocol error';
  return code
    .replace(/^ERR_SSL_/, '')
    .replace(/^(SSLV3|TLSV1|TLSV13)_ALERT_/, '')
    .toLowerCase()
    .replace(/_/g, ' ');
}
