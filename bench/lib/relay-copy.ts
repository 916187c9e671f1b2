/**
 * The relay's own limit for `bench files --relay`: the same bytes through the same MSRP relay, in
 * the frames Parley sends there and paced the same way (frames of RELAY_FRAME_BYTES whole, asking
 * only for failures; at most RELAY_UNCONFIRMED_BYTES beyond the receiver's last success REPORT,
 * one every PROGRESS_REPORT_BYTES), between two endpoints that do nothing else: the receiver
 * writes what arrives to a file as it comes, frame heads and all (no parsing, no hash, no
 * reassembly). What this copy costs is the relay's part of a transfer and the framing on the wire;
 * what Parley costs beyond it is its own. Each side reserves its session on the relay with AUTH
 * (sip/msrp/relay-client.ts) and is one process, as the raw copy's sides are (raw-copy.ts).
 *
 *   node --import tsx bench/lib/relay-copy.ts receive <relay-port> <user> <password> <target>
 *       prints {"path":"<the receiver's path, relay first>"}, then {"endedAt":..,"bytes":..,"cpuMs":..}
 *   node --import tsx bench/lib/relay-copy.ts send <relay-port> <user> <password> <file> <path>
 *       prints {"startedAt":..,"cpuMs":..} once the receiver has confirmed every frame
 *   node --import tsx bench/lib/relay-copy.ts send-direct <relay-port> <file> <path>
 *       the same from a sender with no relay of its own: it connects to the receiver's relay and
 *       sends down the reservation, so each frame crosses the relay once (twice above)
 *
 * Both sides count bytes on the wire (heads included), so a REPORT's range names wire bytes here;
 * the last frame has a transaction id both know, so the receiver sees the end without parsing.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { RELAY_FRAME_BYTES } from '../../electron/core/files/file-transfers.js';
import { MsrpConnection } from '../../electron/sip/msrp/connection.js';
import { PROGRESS_REPORT_BYTES } from '../../electron/sip/msrp/file-receiver.js';
import { bodyWithin, FILE_CHUNK_BYTES, RELAY_UNCONFIRMED_BYTES } from '../../electron/sip/msrp/file-sender.js';
import { chunkFramer, encodeRequest, newTransactionId } from '../../electron/sip/msrp/frame-encoder.js';
import { parsePath } from '../../electron/sip/msrp/header-values.js';
import { reserveRelay } from '../../electron/sip/msrp/relay-client.js';
import { successReport } from '../../electron/sip/msrp/report.js';
import { formatMsrpUri, type MsrpUri } from '../../electron/sip/msrp/uri.js';

const HOST = '127.0.0.1';
/** The last frame's transaction id: the receiver knows the copy is over when the stream ends with its end-line. */
const LAST_ID = 'relaycopylast';
const LAST_END_LINE = Buffer.from(`\r\n-------${LAST_ID}$\r\n`, 'latin1');
const MESSAGE_ID = 'relaycopy';
const now = () => performance.timeOrigin + performance.now();
const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/** Our URI in the session: this side of the connection, a session id of its own. */
function uriOf(socket: net.Socket): MsrpUri {
  return {
    secure: false,
    host: HOST,
    port: socket.localPort!,
    sessionId: randomBytes(9).toString('base64url'),
    transport: 'tcp',
    params: [],
  };
}

/** A connection to the relay with our session reserved on it; the relay's Use-Path and our URI. */
async function reserve(relayPort: number, user: string, password: string) {
  const socket = net.connect({ host: HOST, port: relayPort });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const connection = new MsrpConnection(socket);
  const local = uriOf(socket);
  const relay: MsrpUri = { secure: false, host: HOST, port: relayPort, transport: 'tcp', params: [] };
  const reservation = await reserveRelay(connection, relay, local, { username: user, password });
  if (!reservation.ok) throw new Error(`the relay refused: ${reservation.reason}`);
  return { socket, connection, local, usePath: reservation.usePath };
}

