/**
 * File offers (RFC 5547) from a hostile peer: raw INVITEs over UDP to a direct-mode Parley, then
 * raw MSRP over TCP to the listener its answer names. Whatever the peer says about the file
 * (its name, its size, its hash) or sends in its place, the user sees a clear reason and nothing
 * is written outside the downloads folder; a file that fails is not left in it either.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileTransfer, SequencedEvent } from '../../../shared/ipc.js';
import { encodeRequest, newMessageId, newTransactionId } from '../../sip/msrp/frame-encoder.js';
import { parseMsrpSdp } from '../../sip/msrp/sdp.js';
import type { MsrpUri } from '../../sip/msrp/uri.js';
import type { UdpPeer } from '../../sip/testing/raw-peers.js';
import type { TestCore } from '../../testing/cores.js';
import { directParleyWithPeer, finalAnswer as answerOn, strangerOffer, type DirectPeer } from '../sessions/testing/direct-peer.js';

let direct: DirectPeer;
let downloads: string;
const parley = (): TestCore => direct.parley;
const peer = (): UdpPeer => direct.peer;
const port = (): number => direct.port;

beforeAll(async () => {
  direct = await directParleyWithPeer();
  downloads = (await parley().core.commands.getFileSettings({})).downloadsDir;
});
afterAll(async () => {
  await direct?.stop();
});

const ourPath: MsrpUri = { secure: false, host: '127.0.0.1', port: 9, sessionId: 'hostilesender', transport: 'tcp', params: [] };
let count = 0;

function offerSdp(selector: string, range?: string): string {
  return strangerOffer(['a=sendonly', `a=file-selector:${selector}`, ...(range ? [`a=file-range:${range}`] : [])], '*', 'hostilesender');
}

function request(method: 'INVITE' | 'ACK', n: number, toTag = '', body = ''): string {
  return [
    `${method} sip:parley@127.0.0.1:${port()} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer().port};branch=z9hG4bK-file-${n}-${method}`,
    'Max-Forwards: 70',
    `From: <sip:stranger@127.0.0.1:${peer().port}>;tag=t${n}`,
    `To: <sip:parley@127.0.0.1:${port()}>${toTag ? `;tag=${toTag}` : ''}`,
    `Call-ID: hostile-file-${n}@127.0.0.1`,
    `CSeq: 1 ${method}`,
    `Contact: <sip:stranger@127.0.0.1:${peer().port}>`,
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** The next final response to call `n` (provisional ones and other calls skipped). */
function finalAnswer(n: number): Promise<string> {
  return answerOn(peer(), `hostile-file-${n}@`, 10_000);
}

const isTransfer =
  (match: (t: FileTransfer) => boolean) =>
  (e: SequencedEvent): e is SequencedEvent & { type: 'file-transfer'; transfer: FileTransfer } =>
    e.type === 'file-transfer' && match(e.transfer);
const settled = (id: string) => isTransfer((t) => t.id === id && ['done', 'failed', 'declined', 'cancelled'].includes(t.state));

/**
 * Offers a file described by `selector`, accepts it as the user would, connects to Parley's MSRP
 * path and sends `chunks` (bytes and Byte-Range total of each); the transfer as it ended.
 */
async function hostileTransfer(selector: string, chunks: Array<{ body: Buffer; total: number | undefined; last?: boolean }>) {
  const { offer, socket } = await offeredAndAccepted(selector);
  sendChunks(socket.socket, socket.path, chunks);
  const ended = (await parley().waitFor(settled(offer.id), 20_000)).transfer;
  socket.socket.destroy();
  return { offer, ended };
}

/** A file offered by the stranger and accepted as the user would; the connection to Parley's MSRP path. */
async function offeredAndAccepted(selector: string) {
  const n = ++count;
  await peer().send(request('INVITE', n, '', offerSdp(selector)), port());
  const offer = (await parley().waitFor(isTransfer((t) => t.state === 'offered' && !seen.has(t.id)))).transfer;
  seen.add(offer.id);
  await parley().core.commands.answerFileOffer({ id: offer.id, accept: true });
  return { offer, socket: await connectAfterAnswer(n) };
}

