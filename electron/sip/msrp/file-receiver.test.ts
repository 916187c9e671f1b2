/**
 * FileReceiver over a real loopback TCP connection: a sender that stops halfway is given up after
 * the stall timeout, and the part file is closed for its owner to delete.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../support/clock.js';
import { FileReceiver } from './file-receiver.js';
import { encodeRequest, newMessageId, newTransactionId } from './frame-encoder.js';
import { connectedPair } from './testing/loopback.js';
import type { MsrpUri } from './uri.js';

const local: MsrpUri = { secure: false, host: '127.0.0.1', port: 1, sessionId: 'receiver', transport: 'tcp', params: [] };
const remote: MsrpUri = { secure: false, host: '127.0.0.1', port: 2, sessionId: 'sender', transport: 'tcp', params: [] };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

describe('FileReceiver', () => {
  it('gives a stalled sender up after the stall timeout', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-receiver-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const { ours, theirs } = await connectedPair(cleanups);
    const progress: number[] = [];
    const receiver = new FileReceiver({
      local,
      clock: systemClock,
      partPath: path.join(folder, 'half.bin.part'),
      size: 10,
      stallMs: 300,
      progress: (n) => progress.push(n),
    });
    receiver.open();
    receiver.attach(ours);
    const half = encodeRequest({
      method: 'SEND',
      transactionId: newTransactionId(),
      toPath: [local],
      fromPath: [remote],
      messageId: newMessageId(),
      byteRange: { start: 1, end: 5, total: 10 },
      contentType: 'application/octet-stream',
      body: Buffer.alloc(5, 7),
      continuation: '+',
    });
    if (!half.ok) throw new Error(half.reason);
    theirs.write(half.bytes);
    await expect(receiver.done).resolves.toEqual({ ok: false, reason: 'the sender stalled' });
    expect(progress).toEqual([5]);
    // Closed: its owner may delete it at once.
    fs.rmSync(path.join(folder, 'half.bin.part'));
  });

  it('a cut keeps only the gapless bytes from the first, cuts the part back to them, and a resumed receiver completes the file', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-receiver-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const part = path.join(folder, 'cut.bin.part');
    const whole = Buffer.from(Array.from({ length: 30 }, (_, i) => i));
    const chunk = (messageId: string, start: number, end: number, last = false) => {
      const encoded = encodeRequest({
        method: 'SEND',
        transactionId: newTransactionId(),
        toPath: [local],
        fromPath: [remote],
        messageId,
        byteRange: { start, end, total: 30 },
        contentType: 'application/octet-stream',
        body: whole.subarray(start - 1, end),
        continuation: last ? '$' : '+',
      });
      if (!encoded.ok) throw new Error(encoded.reason);
      return encoded.bytes;
    };
    const first = await connectedPair(cleanups);
    const progress: number[] = [];
    const receiver = new FileReceiver({ local, clock: systemClock, partPath: part, size: 30, progress: (n) => progress.push(n) });
    receiver.open();
    receiver.attach(first.ours);
    const id = newMessageId();
    // Bytes 1-10, then 21-25: a gap between, so only the first ten are kept.
    first.theirs.write(Buffer.concat([chunk(id, 1, 10), chunk(id, 21, 25)]));
    await expect.poll(() => progress.at(-1)).toBe(15);
    first.theirs.destroy();
    await expect(receiver.done).resolves.toMatchObject({ ok: false, interrupted: { kept: 10 } });
    expect(receiver.interrupted).toBe(true);
    expect(fs.readFileSync(part)).toEqual(whole.subarray(0, 10));

    const second = await connectedPair(cleanups);
    const sha1 = createHash('sha1').update(whole).digest('hex');
    const resumed = new FileReceiver({ local, clock: systemClock, partPath: part, size: 30, sha1, resumeFrom: 11, progress: () => {} });
    resumed.open();
    resumed.attach(second.ours);
    second.theirs.write(chunk(newMessageId(), 11, 30, true));
    await expect(resumed.done).resolves.toEqual({ ok: true });
    expect(fs.readFileSync(part)).toEqual(whole);
  });
});
