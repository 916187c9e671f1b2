import { describe, expect, it } from 'vitest';
import { parseDigestChallenge } from './www-authenticate.js';

describe('parseDigestChallenge', () => {
  it('reads what Kamailio sends, quoted and bare values, qop lists and escapes', () => {
    expect(parseDigestChallenge('Digest realm="parley.test", nonce="abc+/=", algorithm=MD5')).toEqual({
      realm: 'parley.test',
      nonce: 'abc+/=',
      algorithm: 'MD5',
      opaque: undefined,
      qop: undefined,
      stale: false,
    });
    expect(parseDigestChallenge('digest realm="a \\"b\\"",qop="auth,auth-int", nonce=n1, stale=TRUE, opaque="o"')).toMatchObject({
      realm: 'a "b"',
      nonce: 'n1',
      qop: ['auth', 'auth-int'],
      stale: true,
      opaque: 'o',
    });
  });

  it('gives none for other schemes, missing realm or nonce, or garbage', () => {
    for (const header of [
      '',
      'Basic realm="x"',
      'Digest nonce="n"',
      'Digest realm="r"',
      'Digest ,,,',
      `Digest realm="${'x'.repeat(5000)}", nonce=n`,
    ]) {
      expect(parseDigestChallenge(header), header.slice(0, 40)).toBeUndefined();
    }
  });
});
