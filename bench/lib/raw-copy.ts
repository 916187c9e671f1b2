/**
 * One side of bench/files.ts's limit: a file copied over one raw TCP connection on loopback, each
 * side in its own process as the two Parleys are (read, send, write; no framing, no hash). Reads
 * and writes go in pieces of BLOCK bytes (Node's stream defaults of 64 and 16 KiB made it slower
 * than Parley's 256 KiB chunks: not the limit it stands for).
 *
 *   node --import tsx bench/lib/raw-copy.ts receive <target>      prints {"port":N}, then {"endedAt":..,"bytes":..,"cpuMs":..}
 *   node --import tsx bench/lib/raw-copy.ts send <file> <port>    prints {"startedAt":..,"cpuMs":..} once every byte is written
 *
 * Times are epoch ms (performance.timeOrigin based) so the parent can take the receiver's end minus
 * the sender's start; CPU is this process's own (process.cpuUsage) over the copy.
 */
import fs from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';

const HOST = '127.0.0.1';
const BLOCK = 1024 * 1024;
const now = () => performance.timeOrigin + performance.now();
const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');
const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

async function receive(target: string): Promise<void> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const connection = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  say({ port: (server.address() as net.AddressInfo).port });
  const socket = await connection;
  const cpu = process.cpuUsage();
  await pipeline(socket, fs.createWriteStream(target, { highWaterMark: BLOCK }));
  say({ endedAt: now(), bytes: fs.statSync(target).size, cpuMs: cpuMs(cpu) });
  server.close();
}

async function send(file: string, port: number): Promise<void> {
  const cpu = process.cpuUsage();
  const startedAt = now();
  const socket = net.connect({ host: HOST, port });
  await pipeline(fs.createReadStream(file, { highWaterMark: BLOCK }), socket);
  say({ startedAt, cpuMs: cpuMs(cpu) });
}

const [mode, a, b] = process.argv.slice(2);
const run =
  mode === 'receive' && a
    ? receive(a)
    : mode === 'send' && a && b
      ? send(a, Number(b))
      : Promise.reject(new Error('usage: receive <target> | send <file> <port>'));
run.catch((error: unknown) => {
  process.stderr.write(`raw-copy: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
