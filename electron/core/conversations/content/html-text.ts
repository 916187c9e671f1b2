/**
 * A plain-text rendering of a text/html message body, for display and search. It only ever
 * produces text (the renderer shows it as text too); the original markup is kept as the body.
 * Character references are decoded the way a browser decodes them in text (the npm package
 * `entities`: every HTML named reference, numeric and hex ones, the legacy names a browser takes
 * without ';', NUL, surrogates and out-of-range numbers as U+FFFD); anything else stays as written.
 */
import { decodeHTML } from 'entities/decode';

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
  return decodeHTML(text)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
