import { describe, expect, it } from 'vitest';
import { matchRanges, snippet, SNIPPET_LENGTH } from './highlight.js';
import { searchTerms } from './search-terms.js';

const marked = (text: string, ranges: readonly [number, number][]) => ranges.map(([a, b]) => text.slice(a, b));

describe('matchRanges', () => {
  it('finds word terms at word starts only, whatever their case and accents', () => {
    const body = 'Hello SHELL, héllo again: helLO';
    const ranges = matchRanges(body, searchTerms('hel'));
    expect(marked(body, ranges)).toEqual(['Hel', 'hél', 'hel']);
  });

  it('covers a whole character when the match ends inside what it folded to', () => {
    const body = 'Cafe\u0301 ok'; // é written as e + combining acute
    const ranges = matchRanges(body, searchTerms('cafe'));
    expect(ranges).toEqual([[0, 5]]);
  });

  it('finds spaceless-script terms anywhere and merges overlaps', () => {
    const body = '我们在东京塔见面，东京很大';
    expect(marked(body, matchRanges(body, searchTerms('东京 东京塔')))).toEqual(['东京塔', '东京']);
  });

  it('counts offsets in UTF-16 units, as JavaScript slices', () => {
    const body = '😀😀 rendez-vous';
    const ranges = matchRanges(body, searchTerms('vous'));
    expect(ranges).toEqual([[12, 16]]);
    expect(marked(body, ranges)).toEqual(['vous']);
  });
});

describe('snippet', () => {
  it('keeps a short body whole, on one line', () => {
    const body = 'first line\nsecond word';
    const result = snippet(body, matchRanges(body, searchTerms('word')));
    expect(result).toEqual({ snippet: 'first line second word', ranges: [[18, 22]] });
  });

  it('cuts a long body around the first match, with ellipses, and shifts the ranges into it', () => {
    const body = `${'lorem ipsum '.repeat(30)}needle ${'dolor sit '.repeat(30)}needle`;
    const result = snippet(body, matchRanges(body, searchTerms('needle')));
    expect(result.snippet.startsWith('…')).toBe(true);
    expect(result.snippet.endsWith('…')).toBe(true);
    expect(result.snippet.length).toBeLessThanOrEqual(SNIPPET_LENGTH + 2);
    expect(result.ranges).toHaveLength(1);
    expect(marked(result.snippet, result.ranges)).toEqual(['needle']);
  });

  it('never splits a surrogate pair at a cut', () => {
    const body = '😀'.repeat(200) + ' needle';
    const result = snippet(body, matchRanges(body, searchTerms('needle')));
    expect(() => encodeURIComponent(result.snippet)).not.toThrow(); // it throws on a lone surrogate
    expect(marked(result.snippet, result.ranges)).toEqual(['needle']);
  });
});
