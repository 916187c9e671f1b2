/**
 * File transfer (issue 14 point 4, RFC 5547) on loopback:
 *
 *   npm run bench -- files [--mb N] [--runs R] [--relay] [--profile]
 *
 *  - Parley -> Parley: a file of N MB (default 100) of random bytes offered, accepted and sent
 *    between two Parleys, each in its own process (bench/lib/worker.ts with files-part.ts), as a
 *    real user's two Parleys are two processes on two machines: in one process they would share
 *    one event loop and one CPU. The INVITE and BYE go through the bundled Kamailio (digest auth).
 *    Timed from the receiver's accept to the sender's "done" (the success REPORT, sent once the
 *    receiver has checked size and SHA-1 on disk). The saved file's SHA-1 is checked here too:
 *    exit code 1 when it differs.
 *  - The limit on this machine, in the same run: the same bytes copied over one raw TCP connection
 *    on loopback between two processes (bench/lib/raw-copy.ts: read, send, write; no framing, no
 *    hash).
 *  - Per side, measured in that side's own process: its main loop's stalls (p99 and longest,
 *    monitorEventLoopDelay) and its CPU time per MB (all threads: the file writes and hashing of
 *    libuv's pool count), and the raw copy's CPU per MB beside them.
 *  - The path the bytes took, as each side's process saw it: the TCP connection that moved the
 *    most bytes during the transfer, and whether it was to the relay's MSRP port.
 *  - --relay: both accounts set `msrpRelay` to the bundled server's relay. The path row says where
 *    the bytes really went (a transfer that does not use the relay goes direct, and says so).
 *  - --profile: the last Parley run is CPU-profiled on both sides (sampling; the workers then run
 *    from the sources) and each side's busiest functions are printed after the table.
 * R runs (default 3) of each, alternating; figures as median (min–max).
 * A table, then as the last line one JSON object with the figures and the ratio Parley/raw.
 * Aims: the ratio at least 0.5, no stall over 50 ms.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { flag, numberOption } from './lib/args.js';
import { formatSummary, summarise, type CpuProfile } from './lib/cpuprofile.js';
import type { FileSide } from './lib/files-part.js';
import { Harness } from './lib/harness.js';
import { round, spread, spreadText, table, type Spread } from './lib/stats.js';
import { runWorkersFromSources, WorkerProcess } from './lib/worker-client.js';

const MB = Math.max(1, numberOption('--mb', 100));
const RUNS = Math.max(1, Math.floor(numberOption('--runs', 3)));
/** Only the receiver's account has the relay: the sender sends down its reservation, each frame crossing the relay once. */
const RECEIVER_ONLY = flag('--relay-receiver-only');
const RELAY = flag('--relay') || RECEIVER_ONLY;
const PROFILE = flag('--profile');
if (PROFILE) runWorkersFromSources(); // a profile names each function's file only from the sources
const PROFILE_INTERVAL_US = 500;
const AIM = { ratio: 0.5, stallMs: 50 };
const PASSWORD = 'bench-secret';
const TRANSFER_TIMEOUT_MS = 600_000;
const RAW_COPY = path.join(import.meta.dirname, 'lib', 'raw-copy.ts');
const RELAY_COPY = path.join(import.meta.dirname, 'lib', 'relay-copy.ts');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-files-'));
const harness = new Harness('files', 30 * 60_000);

type Path = 'relay' | 'direct' | 'mixed' | 'unknown';

interface ParleyRun {
  mbPerS: number;
  sender: FileSide;
  receiver: FileSide;
  path: Path;
}

/** Where the bytes went: both sides' busiest connection, and only when it carried the file. */
function pathOf(size: number, ...sides: FileSide[]): Path {
  const carriers = sides.map((side) => side.carrier);
  if (carriers.some((c) => !c || c.bytes < size)) return 'unknown';
  if (carriers.every((c) => c!.viaRelay)) return 'relay';
  if (carriers.every((c) => !c!.viaRelay)) return 'direct';
  return 'mixed';
}

