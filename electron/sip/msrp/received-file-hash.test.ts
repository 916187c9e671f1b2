import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReceivedFileHash } from './received-file-hash.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-received-hash-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');

/** Writes each [offset, bytes] into a fresh file as the receiver does (positioned), telling the hash after each. */
function receive(writes: Array<[number, Buffer]>): { file: string; hash: ReceivedFileHash } {
  const file = path.join(dir, 'f.part');
  const fd = fs.openSync(file, 'wx');
  const hash = new ReceivedFileHash();
  for (const [offset, bytes] of writes) {
    fs.writeSync(fd, bytes, 0, bytes.length, offset);
    hash.written(offset, bytes);
  }
  fs.closeSync(fd);
  return { file, hash };
}

const content = randomBytes(300_000);
const piece = (start: number, end: number): [number, Buffer] => [start, content.subarray(start, end)];

describe('ReceivedFileHash', () => {
  it('chunks in order: the digest of the bytes, with no read-back needed', async () => {
    const { hash } = receive([piece(0, 100_000), piece(100_000, 200_000), piece(200_000, 300_000)]);
    // The file is gone: the digest can only have come from the chunks themselves.
    fs.rmSync(dir, { recursive: true, force: true });
    expect(await hash.digest(path.join(dir, 'f.part'))).toBe(sha1(content));
  });

  it('chunks out of order: the in-order start from memory, the rest read from disk', async () => {
    const { file, hash } = receive([piece(0, 100_000), piece(200_000, 300_000), piece(100_000, 200_000)]);
    expect(await hash.digest(file)).toBe(sha1(content));
  });

  it('the first chunk missing at first: everything read from disk', async () => {
    const { file, hash } = receive([piece(150_000, 300_000), piece(0, 150_000)]);
    expect(await hash.digest(file)).toBe(sha1(content));
  });

  it('a chunk that rewrites hashed bytes with others: the digest is of what the file holds', async () => {
    const other = randomBytes(50_000);
    const { file, hash } = receive([piece(0, 100_000), [20_000, other], piece(100_000, 300_000)]);
    const onDisk = fs.readFileSync(file);
    expect(onDisk.subarray(20_000, 70_000).equals(other)).toBe(true);
    expect(await hash.digest(file)).toBe(sha1(onDisk));
  });

  it('an empty file', async () => {
    const { file, hash } = receive([]);
    expect(await hash.digest(file)).toBe(sha1(Buffer.alloc(0)));
  });
});
