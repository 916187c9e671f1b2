/**
 * multipart/related bodies (RFC 2387, framed as RFC 2046 §5.1.1) as a resource list server sends
 * them (RFC 4662 §5): the parts with their headers, and the root part (the `start` parameter, or
 * the first part).
 *
 * Bounded and total: the boundary is checked (1–70 characters), at most MAX_PARTS parts and
 * MAX_PART_HEADERS header lines per part are read, and anything that does not frame (no boundary,
 * no closing delimiter, a part without a blank line after its headers) is a MultipartError; nothing
 * else is thrown. The body size itself is bounded by the transport (sip/transport/framing.ts).
 * Only binary/8bit/7bit transfer encodings are meaningful here; others are reported as they are.
 */

export const MAX_PARTS = 20_000;
const MAX_PART_HEADERS = 32;

export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

export interface BodyPart {
  /** Header values by lower-case name (the last one wins). */
  headers: Map<string, string>;
  /** Lower case, without parameters; '' when the part has no Content-Type. */
  contentType: string;
  /** The Content-ID without its angle brackets, or ''. */
  contentId: string;
  body: string;
}

export interface MultipartBody {
  /** Lower case, without parameters: the `type` parameter (the root part's type), or ''. */
  type: string;
  parts: BodyPart[];
  root: BodyPart | undefined;
}

/** The parameters of a Content-Type value (names lower case, quoted values unquoted). */
export function contentTypeParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /;\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("((?:[^"\\]|\\.)*)"|[^;\s]*)/g;
  let match: RegExpExecArray | null;
  const input = value.length > 4096 ? value.slice(0, 4096) : value;
  while ((match = re.exec(input)))
    params.set(match[1]!.toLowerCase(), match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : match[2]!);
  return params;
}

/** Splits `text` by the boundary of `contentType` (its full value, with parameters). */
export function parseMultipart(contentType: string, text: string): MultipartBody {
  const params = contentTypeParams(contentType);
  const boundary = params.get('boundary');
  if (!boundary || boundary.length > 70 || /[\r\n]/.test(boundary)) throw new MultipartError('no usable boundary');
  const delimiter = `--${boundary}`;
  // The first delimiter may open the body; every other one follows a line break.
  let at = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`);
  if (at < 0) throw new MultipartError('the boundary does not occur');
  if (at > 0) at += 1;
  const parts: BodyPart[] = [];
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (text.startsWith('--', afterDelimiter)) break; // the closing delimiter
    const lineEnd = text.indexOf('\n', afterDelimiter);
    if (lineEnd < 0) throw new MultipartError('no closing delimiter');
    const next = text.indexOf(`\n${delimiter}`, lineEnd);
    if (next < 0) throw new MultipartError('no closing delimiter');
    if (parts.length >= MAX_PARTS) throw new MultipartError('too many parts');
    // the line break before the next delimiter belongs to the delimiter
    const end = text[next - 1] === '\r' ? next - 1 : next;
    parts.push(parsePart(text.slice(lineEnd + 1, Math.max(lineEnd + 1, end))));
    at = next + 1;
  }
  const type = (params.get('type') ?? '').split(';', 1)[0]!.trim().toLowerCase();
  const start = params.get('start')?.replace(/^<|>$/g, '');
  const root = start ? parts.find((p) => p.contentId === start) : parts[0];
  return { type, parts, root };
}

function parsePart(raw: string): BodyPart {
  const blank = /\r?\n\r?\n/.exec(raw);
  const startsBlank = /^\r?\n/.exec(raw);
  let head: string;
  let body: string;
  if (startsBlank) {
    head = '';
    body = raw.slice(startsBlank[0].length);
  } else if (blank) {
    head = raw.slice(0, blank.index);
    body = raw.slice(blank.index + blank[0].length);
  } else {
    throw new MultipartError('a part without a blank line after its headers');
  }
  const headers = new Map<string, string>();
  const lines = head.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length > MAX_PART_HEADERS) throw new MultipartError('too many headers in a part');
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('a malformed part header');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    headers,
    contentType: (headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase(),
    contentId: (headers.get('content-id') ?? '').replace(/^<|>$/g, ''),
    body,
  };
}
