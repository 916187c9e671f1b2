/**
 * Puts Parley's digest (MD5 and SHA-256, RFC 8760) and the credential cache into a sip.js user
 * agent core: sip.js asks `authenticationFactory` for credentials on a 401/407 and, through our
 * patch, calls `onAuthorized` with them and `preauthorize` for each new request.
 */
import type { UserAgent } from 'sip.js';
import { CredentialCache, type AuthHeader, type AuthorizableRequest } from './credential-cache.js';
import { Digest } from './digest.js';

export function installDigest(ua: UserAgent, username: string, password: string | undefined): CredentialCache {
  const cache = new CredentialCache();
  const configuration = ua.userAgentCore.configuration;
  // sip.js types this as its own DigestAuthentication; ours has the same two methods it calls.
  configuration.authenticationFactory = (() =>
    password === undefined ? undefined : new Digest(username, password)) as unknown as typeof configuration.authenticationFactory;
  configuration.onAuthorized = (header, credentials) => {
    if (credentials instanceof Digest) cache.remember(header as AuthHeader, credentials);
  };
  configuration.preauthorize = (message) => cache.authorize(message as unknown as AuthorizableRequest);
  return cache;
}
