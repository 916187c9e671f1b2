/**
 * Address normalisation for threading and comparison (docs/DESIGN.md#threading-by-call-id): scheme and host case,
 * the default port, and URI parameters such as `transport` or `gr` do not make a different peer.
 * Pure string work, usable in every layer.
 */

/** `sip:Alice@Example.org:5060;transport=tcp` -> `sip:alice@example.org` (user part case is kept). */
export function normalizeAddress(input: string): string {
  let text = input.trim();
  const angle = /<([^>]*)>/.exec(text);
  if (angle) text = angle[1]!;
  const match = /^(sips?):(?:([^@;?]+)@)?(\[[0-9a-fA-F:.]+\]|[^:;?>\s]+)(?::(\d{1,5}))?/i.exec(text);
  if (!match) return text.toLowerCase();
  const scheme = match[1]!.toLowerCase();
  const user = match[2];
  const host = match[3]!.toLowerCase();
  const port = match[4];
  const defaultPort = scheme === 'sips' ? '5061' : '5060';
  const portPart = port && port !== defaultPort ? `:${port}` : '';
  // A sips: peer is the same person as the sip: one for threading purposes.
  return `sip:${user ? user + '@' : ''}${host}${portPart}`;
}

const SCHEME = /^sips?:/i;

/** The host part of a SIP URI (`sip:alice@example.org;transport=udp` -> `example.org`), or null. */
export function domainOf(uri: string | undefined | null): string | null {
  if (!uri) return null;
  const rest = uri.replace(SCHEME, '').split(/[;?]/, 1)[0] ?? '';
  const host = rest.includes('@') ? rest.slice(rest.lastIndexOf('@') + 1) : '';
  return host || null;
}

/**
 * Turns what a person typed into a SIP URI, the same way in the UI and in the core:
 *   `sip:bob@example.org` stays (scheme lower-cased), `bob@example.org` -> `sip:bob@example.org`,
 *   `bob` -> `sip:bob@<own domain>`, `192.0.2.7:5070` or `host.example` -> `sip:192.0.2.7:5070`.
 * Returns null for empty input or input with spaces, quotes or angle brackets.
 */
export function completeAddress(input: string, ownAor?: string | null): string | null {
  const text = input.trim();
  if (!text || /[\s<>"]/.test(text)) return null;
  if (SCHEME.test(text)) return text.replace(SCHEME, (scheme) => scheme.toLowerCase());
  if (text.includes('@')) return `sip:${text}`;
  const looksLikeHost = /[.:]/.test(text) || text.toLowerCase() === 'localhost';
  const domain = domainOf(ownAor);
  if (!looksLikeHost && domain) return `sip:${text}@${domain}`;
  return `sip:${text}`;
}

/** Whether two addresses name the same peer, as the core threads conversations. */
export function samePeer(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}
