/**
 * File transfer (issue 14 point 4, RFC 5547) on loopback:
 *
 *   npm run bench -- files [--mb N] [--runs R]
 *
 *  - Parley -> Parley: a file of N MB (default 100) of random bytes offered, accepted and sent;
 *    the INVITE and BYE through the bundled Kamailio, the bytes over MSRP directly between the two
 *    (electron/core/files/file-transfers.ts). Timed from the receiver's accept to the sender's
 *    "done" (the success REPORT, sent once the receiver has checked size and SHA-1 on disk). The
 *    saved file's SHA-1 is checked here too: exit code 1 when it differs.
 *  - The limit on this machine, in the same run: the same bytes copied over one raw TCP
 *    connection on loopback from the file into a file (read, send, write; no framing, no hash).
 *  - The main loop's longest stall during the Parley transfer (perf_hooks monitorEventLoopDelay).
 *    Both Parleys run in this one process, so the loop carries the sender and the receiver at
 *    once: a stricter figure than either alone.
 * R runs (default 3) of each, alternating; figures as median (min–max).
 * A table, then as the last line one JSON object with the figures and the ratio Parley/raw.
 * Aims: the ratio at least 0.5, no stall over 50 ms.
 *
 * Direct: chat sessions can go through an MSRP relay (the account's msrpRelay), file transfers do
 * not yet (docs/DESIGN.md#msrp-relay); a `--relay` variant belongs in `transferThroughParley` once
 * they do (the accounts then name the bundled relay).
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import type { FileTransfer, SequencedEvent } from '../shared/ipc.js';
import type { Core } from '../electron/core/core.js';
import { createParley } from '../electron/hosts/compose.js';
import { silentLogger } from '../electron/support/logger.js';
import { flag, numberOption } from './lib/args.js';
import { Harness } from './lib/harness.js';
import { round, spread, spreadText, table } from './lib/stats.js';

const HOST = '127.0.0.1';
const MB = Math.max(1, numberOption('--mb', 100));
const RUNS = Math.max(1, Math.floor(numberOption('--runs', 3)));
const AIM = { ratio: 0.5, stallMs: 50 };
if (flag('--relay')) {
  console.error('bench files: --relay is not there yet (file transfers do not go through the MSRP relay yet); this bench is direct');
  process.exit(2);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-files-'));
const harness = new Harness('files', 30 * 60_000);

/** A core in this process, registered, with its events collected. */
async function parley(user: string, domain: string, proxy: string): Promise<{ core: Core; events: SequencedEvent[] }> {
  const dataDir = fs.mkdtempSync(path.join(work, `${user}-`));
  const core = await createParley({
    dataDir,
    listen: `${HOST}:0`,
    logger: silentLogger,
    account: { aor: `sip:${user}@${domain}`, proxy, transport: 'tcp', registerExpires: 600 },
  });
  harness.onCleanup(() => core.stop());
  const events: SequencedEvent[] = [];
  core.subscribe((event) => events.push(event));
  await until(() => events.some((e) => e.type === 'registration' && e.state === 'registered'), 20_000, `${user} registered`);
  return { core, events };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const transferOf = (events: SequencedEvent[], match: (t: FileTransfer) => boolean): FileTransfer | undefined => {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type === 'file-transfer' && match(e.transfer)) return e.transfer;
  }
  return undefined;
};
const FINAL = ['done', 'failed', 'declined', 'cancelled'];

