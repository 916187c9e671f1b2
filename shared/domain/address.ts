/**
 * Address normalisation for threading and comparison (DESIGN.md §4): scheme and host case,
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

/** Accepts what a person types: `alice@example.org`, `sip:alice@example.org`, `alice` (with a default domain). */
export function toSipUri(input: string, defaultDomain?: string): string | undefined {
  const text = input.trim();
  if (/^sips?:/i.test(text)) return text;
  if (/^[^\s@<>"]+@[^\s@<>"]+$/.test(text)) return `sip:${text}`;
  if (defaultDomain && /^[^\s@:<>"]+$/.test(text)) return `sip:${text}@${defaultDomain}`;
  return undefined;
}
