/**
 * FileSender through a relay, over a real loopback TCP connection whose far end plays the relay.
 * A relay would answer each chunk itself as it takes it (RFC 4976), so the sender's chunks ask for
 * failures only (Failure-Report: partial) and only the receiver's success REPORTs pace it: it must
 * stop at RELAY_UNCONFIRMED_BYTES beyond the last REPORT (and a block read from disk), go on when
 * a REPORT comes, never send a frame longer than it was told (the bundled relay refuses frames of
 * 11,239 bytes and more), and fail when the relay refuses a chunk on the way.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../support/clock.js';
import type { MsrpConnection } from './connection.js';
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

/** The relay's side: every SEND answered as it asks (or refused with the code `refuse` gives for the n-th); each frame's whole length kept. */
function playRelay(socket: net.Socket, refuse: (n: number) => number | undefined = () => undefined) {
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
      const answer = transactionResponse(item.request, refuse(sends.length) ?? 200, relay);
      const encoded = answer && encodeResponse(answer);
      if (encoded?.ok) socket.write(encoded.bytes);
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

/** A sender of `file` to the receiver behind the relay, started. */
function sendThroughRelay(connection: MsrpConnection, file: string, size: number): FileSender {
  const sender = new FileSender({
    connection,
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
  return sender;
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
    const sender = sendThroughRelay(ours, file, size);

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

    expect(far.sends.every((send) => send.failureReport === 'partial')).toBe(true);
    const bytes = Buffer.concat(far.sends.map((send) => send.body));
    expect(bytes.equals(fs.readFileSync(file))).toBe(true);
    expect(Math.max(...far.frameLengths)).toBeLessThanOrEqual(FRAME_BYTES);
    // And no smaller than the frame allows: the body is what the head leaves.
    expect(Math.max(...far.frameLengths)).toBeGreaterThan(FRAME_BYTES - 32);
  });

  it('fails with the reason when the relay could not pass a chunk on (its 408)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sender-'));
    cleanups.push(() => fs.rmSync(folder, { recursive: true, force: true }));
    const file = path.join(folder, 'file.bin');
    fs.writeFileSync(file, randomBytes(100_000));
    const { ours, theirs } = await connectedPair(cleanups);
    playRelay(theirs, (n) => (n === 3 ? 408 : undefined));
    const sender = sendThroughRelay(ours, file, 100_000);
    const outcome = await sender.done;
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.reason).toMatch(/refused on the way: 408/);
  });
});
