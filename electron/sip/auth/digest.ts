/**
 * HTTP Digest for SIP (RFC 3261 §22.4, RFC 2617) with the SHA-256 algorithms of RFC 8760, in the
 * shape sip.js's user agent core expects from its `authenticationFactory`:
 * `authenticate(request, challenge, body)` then `toString()` for the header value.
 * Hashes come from node:crypto. qop=auth is preferred; auth-int is used only when it is the only
 * choice; a challenge we cannot meet (unknown algorithm, no realm/nonce) is declined so the
 * request fails with the server's answer rather than a wrong password.
 */
import { createHash, randomBytes } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

const HASH: Record<DigestAlgorithm, 'md5' | 'sha256'> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
};

/** What sip.js's grammar gives us for a WWW-/Proxy-Authenticate header. */
export interface Challenge {
  realm?: string;
  nonce?: string;
  opaque?: string;
  algorithm?: string;
  qop?: string[] | string;
  stale?: boolean;
}

/** The parts of an outgoing request the digest covers. */
export interface DigestRequest {
  method: string;
  ruri: { toString(): string };
}

export function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined || value === '') return 'MD5';
  const match = (Object.keys(HASH) as DigestAlgorithm[]).find((a) => a.toLowerCase() === value.toLowerCase());
  return match;
}

export class Digest {
  private algorithm: DigestAlgorithm = 'MD5';
  private realm = '';
  private nonce = '';
  private opaque?: string;
  private qop?: 'auth' | 'auth-int';
  private nc = 0;
  private cnonce = '';
  private uri = '';
  private response = '';
  /** The challenge this digest answers, for reuse on the next request of the same realm. */
  stale = false;

  constructor(
    readonly username: string,
    private readonly password: string,
  ) {}

  get challengeRealm(): string {
    return this.realm;
  }

  /** Answer a challenge for this request. Returns false when we cannot (sip.js then gives up). */
  authenticate(request: DigestRequest, challenge: Challenge, body?: string): boolean {
    const algorithm = parseAlgorithm(challenge.algorithm);
    if (!algorithm || !challenge.realm || !challenge.nonce) return false;
    const offered = (Array.isArray(challenge.qop) ? challenge.qop : challenge.qop ? String(challenge.qop).split(',') : []).map((q) =>
      q.trim().toLowerCase(),
    );
    let qop: 'auth' | 'auth-int' | undefined;
    if (offered.length > 0) {
      if (offered.includes('auth')) qop = 'auth';
      else if (offered.includes('auth-int')) qop = 'auth-int';
      else return false;
    }
    const sameNonce = challenge.nonce === this.nonce && challenge.realm === this.realm;
    this.algorithm = algorithm;
    this.realm = challenge.realm;
    this.nonce = challenge.nonce;
    this.opaque = challenge.opaque;
    this.qop = qop;
    this.stale = challenge.stale === true;
    this.nc = sameNonce ? this.nc : 0;
    this.sign(request, body);
    return true;
  }

  /**
   * Sign another request with the nonce we already hold (the server's challenge is reused, the
   * nonce count rises): saves a round trip per request. Returns false before any challenge.
   */
  reuseFor(request: DigestRequest, body?: string): boolean {
    if (!this.nonce) return false;
    this.sign(request, body);
    return true;
  }

  toString(): string {
    const parts = [
      `Digest username="${quote(this.username)}"`,
      `realm="${quote(this.realm)}"`,
      `nonce="${quote(this.nonce)}"`,
      `uri="${quote(this.uri)}"`,
      `response="${this.response}"`,
      `algorithm=${this.algorithm}`,
    ];
    if (this.opaque !== undefined) parts.push(`opaque="${quote(this.opaque)}"`);
    if (this.qop) parts.push(`qop=${this.qop}`, `cnonce="${this.cnonce}"`, `nc=${this.nc.toString(16).padStart(8, '0')}`);
    return parts.join(', ');
  }

  private sign(request: DigestRequest, body?: string): void {
    this.nc = (this.nc % 0xffffffff) + 1;
    this.cnonce = randomBytes(12).toString('hex');
    this.uri = request.ruri.toString();
    this.response = digestResponse({
      algorithm: this.algorithm,
      username: this.username,
      password: this.password,
      realm: this.realm,
      nonce: this.nonce,
      cnonce: this.cnonce,
      nc: this.nc,
      qop: this.qop,
      method: request.method,
      uri: this.uri,
      body: body ?? '',
    });
  }
}

function quote(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  username: string;
  password: string;
  realm: string;
  nonce: string;
  cnonce: string;
  nc: number;
  qop?: 'auth' | 'auth-int';
  method: string;
  uri: string;
  body: string;
}

/** The `response` value of RFC 2617 §3.2.2.1, with RFC 8760's hash where asked. */
export function digestResponse(input: DigestInputs): string {
  const h = (text: string) => createHash(HASH[input.algorithm]).update(text, 'utf8').digest('hex');
  let ha1 = h(`${input.username}:${input.realm}:${input.password}`);
  if (input.algorithm.endsWith('-sess')) ha1 = h(`${ha1}:${input.nonce}:${input.cnonce}`);
  const ha2 = input.qop === 'auth-int' ? h(`${input.method}:${input.uri}:${h(input.body)}`) : h(`${input.method}:${input.uri}`);
  if (!input.qop) return h(`${ha1}:${input.nonce}:${ha2}`);
  const nc = input.nc.toString(16).padStart(8, '0');
  return h(`${ha1}:${input.nonce}:${nc}:${input.cnonce}:${input.qop}:${ha2}`);
}