/** One Parley -> Parley transfer, each side's figures from its own process. */
async function transferThroughParley(
  alice: WorkerProcess,
  bob: WorkerProcess,
  file: string,
  sha1: string,
  size: number,
  profileTo?: string,
): Promise<ParleyRun> {
  const out = await alice.request<{ id: string }>('fileOffer', { to: bob.aor, path: file }, 120_000);
  const offer = await bob.request<{ id: string }>('fileOffered', { timeoutMs: 60_000 });
  if (profileTo) await Promise.all([alice, bob].map((w) => w.request('profileStart', { intervalUs: PROFILE_INTERVAL_US })));
  await alice.request('fileMeasure');
  const [receiver, sender] = await Promise.all([
    bob.request<FileSide>('fileAccept', { transfer: offer.id, timeoutMs: TRANSFER_TIMEOUT_MS }, TRANSFER_TIMEOUT_MS + 5000),
    alice.request<FileSide>('fileFinished', { transfer: out.id, timeoutMs: TRANSFER_TIMEOUT_MS }, TRANSFER_TIMEOUT_MS + 5000),
  ]);
  if (profileTo) {
    for (const [name, worker] of [
      ['sender', alice],
      ['receiver', bob],
    ] as const)
      await worker.request('profileStop', { file: path.join(profileTo, `${name}.cpuprofile`) });
  }
  if (sender.state !== 'done' || receiver.state !== 'done')
    throw new Error(`transfer ${sender.state}/${receiver.state}: ${sender.reason ?? receiver.reason ?? ''}`);
  if ((await hashFile(receiver.savedAs!)) !== sha1) throw new Error('the saved file differs from the sent one');
  fs.rmSync(receiver.savedAs!);
  const seconds = (sender.endedAt - receiver.startedAt) / 1000;
  return { mbPerS: size / 1024 / 1024 / seconds, sender, receiver, path: pathOf(size, sender, receiver) };
}

/** A child process speaking JSON lines on stdout; `lines` yields each parsed one. */
function child(script: string, args: string[]): { lines: AsyncIterator<Record<string, number | string>>; pid: number } {
  const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  harness.onCleanup(async () => void proc.kill('SIGKILL'));
  const reader = readline.createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return {
    pid: proc.pid!,
    lines: {
      next: async () => {
        const line = await reader.next();
        if (line.done) throw new Error(`${path.basename(script)} ${args[0]} ended early`);
        return { done: false, value: JSON.parse(line.value as string) as Record<string, number | string> };
      },
    },
  };
}

interface CopyRun {
  mbPerS: number;
  senderCpuMs: number;
  receiverCpuMs: number;
}

/** The same bytes over one raw TCP connection on loopback, file to file, between two processes. */
async function rawTcpCopy(file: string, size: number): Promise<CopyRun> {
  const target = path.join(work, 'raw-copy.bin');
  const receiver = child(RAW_COPY, ['receive', target]);
  const { port } = (await receiver.lines.next()).value;
  const sender = child(RAW_COPY, ['send', file, String(port)]);
  return copied(sender, receiver, target, size, size);
}

/**
 * The same bytes through the same relay in Parley's relay frames, between two endpoints that only
 * move them (bench/lib/relay-copy.ts): the relay's own limit, against which Parley's part is seen.
 */
async function bareRelayCopy(file: string, size: number, relayPort: number): Promise<CopyRun> {
  const target = path.join(work, 'relay-copy.bin');
  const receiver = child(RELAY_COPY, ['receive', String(relayPort), 'carol', PASSWORD, target]);
  const { path: receiverPath } = (await receiver.lines.next()).value;
  const sender = child(
    RELAY_COPY,
    RECEIVER_ONLY
      ? ['send-direct', String(relayPort), file, String(receiverPath)]
      : ['send', String(relayPort), 'dave', PASSWORD, file, String(receiverPath)],
  );
  // What arrives is the frames, heads and all: at least the file's bytes.
  return copied(sender, receiver, target, size, undefined);
}

