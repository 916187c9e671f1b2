/** The window's uploads (staged-uploads.ts) on a real folder: in order, bounded, deleted when done. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_OPEN_UPLOADS, StagedUploads } from './staged-uploads.js';

let dir: string;
let uploads: StagedUploads;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-uploads-'));
  uploads = new StagedUploads(path.join(dir, 'outgoing'));
});
afterEach(async () => {
  await uploads.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('StagedUploads', () => {
  it('keeps the bytes written in order under a safe name, and deletes the copy on release', async () => {
    const id = await uploads.start('../../etc/passwd', 6, 100);
    expect(await uploads.write(id, 0, Buffer.from('abc'))).toBe(3);
    await expect(uploads.take(id)).rejects.toThrow(/not complete/);
    expect(await uploads.write(id, 3, Buffer.from('def'))).toBe(6);
    const { file, release } = await uploads.take(id);
    expect(path.dirname(path.dirname(file))).toBe(path.join(dir, 'outgoing'));
    expect(path.basename(file)).not.toContain('/');
    expect(fs.readFileSync(file, 'utf8')).toBe('abcdef');
    await expect(uploads.write(id, 6, Buffer.from('x'))).rejects.toThrow(/no such upload/);
    release();
    await expect.poll(() => fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('refuses chunks out of order, bytes past the declared size, sizes past the limit', async () => {
    await expect(uploads.start('big.bin', 101, 100)).rejects.toThrow(/larger than the limit/);
    const id = await uploads.start('a.txt', 4, 100);
    await expect(uploads.write(id, 2, Buffer.from('cd'))).rejects.toThrow(/expected the chunk at 0/);
    await expect(uploads.write(id, 0, Buffer.from('abcde'))).rejects.toThrow(/more bytes than the declared size/);
    // An upload that sent too much is given up: its copy is gone.
    await expect(uploads.write(id, 0, Buffer.from('ab'))).rejects.toThrow(/no such upload/);
    expect(fs.readdirSync(path.join(dir, 'outgoing'))).toEqual([]);
  });

  it('has at most MAX_OPEN_UPLOADS open at once; a discarded one frees its place and its copy', async () => {
    const ids = [];
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) ids.push(await uploads.start(`f${i}`, 1, 10));
    await expect(uploads.start('one-more', 1, 10)).rejects.toThrow(/too many/);
    await uploads.discard(ids[0]!);
    expect(fs.readdirSync(path.join(dir, 'outgoing'))).toHaveLength(MAX_OPEN_UPLOADS - 1);
    await expect(uploads.start('now-fits', 1, 10)).resolves.toMatch(/^[0-9a-f]+$/);
  });

  it('clears what an earlier run left', async () => {
    const id = await uploads.start('left.txt', 1, 10);
    await uploads.write(id, 0, Buffer.from('x'));
    const again = new StagedUploads(path.join(dir, 'outgoing'));
    await again.clearLeftovers();
    expect(fs.existsSync(path.join(dir, 'outgoing'))).toBe(false);
  });
});
