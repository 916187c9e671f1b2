/**
 * Via header handling (RFC 3261 §18, RFC 3581). The transport stamps `received`/`rport` on
 * requests it receives, reads them back from responses it sends, and adds/strips the port
 * that sip.js leaves out (sip.js drops responses whose top Via has a port).
 */
import { headerValues, type MessageHead } from './headers.js';

export interface Via {
  protocol: string;
  host: string;
  port?: number;
  params: Map<string, string | undefined>;
}

const VIA = /^SIP\s*\/\s*2\.0\s*\/\s*([A-Za-z]+)\s+(\[[^\]]+\]|[^\s;:]+)(?::(\d{1,5}))?\s*((?:;.*)?)$/i;

export function parseVia(value: string): Via | undefined {
  const match = VIA.exec(value.trim());
  if (!match) return undefined;
  const params = new Map<string, string | undefined>();
  for (const part of (match[4] ?? '').split(';')) {
    const p = part.trim();
    if (!p) continue;
    const eq = p.indexOf('=');
    if (eq < 0) params.set(p.toLowerCase(), undefined);
    else params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  return {
    protocol: match[1]!.toUpperCase(),
    host: match[2]!,
    port: match[3] ? Number(match[3]) : undefined,
    params,
  };
}

export function formatVia(via: Via): string {
  let out = `SIP/2.0/${via.protocol} ${via.host}${via.port !== undefined ? ':' + via.port : ''}`;
  for (const [key, value] of via.params) out += value === undefined ? `;${key}` : `;${key}=${value}`;
  return out;
}

export function topVia(head: MessageHead): Via | undefined {
  const first = headerValues(head, 'via')[0];
  return first === undefined ? undefined : parseVia(first);
}

/** Where a response to this Via goes (RFC 3261 §18.2.2 with RFC 3581 rport). */
export function responseTarget(via: Via, defaultPort: number): { host: string; port: number } {
  const received = via.params.get('received');
  const rport = via.params.get('rport');
  const maddr = via.params.get('maddr');
  const host = unbracket(maddr ?? received ?? via.host);
  const port = rport ? Number(rport) : (via.port ?? defaultPort);
  return { host, port: Number.isFinite(port) && port > 0 ? port : defaultPort };
}

export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Replaces the top Via (first value of the first Via line) in the message text.
 * Keeps the rest of the message byte-for-byte. `top` is that Via already parsed (topVia of the
 * same head) when the caller has it: the transport reads the branch of every message it sends or
 * receives, and parsing the Via again here was a second parse per message.
 */
export function replaceTopVia(text: string, head: MessageHead, next: (via: Via) => Via, top?: Via): string {
  const line = head.headers.find((h) => h.name === 'via');
  if (!line) return text;
  const values = headerValues({ ...head, headers: [line] }, 'via');
  const first = values[0];
  const parsed = top ?? (first === undefined ? undefined : parseVia(first));
  if (!parsed) return text;
  const rebuilt = [formatVia(next(parsed)), ...values.slice(1)].join(', ');
  const original = text.slice(line.start, line.end).replace(/\r$/, '');
  const colon = original.indexOf(':');
  return text.slice(0, line.start) + original.slice(0, colon + 1) + ' ' + rebuilt + text.slice(line.start + original.length);
}