/** Waits for both sides of a copy; MB/s of the file's bytes from the sender's start to the receiver's end. */
async function copied(
  sender: ReturnType<typeof child>,
  receiver: ReturnType<typeof child>,
  target: string,
  size: number,
  exactBytes: number | undefined,
): Promise<CopyRun> {
  const [sent, got] = await Promise.all([sender.lines.next(), receiver.lines.next()]);
  const bytes = Number(got.value.bytes);
  if (exactBytes !== undefined ? bytes !== exactBytes : bytes < size) throw new Error(`the copy lost bytes (${bytes} of ${size})`);
  fs.rmSync(target);
  const seconds = (Number(got.value.endedAt) - Number(sent.value.startedAt)) / 1000;
  return { mbPerS: size / 1024 / 1024 / seconds, senderCpuMs: Number(sent.value.cpuMs), receiverCpuMs: Number(got.value.cpuMs) };
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

await harness.main(async () => {
  harness.onCleanup(async () => fs.rmSync(work, { recursive: true, force: true }));
  // carol and dave: the bare relay copy's two sides (bench/lib/relay-copy.ts).
  const users = ['alice', 'bob', 'carol', 'dave'];
  const server = await harness.kamailio({ auth: true, users: users.map((user) => ({ user, password: PASSWORD })) });
  const relayPorts = [server.msrpPort, server.msrpsPort].filter((p): p is number => p !== undefined);
  if (RELAY && !server.msrpPort) throw new Error('the bundled server has no MSRP relay');
  const worker = async (user: string) => {
    const started = await WorkerProcess.start(user, {
      user,
      domain: server.domain,
      proxy: `sip:127.0.0.1:${server.port};transport=tcp`,
      transport: 'tcp',
      password: PASSWORD,
      files: { relayPorts },
      ...(RELAY && (!RECEIVER_ONLY || user === 'bob') ? { msrpRelay: `msrp://127.0.0.1:${server.msrpPort}` } : {}),
    });
    harness.onCleanup(() => started.stop());
    return started;
  };
  const [alice, bob] = [await worker('alice'), await worker('bob')];
  const size = MB * 1024 * 1024;
  const file = path.join(work, 'payload.bin');
  const fd = fs.openSync(file, 'w');
  for (let left = size; left > 0; left -= 1024 * 1024) fs.writeSync(fd, randomBytes(Math.min(left, 1024 * 1024)));
  fs.closeSync(fd);
  const sha1 = await hashFile(file);
  const asked = !RELAY
    ? 'no relay configured'
    : `${RECEIVER_ONLY ? "the receiver's account" : 'both accounts'} on the MSRP relay at 127.0.0.1:${server.msrpPort}`;
  console.log(
    `files: ${MB} MB Parley -> Parley (two processes; SIP through Kamailio, ${asked}) vs a raw TCP copy between two processes, ${RUNS} runs`,
  );

  const parleyRuns: ParleyRun[] = [];
  const rawRuns: CopyRun[] = [];
  const relayRuns: CopyRun[] = [];
  const profileDir = PROFILE ? fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-files-profile-')) : undefined;
  for (let run = 0; run < RUNS; run++) {
    await harness.awaitQuiet();
    parleyRuns.push(await transferThroughParley(alice, bob, file, sha1, size, run === RUNS - 1 ? profileDir : undefined));
    await harness.awaitQuiet();
    rawRuns.push(await rawTcpCopy(file, size));
    if (RELAY) {
      await harness.awaitQuiet();
      relayRuns.push(await bareRelayCopy(file, size, server.msrpPort!));
    }
  }
  const paths = [...new Set(parleyRuns.map((r) => r.path))];
  const pathText = paths.length === 1 ? paths[0]! : paths.join(', ');
  const perMb = (ms: number) => ms / MB;
  const of = (values: number[]): Spread => spread(values);
  const figures = {
    mb: MB,
    runs: RUNS,
    relayAsked: RELAY,
    path: pathText,
    carriers: parleyRuns.map((r) => ({ sender: r.sender.carrier, receiver: r.receiver.carrier })),
    parleyMbPerS: of(parleyRuns.map((r) => r.mbPerS)),
    rawTcpMbPerS: of(rawRuns.map((r) => r.mbPerS)),
    ratio: of(parleyRuns.map((r, i) => r.mbPerS / rawRuns[i]!.mbPerS)),
    senderStallP99Ms: of(parleyRuns.map((r) => r.sender.stallP99Ms)),
    senderStallMaxMs: of(parleyRuns.map((r) => r.sender.stallMaxMs)),
    receiverStallP99Ms: of(parleyRuns.map((r) => r.receiver.stallP99Ms)),
    receiverStallMaxMs: of(parleyRuns.map((r) => r.receiver.stallMaxMs)),
    senderCpuMsPerMb: of(parleyRuns.map((r) => perMb(r.sender.cpuMs))),
    receiverCpuMsPerMb: of(parleyRuns.map((r) => perMb(r.receiver.cpuMs))),
    rawSenderCpuMsPerMb: of(rawRuns.map((r) => perMb(r.senderCpuMs))),
    rawReceiverCpuMsPerMb: of(rawRuns.map((r) => perMb(r.receiverCpuMs))),
    ...(RELAY
      ? {
          bareRelayMbPerS: of(relayRuns.map((r) => r.mbPerS)),
          bareRelayRatio: of(relayRuns.map((r, i) => r.mbPerS / rawRuns[i]!.mbPerS)),
          parleyOfBareRelay: of(parleyRuns.map((r, i) => r.mbPerS / relayRuns[i]!.mbPerS)),
          bareRelaySenderCpuMsPerMb: of(relayRuns.map((r) => perMb(r.senderCpuMs))),
          bareRelayReceiverCpuMsPerMb: of(relayRuns.map((r) => perMb(r.receiverCpuMs))),
        }
      : {}),
  };
  const one = (v: number) => round(v, 1).toString();
  const two = (v: number) => round(v, 2).toString();
  // With --relay, a third column: the bare relay copy (bench/lib/relay-copy.ts), the relay's own limit.
  const bare = (cells: (string | undefined)[]) => (RELAY ? cells.map((c) => c ?? '') : cells.slice(0, 3).map((c) => c ?? ''));
  const row = (label: string, digits: (v: number) => string, ...spreads: (Spread | undefined)[]) =>
    bare([label, ...spreads.map((s) => s && spreadText(s, digits))]);
  const f = figures;
  console.log(
    table([
      bare(['median (min–max)', 'Parley -> Parley', 'raw TCP copy', 'bare relay copy']),
      row('MB/s', one, f.parleyMbPerS, f.rawTcpMbPerS, f.bareRelayMbPerS),
      row('sender CPU ms/MB', two, f.senderCpuMsPerMb, f.rawSenderCpuMsPerMb, f.bareRelaySenderCpuMsPerMb),
      row('receiver CPU ms/MB', two, f.receiverCpuMsPerMb, f.rawReceiverCpuMsPerMb, f.bareRelayReceiverCpuMsPerMb),
      row(`ratio to the raw copy (aim >= ${AIM.ratio})`, two, f.ratio, undefined, f.bareRelayRatio),
      ...(RELAY ? [bare(['ratio Parley/bare relay copy', spreadText(f.parleyOfBareRelay!, two), '', ''])] : []),
      bare(['sender loop stall p99 ms', spreadText(f.senderStallP99Ms, one), '']),
      bare([`sender loop stall max ms (aim <= ${AIM.stallMs})`, spreadText(f.senderStallMaxMs, one), '']),
      bare(['receiver loop stall p99 ms', spreadText(f.receiverStallP99Ms, one), '']),
      bare([`receiver loop stall max ms (aim <= ${AIM.stallMs})`, spreadText(f.receiverStallMaxMs, one), '']),
      bare(['path of the bytes (as both processes saw it)', pathText, '']),
    ]),
  );
  const last = parleyRuns[parleyRuns.length - 1]!;
  console.log(
    `  last run's connections: sender to ${last.sender.carrier?.remote ?? '?'}, receiver to ${last.receiver.carrier?.remote ?? '?'}`,
  );
  if (RELAY && pathText !== 'relay')
    console.log(
      `  --relay: the accounts name the relay, but the file's bytes did NOT go through it (${pathText}): file transfers do not use it yet`,
    );
  if (profileDir) {
    for (const name of ['sender', 'receiver']) {
      const profileFile = path.join(profileDir, `${name}.cpuprofile`);
      const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile;
      console.log(
        `\n${formatSummary(`the ${name} in the last run (sampling every ${PROFILE_INTERVAL_US} µs)`, summarise(profile, 20))}\nprofile kept in ${profileFile}`,
      );
    }
  }
  console.log(JSON.stringify({ bench: 'files', ...figures, aim: AIM }));
  return 0;
});
