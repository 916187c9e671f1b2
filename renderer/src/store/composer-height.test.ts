import { describe, expect, it } from 'vitest';
import { composerHeight } from './composer-height.js';

describe('composerHeight', () => {
  it('fits the text, never below one line', () => {
    expect(composerHeight(20, 40, 700)).toEqual({ height: 40, scrolls: false });
    expect(composerHeight(120.4, 40, 700)).toEqual({ height: 121, scrolls: false });
  });

  it('stops at 40 % of the view and scrolls from there', () => {
    expect(composerHeight(2000, 40, 700)).toEqual({ height: 280, scrolls: true });
    expect(composerHeight(280, 40, 700)).toEqual({ height: 280, scrolls: false });
  });

  it('keeps one line even in a tiny view', () => {
    expect(composerHeight(300, 40, 50)).toEqual({ height: 40, scrolls: true });
  });
});
