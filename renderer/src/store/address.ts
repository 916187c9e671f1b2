/** Address helpers for what people type: pure, no I/O. The core does the real SIP normalisation. */
import { normalizeAddress } from '../../../shared/ipc.js';

const SCHEME = /^sips?:/i;

/** The host part of a SIP URI (`sip:alice@example.org;transport=udp` -> `example.org`). */
export function domainOf(uri: string | undefined | null): string | null {
  if (!uri) return null;
  const rest = uri.replace(SCHEME, '').split(/[;?]/, 1)[0] ?? '';
  const host = rest.includes('@') ? rest.slice(rest.lastIndexOf('@') + 1) : '';
  return host || null;
}

/**
 * Turn what a person typed into a SIP URI:
 *   `sip:bob@example.org` stays, `bob@example.org` -> `sip:bob@example.org`,
 *   `bob` -> `sip:bob@<my domain>`, `192.0.2.7:5070` or `host.example` -> `sip:192.0.2.7:5070`.
 * Returns null for empty input or input with spaces or angle brackets.
 */
export function completeAddress(input: string, ownAor?: string | null): string | null {
  const text = input.trim();
  if (!text || /[\s<>"]/.test(text)) return null;
  if (SCHEME.test(text)) return text.replace(SCHEME, (s) => s.toLowerCase());
  if (text.includes('@')) return `sip:${text}`;
  const looksLikeHost = /[.:]/.test(text) || text.toLowerCase() === 'localhost';
  const domain = domainOf(ownAor);
  if (!looksLikeHost && domain) return `sip:${text}@${domain}`;
  return `sip:${text}`;
}

/** Whether two typed or received addresses name the same peer (shared normalisation, as the core threads). */
export function samePeer(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}
