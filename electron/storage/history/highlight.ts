/**
 * Where the search terms occur in a message body, and a short excerpt around the first one.
 * Ranges are [start, end) offsets (UTF-16 units, as JavaScript slices) for the UI to highlight
 * as text; nothing here produces markup.
 */
import { fold, type SearchTerm } from './search-terms.js';

export type Range = [number, number];

/** Characters of body shown in an excerpt, and how many of them come before the first match. */
export const SNIPPET_LENGTH = 160;
const LEAD = 40;
const ELLIPSIS = '…';
const WORD_CHAR = /[\p{L}\p{N}\p{M}\p{Co}]/u;

/** Occurrences of every term (word terms only at a word start, as the index matches them), merged. */
export function matchRanges(body: string, terms: readonly SearchTerm[]): Range[] {
  const { folded, origin } = fold(body);
  const found: Range[] = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term.folded); at !== -1; at = folded.indexOf(term.folded, at + 1)) {
      if (!term.anywhere && at > 0 && WORD_CHAR.test(folded[at - 1]!)) continue;
      // A match may end inside what one character folded to: the range takes the whole character.
      let end = at + term.folded.length;
      while (origin[end] === origin[end - 1]) end++;
      found.push([origin[at]!, origin[end]!]);
    }
  }
  return merge(found);
}

function merge(ranges: Range[]): Range[] {
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: Range[] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Moves an offset off the second half of a surrogate pair, so an excerpt never splits a character. */
function boundary(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return offset > 0 && offset < text.length && code >= 0xdc00 && code <= 0xdfff ? offset - 1 : offset;
}

/**
 * An excerpt of at most SNIPPET_LENGTH characters of the body around its first match, on one line
 * (line breaks and tabs shown as spaces), with "…" where it was cut, and the ranges inside it.
 */
export function snippet(body: string, ranges: readonly Range[]): { snippet: string; ranges: Range[] } {
  const first = ranges[0]?.[0] ?? 0;
  let start = body.length <= SNIPPET_LENGTH ? 0 : boundary(body, Math.max(0, Math.min(first - LEAD, body.length - SNIPPET_LENGTH)));
  // Start at a word when one begins shortly before the cut.
  if (start > 0) {
    const space = body.slice(start, first).search(/\s/);
    if (space !== -1) start += space + 1;
  }
  const end = boundary(body, Math.min(body.length, start + SNIPPET_LENGTH));
  const head = start > 0 ? ELLIPSIS : '';
  const text = head + body.slice(start, end).replace(/[\r\n\t\f\v\u2028\u2029]/g, ' ') + (end < body.length ? ELLIPSIS : '');
  const shift = head.length - start;
  const inside: Range[] = [];
  for (const [from, to] of ranges) {
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a < b) inside.push([a + shift, b + shift]);
  }
  return { snippet: text, ranges: inside };
}
