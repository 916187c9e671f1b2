import { describe, expect, it } from 'vitest';
import { insertAt } from './text-insert.js';

describe('insertAt', () => {
  it('inserts at the caret, replaces a selection, and copes with a stale caret', () => {
    expect(insertAt('hello world', 5, 5, ' 👋')).toEqual({ text: 'hello 👋 world', caret: 8 });
    expect(insertAt('hello world', 6, 11, '🌍')).toEqual({ text: 'hello 🌍', caret: 8 });
    expect(insertAt('hi', 99, 99, '!')).toEqual({ text: 'hi!', caret: 3 });
    expect(insertAt('hi', 2, 0, '-')).toEqual({ text: '-', caret: 1 });
  });
});
