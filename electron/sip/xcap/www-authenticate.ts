/**
 * An HTTP WWW-Authenticate Digest challenge (RFC 7616 §3.3) read into the shape sip/auth/digest.ts
 * answers. XCAP runs over plain HTTP, where sip.js's grammar (which parses the SIP header for SIP
 * requests) is not at hand. Only the first Digest challenge is read; anything unreadable is none.
 */
import type { Challenge } from '../auth/digest.js';

const PARAM = /\s*([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("((?:[^"\\]|\\.)*)"|[^\s,"]+)\s*(,|$)/y;

export function parseDigestChallenge(header: string): Challenge | undefined {
  if (header.length > 4096) return undefined;
  const start = /^\s*Digest\s+/i.exec(header);
  if (!start) return undefined;
  const params = new Map<string, string>();
  PARAM.lastIndex = start[0].length;
  let match: RegExpExecArray | null;
  while (PARAM.lastIndex < header.length && (match = PARAM.exec(header))) {
    const value = match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]!;
    params.set(match[1]!.toLowerCase(), value);
    if (match[4] === '') break;
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || !nonce) return undefined;
  return {
    realm,
    nonce,
    opaque: params.get('opaque'),
    algorithm: params.get('algorithm'),
    qop: params
      .get('qop')
      ?.split(',')
      .map((q) => q.trim()),
    stale: params.get('stale')?.toLowerCase() === 'true',
  };
}
