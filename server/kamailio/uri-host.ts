import { isIPv6 } from 'node:net';

/** A host as it stands in a SIP URI or a Via: an IPv6 address in brackets. */
export function hostForUri(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
