/**
 * Links in message text, found by linkify-it (bare "example.org" and e-mail addresses too). Only http(s) and mailto become links; the text itself stays text, and
 * the components render every piece as a React text node.
 */
import { LinkifyIt } from 'linkify-it';

export type TextPiece = { text: string; href?: undefined } | { text: string; href: string };

// Bare "example.org" and "www.example.org" are links in every messenger; this linkify-it has them off by default.
const linkify = new LinkifyIt({ fuzzyLink: true });

/** linkify-it also finds ftp: and protocol-relative "//host" links: neither may open from a chat. */
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

function safeHref(url: string): string | null {
  try {
    return ALLOWED.has(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/** The text cut into plain pieces and links, in order; joined they give the text back unchanged. */
export function linkPieces(text: string): TextPiece[] {
  const matches = linkify.match(text);
  if (!matches) return [{ text }];
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const match of matches) {
    const href = safeHref(match.url);
    if (!href) continue;
    if (match.index > at) pieces.push({ text: text.slice(at, match.index) });
    pieces.push({ text: text.slice(match.index, match.lastIndex), href });
    at = match.lastIndex;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}