/** Call `n`'s 200 acknowledged, and a connection to the MSRP path its answer names. */
async function connectAfterAnswer(n: number): Promise<{ socket: net.Socket; path: MsrpUri[] }> {
  const ok = await finalAnswer(n);
  expect(ok).toMatch(/^SIP\/2\.0 200 /);
  const toTag = /^To: .*;tag=([^;\s]+)/m.exec(ok)![1]!;
  await peer().send(request('ACK', n, toTag), port());
  const answer = parseMsrpSdp(ok.slice(ok.indexOf('\r\n\r\n') + 4), 'answer');
  if (!answer.ok) throw new Error(answer.reason);
  const target = answer.media.path[0]!;
  const socket = net.connect({ host: target.host, port: target.port! });
  socket.on('error', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  return { socket, path: answer.media.path };
}

/** SEND chunks of one message from byte `start` on. */
function sendChunks(
  socket: net.Socket,
  toPath: MsrpUri[],
  chunks: Array<{ body: Buffer; total: number | undefined; last?: boolean }>,
  start = 1,
): void {
  const messageId = newMessageId();
  for (const chunk of chunks) {
    const encoded = encodeRequest({
      method: 'SEND',
      transactionId: newTransactionId(),
      toPath,
      fromPath: [ourPath],
      messageId,
      byteRange: { start, end: start + chunk.body.length - 1, ...(chunk.total !== undefined ? { total: chunk.total } : {}) },
      successReport: 'yes',
      contentType: 'application/octet-stream',
      body: chunk.body,
      continuation: chunk.last === false ? '+' : '$',
    });
    if (!encoded.ok) throw new Error(encoded.reason);
    socket.write(encoded.bytes);
    start += chunk.body.length;
  }
}
const seen = new Set<string>();

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex').toUpperCase().match(/../g)!.join(':');
const files = () => (fs.existsSync(downloads) ? fs.readdirSync(downloads).sort() : []);

describe('hostile file offers', () => {
  it('a name with path separators, parent references and a NUL is saved under a safe name inside the downloads folder', async () => {
    const body = Buffer.from('hello');
    const { offer, ended } = await hostileTransfer(`name:"../../a%00b/..%2F.bashrc" type:text/plain size:5 hash:sha-1:${sha1(body)}`, [
      { body, total: 5 },
    ]);
    expect(offer.name).not.toMatch(/[/\\]/);
    expect(offer.name).not.toContain(String.fromCharCode(0));
    expect(offer.name.startsWith('.')).toBe(false);
    expect(ended.state).toBe('done');
    expect(path.dirname(ended.savedAs!)).toBe(downloads);
    expect(fs.readFileSync(ended.savedAs!, 'utf8')).toBe('hello');
    expect(fs.existsSync(path.join(downloads, '..', '.bashrc'))).toBe(false);
    fs.rmSync(ended.savedAs!);
  });

  it('more bytes than the offer declared: the transfer ends with the reason, nothing stays', async () => {
    const body = Buffer.alloc(10, 1);
    const { ended } = await hostileTransfer('name:"more.bin" size:5', [{ body, total: undefined }]);
    expect(ended).toMatchObject({ state: 'failed', reason: expect.stringMatching(/more bytes than the 5 it offered/) });
    await expect.poll(files).toEqual([]);
  });

  it('a Byte-Range total other than the offered size ends the transfer', async () => {
    const { ended } = await hostileTransfer('name:"lying.bin" size:5', [{ body: Buffer.alloc(3), total: 3 }]);
    expect(ended).toMatchObject({ state: 'failed', reason: expect.stringMatching(/size \(3 bytes\) differs from its offer \(5 bytes\)/) });
    await expect.poll(files).toEqual([]);
  });

  it('fewer bytes than declared, then the last chunk: incomplete, nothing stays', async () => {
    const { ended } = await hostileTransfer('name:"short.bin" size:50', [{ body: Buffer.alloc(20), total: undefined }]);
    expect(ended).toMatchObject({ state: 'failed', reason: expect.stringMatching(/bytes missing \(20 of 50 bytes\)/) });
    await expect.poll(files).toEqual([]);
  });

  it('a hash that does not match: the file is deleted and the transfer failed with the reason', async () => {
    const { ended } = await hostileTransfer(`name:"photo.jpg" size:5 hash:sha-1:${sha1(Buffer.from('other'))}`, [
      { body: Buffer.from('hello'), total: 5 },
    ]);
    expect(ended).toMatchObject({ state: 'failed', reason: expect.stringMatching(/does not match the hash/) });
    await expect.poll(files).toEqual([]);
  });

  it('resuming after a cut: offers past the bytes kept, beyond the size or of another file are refused; a resume whose whole file misses the hash fails and nothing stays', async () => {
    const good = Buffer.alloc(100, 7);
    const selector = `name:"resume.bin" size:100 hash:sha-1:${sha1(good)}`;
    const { offer, socket: first } = await offeredAndAccepted(selector);
    sendChunks(first.socket, first.path, [{ body: good.subarray(0, 40), total: 100, last: false }]);
    await parley().waitFor(isTransfer((t) => t.id === offer.id && t.transferred === 40));
    first.socket.destroy();
    const cut = (await parley().waitFor(isTransfer((t) => t.id === offer.id && t.state === 'interrupted'))).transfer;
    expect(cut.transferred).toBe(40);
    expect(files()).toEqual(['resume.bin.part']);
    expect(fs.statSync(path.join(downloads, 'resume.bin.part')).size).toBe(40);

    const refused = async (offerText: string) => {
      const m = ++count;
      await peer().send(request('INVITE', m, '', offerText), port());
      return finalAnswer(m);
    };
    expect(await refused(offerSdp(selector, '50-100'))).toMatch(/^SIP\/2\.0 488 File Range Starts Past What We Have/);
    expect(await refused(offerSdp(selector, '41-200'))).toMatch(/^SIP\/2\.0 488 File Range Beyond The File/);
    expect(await refused(offerSdp(selector, '41-60'))).toMatch(/^SIP\/2\.0 488 Only The Rest Of The File Is Taken/);
    const other = `name:"resume.bin" size:100 hash:sha-1:${sha1(Buffer.alloc(100, 8))}`;
    expect(await refused(offerSdp(other, '41-100'))).toMatch(/^SIP\/2\.0 488 No Transfer To Resume/);
    expect((await parley().core.commands.listFileTransfers({})).find((t) => t.id === offer.id)?.state).toBe('interrupted');

    // A resume that fits is taken without asking the user again; bytes that make another file fail the hash.
    const m = ++count;
    await peer().send(request('INVITE', m, '', offerSdp(selector, '41-100')), port());
    const second = await connectAfterAnswer(m);
    sendChunks(second.socket, second.path, [{ body: Buffer.alloc(60, 9), total: 100 }], 41);
    const ended = (await parley().waitFor(settled(offer.id), 20_000)).transfer;
    second.socket.destroy();
    expect(ended).toMatchObject({ state: 'failed', resumedAt: 40, reason: expect.stringMatching(/does not match the hash/) });
    await expect.poll(files).toEqual([]);
  });

  it('an offer without a size is refused 488 and never shown', async () => {
    const n = ++count;
    const before = parley().events.length;
    await peer().send(request('INVITE', n, '', offerSdp('name:"nosize.bin" type:text/plain')), port());
    expect(await finalAnswer(n)).toMatch(/^SIP\/2\.0 488 File Size Not Given/);
    expect(
      parley()
        .events.slice(before)
        .filter((e) => e.type === 'file-transfer'),
    ).toEqual([]);
  });
});