async function receive(relayPort: number, user: string, password: string, target: string): Promise<void> {
  const { socket, connection, local, usePath } = await reserve(relayPort, user, password);
  say({ path: [...usePath, local].map(formatMsrpUri).join(' ') });
  // From here the bytes go straight to the file: the connection's parser (and its listener) is left out.
  socket.removeAllListeners('data');
  const out = fs.createWriteStream(target, { highWaterMark: FILE_CHUNK_BYTES });
  let cpu: NodeJS.CpuUsage | undefined;
  let bytes = 0;
  let reported = 0;
  let replyTo: readonly MsrpUri[] | undefined;
  let tail = Buffer.alloc(0);
  const report = (upTo: number) => {
    const request = replyTo && successReport({ messageId: MESSAGE_ID, fromPath: replyTo, successReport: 'yes' }, upTo, local, upTo);
    const encoded = request && encodeRequest(request);
    if (encoded?.ok) connection.send(encoded.bytes);
  };
  socket.on('data', (chunk: Buffer) => {
    cpu ??= process.cpuUsage();
    // The first frame says where the REPORTs go (its From-Path, the relays' hops in it).
    replyTo ??= parsePath(/\r\nFrom-Path: ([^\r\n]+)\r\n/.exec(chunk.toString('latin1', 0, 4096))?.[1] ?? '');
    out.write(chunk);
    bytes += chunk.length;
    tail = Buffer.concat([tail, chunk.subarray(-LAST_END_LINE.length)]).subarray(-LAST_END_LINE.length);
    if (tail.equals(LAST_END_LINE)) {
      out.end(() => {
        say({ endedAt: now(), bytes, cpuMs: cpuMs(cpu!) });
        report(bytes);
        setTimeout(() => process.exit(0), 200);
      });
      return;
    }
    if (bytes - reported >= PROGRESS_REPORT_BYTES) {
      reported = bytes;
      report(bytes);
    }
  });
}

/** A connection to the relay without a reservation: a sender that uses no relay (RFC 4976 §6: it sends down the peer's). */
async function unreserved(relayPort: number) {
  const socket = net.connect({ host: HOST, port: relayPort });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return { connection: new MsrpConnection(socket), local: uriOf(socket), usePath: [] as readonly MsrpUri[] };
}

/** Sends the file from a side on the relay (`reserve`) or one without (`unreserved`). */
async function send(
  from: Promise<{ connection: MsrpConnection; local: MsrpUri; usePath: readonly MsrpUri[] }>,
  file: string,
  receiverPath: string,
): Promise<void> {
  const { connection, local, usePath } = await from;
  const peer = parsePath(receiverPath);
  if (!peer) throw new Error('the receiver path does not parse');
  const size = fs.statSync(file).size;
  const framer = chunkFramer({
    method: 'SEND',
    toPath: [...usePath, ...peer],
    fromPath: [local],
    messageId: MESSAGE_ID,
    successReport: 'yes',
    failureReport: 'partial',
    contentType: 'application/octet-stream',
  })!;
  const body = bodyWithin(RELAY_FRAME_BYTES, framer, size);
  const cpu = process.cpuUsage();
  const startedAt = now();
  let wire = 0;
  let confirmed = 0;
  let sentAll = false;
  const done = new Promise<void>((resolve, reject) => {
    connection.listen({
      frame: (item) => {
        if (item.kind !== 'request' || item.request.method !== 'REPORT') return;
        if (item.request.status?.code !== 200) return reject(new Error(`a REPORT of ${item.request.status?.code}`));
        confirmed = Math.max(confirmed, item.request.byteRange?.end ?? 0);
        if (sentAll && confirmed >= wire) return resolve();
        if (stream.isPaused() && wire - confirmed < RELAY_UNCONFIRMED_BYTES) stream.resume();
      },
      closed: (reason) => reject(new Error(`the relay connection closed: ${reason}`)),
    });
  });
  let at = 0;
  const stream = fs.createReadStream(file, { highWaterMark: FILE_CHUNK_BYTES });
  stream.on('data', (data) => {
    const block = data as Buffer;
    for (let offset = 0; offset < block.length; offset += body) {
      const piece = block.subarray(offset, offset + body);
      const last = at + piece.length >= size;
      const encoded = framer(
        last ? LAST_ID : newTransactionId(),
        { start: at + 1, end: at + piece.length, total: size },
        piece,
        last ? '$' : '+',
      );
      if (!encoded.ok) throw new Error(encoded.reason);
      connection.send(encoded.parts);
      for (const part of encoded.parts) wire += part.length;
      at += piece.length;
    }
    if (wire - confirmed >= RELAY_UNCONFIRMED_BYTES) stream.pause();
  });
  stream.on('end', () => (sentAll = true));
  await done;
  say({ startedAt, cpuMs: cpuMs(cpu) });
  connection.close('copied');
}

const [mode, port, ...rest] = process.argv.slice(2);
const relayPort = Number(port);
const [user, password, a, b] = rest;
const run =
  mode === 'receive' && user && password && a
    ? receive(relayPort, user, password, a)
    : mode === 'send' && user && password && a && b
      ? send(reserve(relayPort, user, password), a, b)
      : mode === 'send-direct' && rest.length === 2
        ? send(unreserved(relayPort), rest[0]!, rest[1]!)
        : Promise.reject(
            new Error(
              'usage: receive <relay-port> <user> <password> <target> | send <relay-port> <user> <password> <file> <path> | send-direct <relay-port> <file> <path>',
            ),
          );
run.catch((error: unknown) => {
  process.stderr.write(`relay-copy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
