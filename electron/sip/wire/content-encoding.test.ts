import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeContentEncoding } from './content-encoding.js';

const message = (headers: string[], body: Buffer) =>
  Buffer.concat([
    Buffer.from(['MESSAGE sip:a@b SIP/2.0', ...headers, `Content-Length: ${body.length}`, '', ''].join('\r\n'), 'latin1'),
    body,
  ]);
const text = '<imdn xmlns="urn:ietf:params:xml:ns:imdn"><message-id>grüße</message-id></imdn>';

describe('decodeContentEncoding', () => {
  it("inflates liblinphone's deflate (zlib), raw deflate and gzip, and says so in the head", () => {
    for (const body of [deflateSync(text), deflateRawSync(text), gzipSync(text)]) {
      const coding = body[0] === 0x1f ? 'gzip' : 'deflate';
      const decoded = decodeContentEncoding(
        message(['Content-Encoding: ' + coding, 'Content-Type: message/imdn+xml'], body),
        65536,
      ).toString('utf8');
      expect(decoded).toMatch(/\r\n\r\n<imdn .*grüße.*<\/imdn>$/);
      expect(decoded).not.toMatch(/Content-Encoding/i);
      expect(decoded).toContain(`\r\nContent-Length: ${Buffer.byteLength(text)}\r\n`);
      expect(decoded).toContain('\r\nContent-Type: message/imdn+xml\r\n');
    }
  });

  it('leaves alone what it cannot or must not decode: none, identity, unknown, broken, a bomb over the limit', () => {
    const plain = message(['Content-Type: text/plain'], Buffer.from('hi'));
    expect(decodeContentEncoding(plain, 65536)).toBe(plain);
    for (const coded of [
      message(['Content-Encoding: identity'], Buffer.from('hi')),
      message(['Content-Encoding: br'], Buffer.from('hi')),
      message(['Content-Encoding: deflate'], Buffer.from('not deflate at all')),
      message(['Content-Encoding: deflate'], deflateSync(Buffer.alloc(10_000_000))),
    ]) {
      expect(decodeContentEncoding(coded, 65536)).toBe(coded);
    }
  });
});
