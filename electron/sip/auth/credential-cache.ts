/**
 * Remembers the last digest that a server accepted, per header (Authorization for the registrar's
 * 401, Proxy-Authorization for the proxy's 407), and signs the next request through that server
 * with it, so a burst of MESSAGEs is not challenged one by one. When the nonce has gone stale the
 * server challenges again and sip.js answers that challenge as usual.
 */
import type { Digest, DigestRequest } from './digest.js';

export type AuthHeader = 'authorization' | 'proxy-authorization';

export interface AuthorizableRequest extends DigestRequest {
  setHeader(name: string, value: string): void;
  body?: { body?: string } | string;
}

export class CredentialCache {
  private readonly byHeader = new Map<AuthHeader, Digest>();

  /** sip.js answered a challenge with this digest. */
  remember(header: AuthHeader, digest: Digest): void {
    this.byHeader.set(header, digest);
  }

  forget(): void {
    this.byHeader.clear();
  }

  /**
   * Sign a new request before it is sent. REGISTER goes to the registrar (401 realm); every other
   * request through the proxy carries the proxy's credentials (407 realm).
   */
  authorize(request: AuthorizableRequest): void {
    const header: AuthHeader = request.method === 'REGISTER' ? 'authorization' : 'proxy-authorization';
    const digest = this.byHeader.get(header);
    if (digest && digest.reuseFor(request)) request.setHeader(header, digest.toString());
  }
}
