/**
 * Our own Contact, fixed on the way out when the port sip.js wrote cannot be right.
 *
 * Over TLS without a TLS listener of our own (a client has no certificate to serve), nothing
 * accepts connections at any port of ours: the only way back to us is the connection we opened.
 * So the Contact (and the Via sent-by) name that connection's local port: a registrar then routes
 * requests for us to that address, and a proxy that looks connections up by remote address (as
 * Kamailio does: see electron/core/tls.int.test.ts) sends them over the live connection — the
 * same address `received`/`rport` record. The port changes with every new connection, which is
 * why it is written per message, not once.
 */
import { splitCommaList, type MessageHead } from '../wire/headers.js';

const URI_START = /^(sips?:)([^@;>?\s]+)@(\[[0-9A-Fa-f:.]+\]|[^:;>?\s]+)(:\d{1,5})?/i;

/**
 * Sets the port of every Contact URI whose user part is `user` (ours: sip.js names our device by a
 * random user part). Everything else in the message is kept byte for byte.
 */
export function rewriteContactPort(text: string, head: MessageHead, user: string, port: number): string {
  if (!user) return text;
  const lines = head.headers.filter((h) => h.name === 'contact');
  if (lines.length === 0) return text;
  let out = '';
  let last = 0;
  let changed = false;
  for (const line of lines) {
    const original = text.slice(line.start, line.end).replace(/\r$/, '');
    const colon = original.indexOf(':');
    // Continuation lines were joined by readHead; a folded Contact is rare enough to leave alone.
    if (colon < 0 || original.slice(colon + 1).trim() !== line.value) continue;
    const values = splitCommaList(line.value).map((value) => withPort(value, user, port));
    const rebuilt = values.join(', ');
    if (rebuilt === line.value) continue;
    out += text.slice(last, line.start) + original.slice(0, colon + 1) + ' ' + rebuilt;
    last = line.start + original.length;
    changed = true;
  }
  return changed ? out + text.slice(last) : text;
}

function withPort(value: string, user: string, port: number): string {
  const open = value.indexOf('<');
  const start = open >= 0 ? open + 1 : 0;
  const match = URI_START.exec(value.slice(start));
  if (!match || match[2] !== user) return value;
  const replaced = `${match[1]}${match[2]}@${match[3]}:${port}`;
  return value.slice(0, start) + replaced + value.slice(start + match[0].length);
}
