/**
 * Who someone is, in words: the name the user gave the contact, else the display name the peer sent
 * in its From header, else the user part of the address. The screen (renderer/src/store/names.ts),
 * the notifications and the tray all name people this way; the address is only secondary text.
 */

/** "sip:bob@example.org;transport=tcp" → "bob". */
export function userPart(uri: string): string {
  const rest = uri.replace(/^sips?:/i, '').split(/[;?]/, 1)[0] ?? '';
  const at = rest.lastIndexOf('@');
  return (at >= 0 ? rest.slice(0, at) : rest) || uri;
}

export function personName(address: string, contactName?: string, peerDisplayName?: string): string {
  const named = contactName?.trim();
  if (named) return named;
  const own = peerDisplayName?.trim();
  if (own) return own;
  return userPart(address);
}
