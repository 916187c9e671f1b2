/**
 * Test helpers: MESSAGE requests written byte by byte (bodies any client might send, hostile or
 * broken ones included) and the answer a minimal peer gives to a request it received.
 */
import { randomBytes } from 'node:crypto';

/** A MESSAGE from a raw UDP socket at 127.0.0.1:`port`; the body is sent exactly as given. */
export function rawMessage(options: {
  port: number;
  from: string;
  fromName?: string;
  to: string;
  contentType: string;
  body: Buffer;
  headers?: string[];
}): Buffer {
  const { port, from, to, contentType, body } = options;
  const head = [
    `MESSAGE ${to} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
    `From: ${options.fromName !== undefined ? `"${options.fromName}" ` : ''}<${from}>;tag=${randomBytes(6).toString('hex')}`,
    `To: <${to}>`,
    `Call-ID: ${randomBytes(12).toString('hex')}`,
    'CSeq: 1 MESSAGE',
    'Max-Forwards: 70',
    ...(options.headers ?? []),
    `Content-Type: ${contentType}`,
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

/** The status code of a response, or undefined for a request. */
export function statusOf(text: string): number | undefined {
  const match = /^SIP\/2\.0 (\d{3}) /.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** A response to `request` (Via, From, To, Call-ID, CSeq copied; a To tag added). */
export function answer(request: string, status: number, reason: string, headers: string[] = []): string {
  const lines = request.split('\r\n');
  const copy = (name: string) => lines.filter((line) => line.toLowerCase().startsWith(`${name}:`));
  const to = copy('to').map((line) => (/;tag=/.test(line) ? line : `${line};tag=peer`));
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...copy('via'),
    ...copy('from'),
    ...to,
    ...copy('call-id'),
    ...copy('cseq'),
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}
