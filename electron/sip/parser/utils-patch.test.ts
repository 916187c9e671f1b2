/**
 * The sip.js patch to its message utilities: cryptographic random tokens drawn from a pooled
 * source, header names canonicalised once each, and the UTF-8 length of a body counted without escaping it.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Utils from 'sip.js/lib/core/messages/utils.js';

describe('createRandomToken (patched)', () => {
  it('draws from crypto.getRandomValues, a block at a time, never Math.random', () => {
    const fromCrypto = vi.spyOn(globalThis.crypto, 'getRandomValues');
    const fromMath = vi.spyOn(Math, 'random');
    try {
      const tokens = Array.from({ length: 1000 }, () => Utils.createRandomToken(10));
      expect(fromMath).not.toHaveBeenCalled();
      // 10,000 bytes from 4 KiB blocks: a handful of calls, not one per token.
      expect(fromCrypto.mock.calls.length).toBeGreaterThan(0);
      expect(fromCrypto.mock.calls.length).toBeLessThanOrEqual(4);
      expect(new Set(tokens).size).toBe(1000);
      for (const token of tokens) expect(token).toMatch(/^[0-9a-v]{10}$/);
      // Every base-32 digit turns up (the pool is used whole, not one byte over and over).
      expect(new Set(tokens.join('')).size).toBe(32);
    } finally {
      fromCrypto.mockRestore();
      fromMath.mockRestore();
    }
  });
});

describe('headerize (patched)', () => {
  it('gives the canonical form, the same on every call, exceptions included', () => {
    for (let round = 0; round < 3; round++) {
      expect(Utils.headerize('call-id')).toBe('Call-ID');
      expect(Utils.headerize('cseq')).toBe('CSeq');
      expect(Utils.headerize('www-authenticate')).toBe('WWW-Authenticate');
      expect(Utils.headerize('content_type')).toBe('Content-Type');
      expect(Utils.headerize('X-PARLEY-test')).toBe('X-Parley-Test');
    }
  });

  it('stays right past its cache of names (a peer inventing thousands of headers)', () => {
    for (let i = 0; i < 3000; i++) expect(Utils.headerize(`x-custom-${i}`)).toBe(`X-Custom-${i}`);
    expect(Utils.headerize('max-forwards')).toBe('Max-Forwards');
  });
});

describe('utf8Length (patched)', () => {
  it('is the length of the UTF-8 a body is sent as, a lone surrogate counted as U+FFFD', () => {
    const samples = [
      '',
      'hello',
      'café',
      '€',
      '😀',
      'a😀b',
      '\uD83D',
      '\uDE00',
      'x\uDE00\uD83Dy',
      '\uD83D\uD83D\uDE00',
      '<note xml:lang="de">Grüße aus Köln</note>',
      String.fromCharCode(0x7f, 0x80, 0x7ff, 0x800, 0xffff),
    ];
    for (const text of samples) expect(Utils.utf8Length(text), JSON.stringify(text)).toBe(Buffer.byteLength(text, 'utf8'));
    // every code unit, and random mixes of them
    for (let unit = 0; unit < 0x10000; unit += 7) {
      const text = String.fromCharCode(unit);
      expect(Utils.utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: next() % 12 }, () => String.fromCharCode(next() % 0x10000)).join('');
      expect(Utils.utf8Length(text)).toBe(Buffer.byteLength(text, 'utf8'));
    }
  });
});
