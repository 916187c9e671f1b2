/**
 * FileReceiver over a real loopback TCP connection: a sender that stops halfway is given up after
 * the stall timeout, and the part file is closed for its owner to delete.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../support/clock.js';
import { MsrpConnection } from './connection.js';
import { FileReceiver } from './file-receiver.js';
import { encodeRequest, newMessageId, newTransactionId } from './frame-encoder.js';
import type { MsrpUri } from './uri.js';

const local: MsrpUri = { secure: false, host: '127.0.0.1', port: 1, sessionId: 'receiver', transport: 'tcp', params: [] };
const remote: MsrpUri = { secure: false, host: '127.0.0.1', port: 2, sessionId: 'sender', transport: 'tcp', params: [] };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

async function pair(): Promise<{ ours: MsrpConnection; theirs: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const theirs = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  const socket = await accepted;
  cleanups.push(() => (theirs.destroy(), socket.destroy(), server.close()));
  return { ours: new MsrpConnection(socket), theirs };
}

describe('FileReceiver', () => {
  it('gives a stalled sender up after the stall timeout', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-receiver-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const { ours, theirs } = await pair();
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
});
