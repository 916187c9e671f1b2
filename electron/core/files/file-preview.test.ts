/** Previews of received images (file-preview.ts) on real files: typed by their bytes, bounded, only for files received here. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FileTransfer } from '../../../shared/ipc.js';
import { MAX_UPLOAD_CHUNK_BYTES } from '../../../shared/ipc.js';
import { imageTypeOf, readPreview } from './file-preview.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-preview-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function received(name: string, bytes: Buffer, change: Partial<FileTransfer> = {}): FileTransfer {
  const savedAs = path.join(dir, name);
  fs.writeFileSync(savedAs, bytes);
  return {
    id: name,
    peer: 'sip:bob@example.org',
    direction: 'in',
    name,
    size: bytes.length,
    type: 'image/png',
    state: 'done',
    transferred: bytes.length,
    savedAs,
    startedAt: 0,
    ...change,
  };
}

describe('file previews', () => {
  it('knows PNG, JPEG, GIF and WebP by their first bytes, and nothing else', () => {
    expect(imageTypeOf(Buffer.from(PNG_HEAD))).toBe('image/png');
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageTypeOf(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(imageTypeOf(Buffer.from('RIFF\0\0\0\0WEBP'))).toBe('image/webp');
    expect(imageTypeOf(Buffer.from('RIFF\0\0\0\0WAVE'))).toBeUndefined();
    expect(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeUndefined();
  });

  it('reads an image a chunk at a time, typed by its bytes', async () => {
    const bytes = Buffer.concat([Buffer.from(PNG_HEAD), Buffer.alloc(MAX_UPLOAD_CHUNK_BYTES, 7)]);
    const t = received('big.png', bytes, { type: 'application/octet-stream' });
    const first = await readPreview(t, 0);
    expect(first).toMatchObject({ type: 'image/png', size: bytes.length });
    const second = await readPreview(t, MAX_UPLOAD_CHUNK_BYTES);
    const whole = Buffer.concat([Buffer.from(first.data, 'base64'), Buffer.from(second.data, 'base64')]);
    expect(whole.equals(bytes)).toBe(true);
  });

  it('gives no preview of markup offered as an image, a file we sent, or one not received', async () => {
    await expect(readPreview(received('x.png', Buffer.from('<html><script>alert(1)</script>')), 0)).rejects.toThrow(/not an image/);
    await expect(readPreview(received('out.png', Buffer.from(PNG_HEAD), { direction: 'out' }), 0)).rejects.toThrow(/not received here/);
    await expect(readPreview(received('going.png', Buffer.from(PNG_HEAD), { state: 'transferring' }), 0)).rejects.toThrow(
      /not received here/,
    );
    await expect(readPreview(undefined, 0)).rejects.toThrow(/not received here/);
  });
});
