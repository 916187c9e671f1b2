/**
 * A light, allocation-cheap reader for the few header fields the transport layer needs
 * (Via, Route, Call-ID, CSeq, Content-Length) before sip.js parses the whole message.
 * It never throws: anything it cannot read comes back undefined.
 */

/** RFC 3261 §7.3.3 compact forms of the headers read here. */
const COMPACT: Record<string, string> = {
  v: 'via',
  i: 'call-id',
  l: 'content-length',
  f: 'from',
  t: 'to',
  m: 'contact',
  c: 'content-type',
};

export interface HeaderLine {
  /** Lower-case long name. */
  name: string;
  value: string;
  /** Offsets of the whole line (without CRLF) in the head text. */
  start: number;
  end: number;
}

export interface MessageHead {
  startLine: string;
  isRequest: boolean;
  /** Request method, or undefined for a response. */
  method?: string;
  /** Response status code. */
  status?: number;
  requestUri?: string;
  /** Header lines in order; folded continuation lines are joined. */
  headers: HeaderLine[];
  /** The head text (start line and headers, without the blank line). */
  head: string;
  body: string;
}

/** Splits a message at the first blank line; accepts LF-only line ends (RFC 3261 §7.5 tolerance). */
export function readHead(text: string): MessageHead | undefined {
  let split = text.indexOf('\r\n\r\n');
  let sepLength = 4;
  const lfSplit = text.indexOf('\n\n');
  if (split < 0 || (lfSplit >= 0 && lfSplit < split)) {
    split = lfSplit;
    sepLength = 2;
  }
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + sepLength);
  const firstEnd = head.indexOf('\n');
  const startLine = (firstEnd < 0 ? head : head.slice(0, firstEnd)).replace(/\r$/, '');
  const headers: HeaderLine[] = [];
  let pos = firstEnd < 0 ? head.length : firstEnd + 1;
  while (pos < head.length) {
    let end = head.indexOf('\n', pos);
    if (end < 0) end = head.length;
    const line = head.slice(pos, end).replace(/\r$/, '');
    if ((line.startsWith(' ') || line.startsWith('\t')) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last.value += ' ' + line.trim();
      last.end = end;
    } else {
      const colon = line.indexOf(':');
      if (colon > 0) {
        const raw = line.slice(0, colon).trim().toLowerCase();
        headers.push({ name: COMPACT[raw] ?? raw, value: line.slice(colon + 1).trim(), start: pos, end });
      }
    }
    pos = end + 1;
  }
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/i.exec(startLine);
  if (request) {
    return { startLine, isRequest: true, method: request[1]!.toUpperCase(), requestUri: request[2]!, headers, head, body };
  }
  const response = /^SIP\/2\.0 (\d{3})(?: .*)?$/i.exec(startLine);
  if (response) return { startLine, isRequest: false, status: Number(response[1]), headers, head, body };
  return undefined;
}

export function header(head: MessageHead, name: string): string | undefined {
  return head.headers.find((h) => h.name === name)?.value;
}

/**
 * A body without the Content-Type RFC 3261 §20.15 requires of it: its length as Content-Length says,
 * else whatever follows the head.
 */
export function hasUntypedBody(head: MessageHead): boolean {
  if (header(head, 'content-type') !== undefined) return false;
  const declared = header(head, 'content-length');
  return declared !== undefined && /^\d+$/.test(declared) ? Number(declared) > 0 : head.body.length > 0;
}

/** Values of a header that may be comma-joined on one line (Via, Route); commas inside <> or "" are kept. */
export function headerValues(head: MessageHead, name: string): string[] {
  const out: string[] = [];
  for (const h of head.headers) if (h.name === name) out.push(...splitCommaList(h.value));
  return out;
}

export function splitCommaList(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted && ch === '\\') {
      i++; // quoted-pair (RFC 3261 §25.1): the next character is literal
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = value.slice(start).trim();
  if (last) parts.push(last);
  return parts;
}

export interface CSeq {
  seq: number;
  method: string;
}

export function readCSeq(head: MessageHead): CSeq | undefined {
  const match = /^(\d{1,10})\s+([A-Za-z]+)$/.exec(header(head, 'cseq') ?? '');
  return match ? { seq: Number(match[1]), method: match[2]!.toUpperCase() } : undefined;
}
