/**
 * A plain-text rendering of a text/html message body, for display and search. It only ever
 * produces text (the renderer shows it as text too); the original markup is kept as the body.
 */

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      // Not a character (surrogates, beyond Unicode, NUL): the replacement character.
      return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
    }
    return NAMED[name.toLowerCase()] ?? whole;
  });
}

/**
 * Drops elements whose content a browser never shows as text. One pass with indexOf, so a body
 * full of unclosed `<script` tags costs linear time (a lazy regex would rescan to the end each time).
 */
function dropInvisible(html: string): string {
  const lower = html.toLowerCase();
  const open = /<(script|style|head|title)\b/g;
  let out = '';
  let from = 0;
  for (let match = open.exec(lower); match; match = open.exec(lower)) {
    out += html.slice(from, match.index);
    const close = lower.indexOf(`</${match[1]}`, open.lastIndex);
    if (close < 0) return out;
    const end = lower.indexOf('>', close);
    if (end < 0) return out;
    from = end + 1;
    open.lastIndex = from;
  }
  return out + html.slice(from);
}

export function htmlToText(html: string): string {
  const text = dropInvisible(html)
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6])\s*>/gi, '\n')
    // [^<>]: a run of '<' without '>' costs linear time, not quadratic.
    .replace(/<[^<>]*>/g, '');
  return decodeEntities(text).replace(/\n{3,}/g, '\n\n').trim();
}
