/**
 * message/cpim (RFC 3862) as it arrives inside a SIP MESSAGE: the CPIM message headers, a blank
 * line, the MIME headers of the payload, a blank line, the payload. We take the payload, its
 * Content-Type, the DateTime and the IMDN Message-ID (RFC 5438 §6.3, which names the message for
 * good, so a copy can be known as one however late it comes); the CPIM From is not used for
 * threading, because the SIP From is what the proxy authenticated and the CPIM body is whatever the
 * sender wrote.
 */

/** RFC 5438 §6.3: the namespace of the IMDN headers (whatever prefix the sender's NS header gives it). */
const IMDN_NS = 'urn:ietf:params:imdn';
/** A Message-ID longer than this is not one we keep (RFC 5438 asks for at least 32 bits of randomness, not kilobytes). */
const MAX_MESSAGE_ID = 256;

export interface CpimMessage {
  /** Message headers, names as written (case kept), first value of each. */
  headers: Map<string, string>;
  contentType: string;
  body: string;
  /** Epoch ms of the DateTime header, when present and valid. */
  dateTime?: number;
  /** The IMDN Message-ID, when the IMDN namespace is declared and the header is there. */
  messageId?: string;
}

/**
 * Headers before a blank line: [headers, rest, namespaces] or undefined when there is no blank
 * line. `namespaces`: the prefixes the NS headers declare (RFC 3862 §5.6: "NS: prefix <uri>",
 * repeated), by URI.
 */
function splitHeaders(text: string): [Map<string, string>, string, Map<string, string>] | undefined {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return undefined;
  const headers = new Map<string, string>();
  const namespaces = new Map<string, string>();
  for (const line of text.slice(0, match.index).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (!headers.has(name)) headers.set(name, value);
    const declared = name === 'ns' ? /^([A-Za-z0-9_-]+)\s*<([^>]*)>$/.exec(value) : null;
    if (declared && !namespaces.has(declared[2]!)) namespaces.set(declared[2]!, declared[1]!.toLowerCase());
  }
  return [headers, text.slice(match.index + match[0].length), namespaces];
}

/** Parses a CPIM wrapper; undefined when it is not one (no two header blocks). */
export function parseCpim(text: string): CpimMessage | undefined {
  const outer = splitHeaders(text);
  if (!outer) return undefined;
  const inner = splitHeaders(outer[1]);
  if (!inner) return undefined;
  const [headers, , namespaces] = outer;
  const [mime, body] = inner;
  const dateTime = headers.has('datetime') ? Date.parse(headers.get('datetime')!) : NaN;
  const imdn = namespaces.get(IMDN_NS);
  const messageId = imdn !== undefined ? headers.get(`${imdn}.message-id`) : undefined;
  return {
    headers,
    contentType: mime.get('content-type') ?? 'text/plain',
    body,
    ...(Number.isFinite(dateTime) ? { dateTime } : {}),
    ...(messageId && messageId.length <= MAX_MESSAGE_ID ? { messageId } : {}),
  };
}
