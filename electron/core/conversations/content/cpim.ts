/**
 * message/cpim (RFC 3862) as it arrives inside a SIP MESSAGE: the CPIM message headers, a blank
 * line, the MIME headers of the payload, a blank line, the payload. We take the payload, its
 * Content-Type and the DateTime; the CPIM From is not used for threading, because the SIP From
 * is what the proxy authenticated and the CPIM body is whatever the sender wrote.
 */

export interface CpimMessage {
  /** Message headers, names as written (case kept), first value of each. */
  headers: Map<string, string>;
  contentType: string;
  body: string;
  /** Epoch ms of the DateTime header, when present and valid. */
  dateTime?: number;
}

/** Headers before a blank line: [headers, rest] or undefined when there is no blank line. */
function splitHeaders(text: string): [Map<string, string>, string] | undefined {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return undefined;
  const headers = new Map<string, string>();
  for (const line of text.slice(0, match.index).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return [headers, text.slice(match.index + match[0].length)];
}

/** Parses a CPIM wrapper; undefined when it is not one (no two header blocks). */
export function parseCpim(text: string): CpimMessage | undefined {
  const outer = splitHeaders(text);
  if (!outer) return undefined;
  const inner = splitHeaders(outer[1]);
  if (!inner) return undefined;
  const [headers] = outer;
  const [mime, body] = inner;
  const dateTime = headers.has('datetime') ? Date.parse(headers.get('datetime')!) : NaN;
  return {
    headers,
    contentType: mime.get('content-type') ?? 'text/plain',
    body,
    ...(Number.isFinite(dateTime) ? { dateTime } : {}),
  };
}
