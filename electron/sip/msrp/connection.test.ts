/**
 * One MSRP connection on real loopback sockets (connection.ts): a peer that sends megabytes at
 * once (a file's window of chunks) is read at most TURN_BYTES per event-loop turn, and every frame
 * still arrives whole and in order across the pauses.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MsrpConnection, TURN_BYTES, type MsrpFrame } from './connection.js';
import { encodeRequest, newTransactionId } from './frame-encoder.js';
import { loopbackUri as uri, until } from './testing/loopback.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('MsrpConnection', () => {
  it('reads a burst of 8 MiB of chunks at most TURN_BYTES (and a read) per turn, every frame whole and in order', async () => {
    const server = net.createServer();
    closers.push(() => server.close());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const client = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
    closers.push(() => client.destroy());
    const connection = new MsrpConnection(await accepted);
    closers.push(() => connection.close('test over'));

    const CHUNK = 256 * 1024;
    const COUNT = 32;
    const frames: Array<{ turn: number; bytes: number; body: Buffer }> = [];
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    connection.listen({
      frame: (item: MsrpFrame) => {
        if (item.kind === 'request') frames.push({ turn, bytes: item.request.body.length, body: item.request.body });
      },
      closed: () => {},
    });
    const wire = Buffer.concat(
      Array.from({ length: COUNT }, (_, n) => {
        const encoded = encodeRequest({
          method: 'SEND',
          transactionId: newTransactionId(),
          toPath: [uri(2855, 'receiver')],
          fromPath: [uri(2856, 'sender')],
          messageId: 'file0001',
          byteRange: { start: n * CHUNK + 1, end: (n + 1) * CHUNK, total: COUNT * CHUNK },
          contentType: 'application/octet-stream',
          body: Buffer.alloc(CHUNK, n),
        });
        if (!encoded.ok) throw new Error(encoded.reason);
        return encoded.bytes;
      }),
    );
    client.write(wire);
    await until(() => frames.length === COUNT, 30_000);
    ticking = false;

    frames.forEach((frame, n) => expect(frame.body.equals(Buffer.alloc(CHUNK, n))).toBe(true));
    const perTurn = new Map<number, number>();
    for (const frame of frames) perTurn.set(frame.turn, (perTurn.get(frame.turn) ?? 0) + frame.bytes);
    // A turn completes the frames of at most TURN_BYTES read in it, one read past the bound, and the frame begun before it.
    const bound = TURN_BYTES + 64 * 1024 + CHUNK;
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(bound);
    expect(perTurn.size).toBeGreaterThanOrEqual(Math.ceil((COUNT * CHUNK) / bound));
  });
});
