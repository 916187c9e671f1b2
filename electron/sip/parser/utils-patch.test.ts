/**
 * The sip.js patch to its message utilities: cryptographic random tokens drawn from a pooled
 * source, and header names canonicalised once each.
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
