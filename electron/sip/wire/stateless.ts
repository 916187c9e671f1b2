/**
 * Minimal stateless responses for requests sip.js never sees (too large, unparsable, or a throw
 * while handling them): RFC 3261 §8.2.6 copies Via, From, To (adding a tag), Call-ID and CSeq.
 */
import { randomBytes } from 'node:crypto';
import type { MessageHead } from './headers.js';

const CANONICAL: Record<string, string> = { via: 'Via', from: 'From', to: 'To', 'call-id': 'Call-ID', cseq: 'CSeq' };

export function statelessResponse(head: MessageHead, status: number, reason: string, extra: string[] = []): string | undefined {
  if (!head.isRequest || head.method === 'ACK') return undefined;
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
    const values = head.headers.filter((h) => h.name === name);
    if (values.length === 0) return undefined; // cannot answer what we cannot address
    for (const h of values) {
      const value = name === 'to' && !/;\s*tag=/i.test(h.value) ? `${h.value};tag=${randomBytes(6).toString('hex')}` : h.value;
      lines.push(`${CANONICAL[name]}: ${value}`);
    }
  }
  lines.push(...extra, 'Content-Length: 0', '', '');
  return lines.join('\r\n');
}
