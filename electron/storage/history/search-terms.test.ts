import { describe, expect, it } from 'vitest';
import { fold, ftsString, likeAnywhere, MAX_TERMS, searchPlan, searchTerms } from './search-terms.js';

describe('searchTerms', () => {
  it('keeps only letters and digits, so FTS5 syntax in user text is never syntax', () => {
    expect(searchTerms('"hello" -world* NEAR(a b) col:x ^start (x OR y) AND NOT')).toEqual([
      { text: 'hello', folded: 'hello', anywhere: false },
      { text: 'world', folded: 'world', anywhere: false },
      { text: 'NEAR', folded: 'near', anywhere: false },
      { text: 'a', folded: 'a', anywhere: false },
      { text: 'b', folded: 'b', anywhere: false },
      { text: 'col', folded: 'col', anywhere: false },
      { text: 'x', folded: 'x', anywhere: false },
      { text: 'start', folded: 'start', anywhere: false },
      { text: 'OR', folded: 'or', anywhere: false },
      { text: 'y', folded: 'y', anywhere: false },
      { text: 'AND', folded: 'and', anywhere: false },
      { text: 'NOT', folded: 'not', anywhere: false },
    ]);
  });

  it('finds nothing to search in punctuation alone', () => {
    expect(searchTerms('"*-^:()"\'\\%_ ;--')).toEqual([]);
  });

  it('folds case and diacritics, drops repeated terms, and bounds their number', () => {
    expect(searchTerms('Élan ELAN élan').map((t) => t.folded)).toEqual(['elan']);
    expect(searchTerms(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_TERMS);
  });

  it('takes scripts written without spaces as substrings', () => {
    expect(searchTerms('世界 東京タワー привет สวัสดี')).toEqual([
      { text: '世界', folded: '世界', anywhere: true },
      { text: '東京タワー', folded: '東京タワー', anywhere: true },
      { text: 'привет', folded: 'привет', anywhere: false },
      { text: 'สวัสดี', folded: 'สวัสดี', anywhere: true },
    ]);
  });
});

describe('searchPlan', () => {
  it('quotes every term and matches word terms by prefix', () => {
    expect(searchPlan(searchTerms('hel wor'))).toEqual({ words: '"hel"* "wor"*', likes: [] });
  });

  it('sends long spaceless terms to the trigram index and short ones to LIKE', () => {
    expect(searchPlan(searchTerms('東京タワー 世界 a'))).toEqual({ words: '"a"*', grams: '"東京タワー"', likes: ['%世界%'] });
  });

  it('escapes quotes and LIKE wildcards should they ever reach the writers', () => {
    expect(ftsString('say "hi"')).toBe('"say ""hi"""');
    expect(likeAnywhere('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});

describe('fold', () => {
  it('maps every folded unit back to the character it came from', () => {
    const text = 'Ça\u0301 😀x';
    const { folded, origin } = fold(text);
    expect(folded).toBe('ca 😀x');
    expect(origin).toEqual([0, 1, 3, 4, 4, 6, 7]);
  });
});
