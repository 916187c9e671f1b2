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
  /** Some line of the head ends in LF alone (RFC 3261 §7.5 asks us to take it). */
  bareLf: boolean;
}

/** Lower-case long names of the header names met so far, as written (they repeat message after message). */
const NAMES = new Map<string, string>();
const NAMES_KEPT = 1024;

function longName(raw: string): string {
  let name = NAMES.get(raw);
  if (name === undefined) {
    const lower = raw.trim().toLowerCase();
    name = COMPACT[lower] ?? lower;
    // A peer inventing names cannot grow it without bound.
    if (NAMES.size < NAMES_KEPT) NAMES.set(raw, name);
  }
  return name;
}

const CR = 13;
const SPACE = 32;
const TAB = 9;

/**
 * Splits a message at the first blank line; accepts LF-only line ends (RFC 3261 §7.5 tolerance).
 * Walks the head by offsets (no string per line): it runs for every message sent and received.
 */
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
  let bareLf = firstEnd === 0 || (firstEnd > 0 && head.charCodeAt(firstEnd - 1) !== CR);
  const startEnd = firstEnd < 0 ? head.length : firstEnd;
  const startLine = head.slice(0, startEnd > 0 && head.charCodeAt(startEnd - 1) === CR ? startEnd - 1 : startEnd);
  const headers: HeaderLine[] = [];
  let pos = firstEnd < 0 ? head.length : firstEnd + 1;
  while (pos < head.length) {
    let end = head.indexOf('\n', pos);
    if (end < 0) end = head.length;
    else if (head.charCodeAt(end - 1) !== CR) bareLf = true;
    const lineEnd = end > pos && head.charCodeAt(end - 1) === CR ? end - 1 : end;
    const first = head.charCodeAt(pos);
    if ((first === SPACE || first === TAB) && headers.length > 0) {
      const last = headers[headers.length - 1]!;
      last.value += ' ' + head.slice(pos, lineEnd).trim();
      last.end = end;
    } else {
      const colon = head.indexOf(':', pos);
      if (colon > pos && colon < lineEnd) {
        headers.push({ name: longName(head.slice(pos, colon)), value: head.slice(colon + 1, lineEnd).trim(), start: pos, end });
      }
    }
    pos = end + 1;
  }
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/i.exec(startLine);
  if (request) {
    return { startLine, isRequest: true, method: request[1]!.toUpperCase(), requestUri: request[2]!, headers, head, body, bareLf };
  }
  const response = /^SIP\/2\.0 (\d{3})(?: .*)?$/i.exec(startLine);
  if (response) return { startLine, isRequest: false, status: Number(response[1]), headers, head, body, bareLf };
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
