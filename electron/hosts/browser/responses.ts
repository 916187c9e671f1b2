/**
 * What every answer of the browser host carries: the one Content-Security-Policy (shared/csp.ts)
 * and the headers that keep the page from being framed, sniffed or referred; plain-text answers,
 * and refusals of a WebSocket upgrade written straight to the socket.
 *
 * COOP with COEP makes the page cross-origin isolated: no other origin's window or resource shares
 * its process, and its clock is precise to microseconds rather than a tenth of a millisecond (a
 * frame at 60 Hz then measures 16.67 ms, not 16.6 or 16.8: `npm run bench -- ui`). Everything the
 * page loads is its own (CORP same-origin), so nothing is refused by it.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { BROWSER_CONTENT_SECURITY_POLICY } from '../../../shared/csp.js';

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': BROWSER_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...securityHeaders(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${body.length}\r\n\r\n` +
      text,
  );
}
