import { describe, expect, it } from 'vitest';
import { buildCatalog, moveInGrid, searchEmoji } from './emoji-catalog.js';

const data = [
  { unicode: '😀', label: 'grinning face', group: 0, order: 1, tags: ['face', 'grin'] },
  { unicode: '❤️', label: 'red heart', group: 0, order: 3, tags: ['heart'] },
  { unicode: '😃', label: 'grinning face with big eyes', group: 0, order: 2, tags: ['face', 'smile'] },
  { unicode: '👍', label: 'thumbs up', group: 1, order: 10, tags: ['+1', 'hand'] },
  { unicode: '🏻', label: 'light skin tone', group: 2, order: 20 },
  { unicode: '🇦', label: 'regional indicator A' },
];
const groups = [
  { message: 'people & body', order: 1 },
  { message: 'smileys & emotion', order: 0 },
  { message: 'components', order: 2 },
  { message: 'flags', order: 9 },
];

describe('emoji catalogue', () => {
  it('sorts categories and emoji in Unicode order, without skin-tone components or groupless entries', () => {
    const catalog = buildCatalog(data, groups);
    expect(catalog.map((c) => [c.label, c.emojis.map((e) => e.unicode).join('')])).toEqual([
      ['Smileys & emotion', '😀😃❤️'],
      ['People & body', '👍'],
    ]);
  });

  it('finds emoji by the start of every word typed, names first', () => {
    const catalog = buildCatalog(data, groups);
    expect(searchEmoji(catalog, 'grin').map((e) => e.unicode)).toEqual(['😀', '😃']);
    expect(searchEmoji(catalog, 'smile').map((e) => e.unicode)).toEqual(['😃']);
    expect(searchEmoji(catalog, 'Thumbs U').map((e) => e.unicode)).toEqual(['👍']);
    expect(searchEmoji(catalog, 'heart red').map((e) => e.unicode)).toEqual(['❤️']);
    expect(searchEmoji(catalog, '  ')).toEqual([]);
    expect(searchEmoji(catalog, 'zebra')).toEqual([]);
  });

  it('moves through the grid with arrows, stopping at the edges', () => {
    expect(moveInGrid(0, 'ArrowRight', 10, 4)).toBe(1);
    expect(moveInGrid(0, 'ArrowLeft', 10, 4)).toBe(0);
    expect(moveInGrid(1, 'ArrowDown', 10, 4)).toBe(5);
    expect(moveInGrid(7, 'ArrowDown', 10, 4)).toBe(7);
    expect(moveInGrid(5, 'ArrowUp', 10, 4)).toBe(1);
    expect(moveInGrid(5, 'End', 10, 4)).toBe(9);
    expect(moveInGrid(5, 'x', 10, 4)).toBe(5);
  });
});
