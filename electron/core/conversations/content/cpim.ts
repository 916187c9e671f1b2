/**
 * message/cpim (RFC 3862) inside a SIP MESSAGE: the CPIM message headers, a blank line, the MIME
 * headers of the payload, a blank line, the payload. Read: the payload, its Content-Type, the
 * DateTime, the IMDN Message-ID (RFC 5438 §6.3, which names the message for good, so a copy can be
 * known as one however late it comes) and the notifications the sender asks for (RFC 5438 §6.2,
 * Disposition-Notification). The CPIM From is not used for threading or for answering, because
 * the SIP From is what the proxy authenticated and the CPIM body is whatever the sender wrote.
 * Written (cpimDocument): our own messages and notifications, in the form liblinphone checks
 * (From and To present, the From the same URI as the SIP From).
 */

export const CPIM_TYPE = 'message/cpim';

/** RFC 5438 §6.3: the namespace of the IMDN headers (whatever prefix the sender's NS header gives it). */
const IMDN_NS = 'urn:ietf:params:imdn';
/** A Message-ID longer than this is not one we keep (RFC 5438 asks for at least 32 bits of randomness, not kilobytes). */
const MAX_MESSAGE_ID = 256;

/** RFC 5438 §6.2: what a sender may ask for. Parley answers the first and the last. */
export type Disposition = 'positive-delivery' | 'negative-delivery' | 'processing' | 'display';
const DISPOSITIONS: readonly string[] = ['positive-delivery', 'negative-delivery', 'processing', 'display'];

export interface CpimMessage {
  /** Message headers, names as written (case kept), first value of each. */
  headers: Map<string, string>;
  contentType: string;
  body: string;
  /** Epoch ms of the DateTime header, when present and valid. */
  dateTime?: number;
  /** The IMDN Message-ID, when the IMDN namespace is declared and the header is there. */
  messageId?: string;
  /** The notifications asked for (imdn.Disposition-Notification), known values only; absent when none. */
  dispositions?: Disposition[];
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
  const asked = imdn !== undefined ? headers.get(`${imdn}.disposition-notification`) : undefined;
  const dispositions = (asked ?? '')
    .split(',')
    .map((value) => value.trim().toLowerCase())
    .filter((value): value is Disposition => DISPOSITIONS.includes(value));
  return {
    headers,
    contentType: mime.get('content-type') ?? 'text/plain',
    body,
    ...(Number.isFinite(dateTime) ? { dateTime } : {}),
    ...(messageId && messageId.length <= MAX_MESSAGE_ID ? { messageId } : {}),
    ...(dispositions.length > 0 ? { dispositions: [...new Set(dispositions)] } : {}),
  };
}

/** What goes into a CPIM document we write. */
export interface CpimOutgoing {
  /** Our address and the peer's (SIP URIs, as on the SIP request). */
  from: string;
  to: string;
  /** Epoch ms of the DateTime header. */
  at: number;
  /** imdn.Message-ID: our name for this message, the one a notification about it will quote. */
  messageId: string;
  /** Notifications we ask for; none for a notification itself (RFC 5438 §7.1.1: never ask about an IMDN). */
  dispositions?: readonly Disposition[];
  contentType: string;
  /** Content-Disposition of the payload (RFC 5438 §7.1.1: "notification" for an IMDN). */
  contentDisposition?: string;
  body: string;
}

/** A URI in a CPIM address header: no CR, LF or angle brackets can leave it (they are not in a valid URI anyway). */
const cpimUri = (uri: string) => `<${uri.replace(/[\r\n<>]/g, '')}>`;

/** Writes a message/cpim body (RFC 3862 §3, the IMDN headers of RFC 5438 §6), CRLF line ends. */
export function cpimDocument(message: CpimOutgoing): string {
  const headers = [
    `From: ${cpimUri(message.from)}`,
    `To: ${cpimUri(message.to)}`,
    `DateTime: ${new Date(message.at).toISOString()}`,
    `NS: imdn <${IMDN_NS}>`,
    `imdn.Message-ID: ${message.messageId}`,
    ...(message.dispositions?.length ? [`imdn.Disposition-Notification: ${message.dispositions.join(', ')}`] : []),
  ];
  const mime = [
    `Content-Type: ${message.contentType}`,
    ...(message.contentDisposition ? [`Content-Disposition: ${message.contentDisposition}`] : []),
    `Content-Length: ${Buffer.byteLength(message.body, 'utf8')}`,
  ];
  return [...headers, '', ...mime, '', message.body].join('\r\n');
}