/** One Parley -> Parley transfer: MB/s from accept to the sender's done, the loop's longest stall, the hash check. */
async function transferThroughParley(
  alice: Awaited<ReturnType<typeof parley>>,
  bob: Awaited<ReturnType<typeof parley>>,
  bobAor: string,
  file: string,
  sha1: string,
  size: number,
): Promise<{ mbPerS: number; stallMs: number }> {
  const out = await alice.core.sendLocalFile!(bobAor, file);
  await until(() => transferOf(bob.events, (t) => t.state === 'offered' && t.direction === 'in') !== undefined, 20_000, 'the offer');
  const offer = transferOf(bob.events, (t) => t.state === 'offered' && t.direction === 'in')!;
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  await bob.core.commands.answerFileOffer({ id: offer.id, accept: true });
  await until(() => transferOf(alice.events, (t) => t.id === out.id && FINAL.includes(t.state)) !== undefined, 600_000, 'the transfer');
  const seconds = (performance.now() - started) / 1000;
  loop.disable();
  const sent = transferOf(alice.events, (t) => t.id === out.id)!;
  await until(() => transferOf(bob.events, (t) => t.id === offer.id && FINAL.includes(t.state)) !== undefined, 60_000, 'the receiver');
  const got = transferOf(bob.events, (t) => t.id === offer.id)!;
  if (sent.state !== 'done' || got.state !== 'done')
    throw new Error(`transfer ${sent.state}/${got.state}: ${sent.reason ?? got.reason ?? ''}`);
  if ((await hashFile(got.savedAs!)) !== sha1) throw new Error('the saved file differs from the sent one');
  fs.rmSync(got.savedAs!);
  alice.events.length = 0;
  bob.events.length = 0;
  return { mbPerS: size / 1024 / 1024 / seconds, stallMs: loop.max / 1e6 };
}

/** The same bytes over one raw TCP connection on loopback, file to file. */
async function rawTcpCopy(file: string, size: number): Promise<number> {
  const target = path.join(work, 'raw-copy.bin');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const received = new Promise<void>((resolve, reject) =>
    server.once('connection', (socket) => pipeline(socket, fs.createWriteStream(target)).then(resolve, reject)),
  );
  const started = performance.now();
  const client = net.connect({ host: HOST, port: (server.address() as net.AddressInfo).port });
  await pipeline(fs.createReadStream(file), client);
  await received;
  const seconds = (performance.now() - started) / 1000;
  server.close();
  if (fs.statSync(target).size !== size) throw new Error('the raw copy lost bytes');
  fs.rmSync(target);
  return size / 1024 / 1024 / seconds;
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

await harness.main(async () => {
  harness.onCleanup(async () => fs.rmSync(work, { recursive: true, force: true }));
  const server = await harness.kamailio();
  const proxy = `sip:${HOST}:${server.port};transport=tcp`;
  const alice = await parley('alice', server.domain, proxy);
  const bob = await parley('bob', server.domain, proxy);
  const size = MB * 1024 * 1024;
  const file = path.join(work, 'payload.bin');
  const fd = fs.openSync(file, 'w');
  for (let left = size; left > 0; left -= 1024 * 1024) fs.writeSync(fd, randomBytes(Math.min(left, 1024 * 1024)));
  fs.closeSync(fd);
  const sha1 = await hashFile(file);
  console.log(`files: ${MB} MB Parley -> Parley (SIP through Kamailio, MSRP direct) vs a raw TCP copy, ${RUNS} runs`);

  const parleyRates: number[] = [];
  const rawRates: number[] = [];
  const stalls: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await harness.awaitQuiet();
    const parleyRun = await transferThroughParley(alice, bob, `sip:bob@${server.domain}`, file, sha1, size);
    parleyRates.push(parleyRun.mbPerS);
    stalls.push(parleyRun.stallMs);
    await harness.awaitQuiet();
    rawRates.push(await rawTcpCopy(file, size));
  }
  const ratios = parleyRates.map((rate, i) => rate / rawRates[i]!);
  const figures = {
    mb: MB,
    runs: RUNS,
    parleyMbPerS: spread(parleyRates),
    rawTcpMbPerS: spread(rawRates),
    ratio: spread(ratios),
    stallMaxMs: spread(stalls),
  };
  const mbs = (v: number) => round(v, 1).toString();
  console.log(
    table([
      ['', 'median (min–max)'],
      ['Parley -> Parley MB/s', spreadText(figures.parleyMbPerS, mbs)],
      ['raw TCP copy MB/s', spreadText(figures.rawTcpMbPerS, mbs)],
      [`ratio (aim >= ${AIM.ratio})`, spreadText(figures.ratio, (v) => round(v, 2).toString())],
      [`longest loop stall ms (aim <= ${AIM.stallMs})`, spreadText(figures.stallMaxMs, mbs)],
    ]),
  );
  console.log(JSON.stringify({ bench: 'files', direct: true, ...figures, aim: AIM }));
  return 0;
});
