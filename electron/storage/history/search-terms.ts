/**
 * What a person typed into history search, turned into terms SQLite can match safely.
 *
 * User text never reaches FTS5 as query syntax: it is cut into runs of letters and digits (the
 * same characters the unicode61 tokenizer keeps), so quotes, `*`, `-`, `^`, `:`, parentheses and
 * operators such as NEAR/OR/NOT are separators or plain words; each term is then written as a
 * quoted FTS5 string. Every term must match (AND); word terms match at the start of a word.
 */

/** Scripts written without spaces: unicode61 sees a whole sentence as one token there. */
const SPACELESS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;
const TERM = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
/** Bounds the work one query can ask of the index. */
export const MAX_TERMS = 16;
/** The trigram index cannot look up shorter strings. */
const TRIGRAM = 3;

export interface SearchTerm {
  /** As typed (NFC), letters, digits and marks only. */
  text: string;
  /** Lower case without diacritics: what highlighting compares. */
  folded: string;
  /** Matched anywhere in a body (scripts without spaces), not only at a word start. */
  anywhere: boolean;
}

/**
 * Combining diacritical marks (accents on Latin, Greek, Cyrillic letters), what the unicode61
 * tokenizer's remove_diacritics drops; vowel signs of scripts like Thai or Devanagari stay.
 */
const DIACRITIC_BLOCKS: readonly [number, number][] = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f],
];
const isDiacritic = (char: string) => {
  const code = char.charCodeAt(0);
  return DIACRITIC_BLOCKS.some(([from, to]) => code >= from && code <= to);
};

/** Lower case, diacritics removed, per character, with where each folded unit came from. */
export function fold(text: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    const f = [...char.toLowerCase().normalize('NFD')]
      .filter((c) => !isDiacritic(c))
      .join('')
      .normalize('NFC');
    for (let i = 0; i < f.length; i++) origin.push(index);
    folded += f;
    index += char.length;
  }
  origin.push(index);
  return { folded, origin };
}

export function searchTerms(query: string): SearchTerm[] {
  const seen = new Set<string>();
  const terms: SearchTerm[] = [];
  for (const [text] of query.normalize('NFC').matchAll(TERM)) {
    const folded = fold(text).folded;
    if (folded.length === 0 || seen.has(folded)) continue;
    seen.add(folded);
    terms.push({ text, folded, anywhere: SPACELESS.test(text) });
    if (terms.length === MAX_TERMS) break;
  }
  return terms;
}

/** An FTS5 string: double quotes inside are doubled, so nothing in it is syntax. */
export function ftsString(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** A LIKE pattern matching `text` anywhere, with `\` as the escape character. */
export function likeAnywhere(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface SearchPlan {
  /** MATCH expression for the word index (prefix match per term), if any word terms. */
  words?: string;
  /** MATCH expression for the trigram index, if any long spaceless terms. */
  grams?: string;
  /** LIKE patterns for spaceless terms too short for the trigram index. */
  likes: string[];
}

export function searchPlan(terms: readonly SearchTerm[]): SearchPlan {
  const words = terms.filter((t) => !t.anywhere).map((t) => `${ftsString(t.text)}*`);
  const long = terms.filter((t) => t.anywhere && [...t.text].length >= TRIGRAM).map((t) => ftsString(t.text));
  const likes = terms.filter((t) => t.anywhere && [...t.text].length < TRIGRAM).map((t) => likeAnywhere(t.text));
  return {
    ...(words.length > 0 ? { words: words.join(' ') } : {}),
    ...(long.length > 0 ? { grams: long.join(' ') } : {}),
    likes,
  };
}
