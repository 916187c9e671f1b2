/**
 * FileSender through a relay, over a real loopback TCP connection whose far end plays the relay:
 * it answers every chunk 200 at once (RFC 4976, hop by hop), as a real relay does, so only the
 * receiver's success REPORTs can pace the sender. The sender must stop at RELAY_UNCONFIRMED_BYTES
 * beyond the last REPORT (and a block read from disk), go on when a REPORT comes, and never send
 * a frame longer than it was told (the bundled relay refuses frames of 11,239 bytes and more).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../support/clock.js';
import { FILE_CHUNK_BYTES, FileSender, RELAY_UNCONFIRMED_BYTES } from './file-sender.js';
import { encodeRequest, encodeResponse } from './frame-encoder.js';
import { MsrpFrameParser } from './frame-parser.js';
import type { MsrpRequest } from './message.js';
import { successReport, transactionResponse } from './report.js';
import { connectedPair, until } from './testing/loopback.js';
import type { MsrpUri } from './uri.js';

const local: MsrpUri = { secure: false, host: '127.0.0.1', port: 1, sessionId: 'sender', transport: 'tcp', params: [] };
const relay: MsrpUri = { secure: false, host: '127.0.0.1', port: 2, sessionId: 'relay-reservation', transport: 'tcp', params: [] };
const receiver: MsrpUri = { secure: false, host: '127.0.0.1', port: 3, sessionId: 'receiver', transport: 'tcp', params: [] };
const FRAME_BYTES = 11_000;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** The relay's side: every SEND answered 200 at once; each frame's whole length kept. */
function playRelay(socket: net.Socket) {
  const parser = new MsrpFrameParser();
  const sends: MsrpRequest[] = [];
  const frameLengths: number[] = [];
  let raw = Buffer.alloc(0);
  let framedTo = 0;
  socket.on('data', (chunk: Buffer) => {
    raw = Buffer.concat([raw, chunk]);
    for (const item of parser.push(chunk)) {
      if (item.kind !== 'request') continue;
      const marker = `-------${item.request.transactionId}`;
      const end = raw.indexOf(marker, framedTo) + marker.length + 3;
      frameLengths.push(end - framedTo);
      framedTo = end;
      sends.push(item.request);
      const answer = encodeResponse(transactionResponse(item.request, 200, relay)!);
      if (answer.ok) socket.write(answer.bytes);
    }
  });
  const received = () => sends.reduce((sum, send) => sum + send.body.length, 0);
  /** The receiver's success REPORT for bytes 1..upTo, as it would come back through the relay. */
  const confirm = (upTo: number, size: number) => {
    const { messageId, fromPath } = sends[0]!;
    const report = successReport({ messageId: messageId!, fromPath, successReport: 'yes' }, size, receiver, upTo)!;
    const encoded = encodeRequest(report);
    if (encoded.ok) socket.write(encoded.bytes);
  };
  return { sends, frameLengths, received, confirm };
}

/** Waits until nothing more arrives for a while: the sender has stopped by itself. */
async function settledAt(read: () => number): Promise<number> {
  let last = -1;
  while (read() !== last) {
    last = read();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return last;
}

describe('FileSender through a relay', () => {
  it("waits for the receiver's REPORTs, not the relay's 200s, and keeps every frame within the relay's size", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sender-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const size = 4 * 1024 * 1024 + 123;
    const file = path.join(folder, 'file.bin');
    fs.writeFileSync(file, randomBytes(size));
    const { ours, theirs } = await connectedPair(cleanups);
    const far = playRelay(theirs);
    const sender = new FileSender({
      connection: ours,
      local,
      remotePath: [relay, receiver],
      clock: systemClock,
      path: file,
      size,
      contentType: 'application/octet-stream',
      messageId: 'file-message',
      relayFrameBytes: FRAME_BYTES,
      progress: () => {},
    });
    sender.start();

    // No REPORT yet: the sender stops past RELAY_UNCONFIRMED_BYTES, within one block read from disk.
    const first = await settledAt(far.received);
    expect(first).toBeGreaterThanOrEqual(RELAY_UNCONFIRMED_BYTES);
    expect(first).toBeLessThan(RELAY_UNCONFIRMED_BYTES + FILE_CHUNK_BYTES);

    // A REPORT for part of it lets the sender go on by about as much.
    far.confirm(first, size);
    await until(() => far.received() > first + FILE_CHUNK_BYTES);
    const second = await settledAt(far.received);
    expect(second).toBeLessThan(first + RELAY_UNCONFIRMED_BYTES + FILE_CHUNK_BYTES);

    // REPORTs as the receiver would send them carry the file to its end.
    while (far.received() < size) {
      far.confirm(far.received(), size);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    far.confirm(size, size);
    await expect(sender.done).resolves.toEqual({ ok: true });

    const bytes = Buffer.concat(far.sends.map((send) => send.body));
    expect(bytes.equals(fs.readFileSync(file))).toBe(true);
    expect(Math.max(...far.frameLengths)).toBeLessThanOrEqual(FRAME_BYTES);
    // And no smaller than the frame allows: the body is what the head leaves.
    expect(Math.max(...far.frameLengths)).toBeGreaterThan(FRAME_BYTES - 32);
  });
});
