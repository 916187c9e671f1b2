/**
 * Two Linux network namespaces joined by a veth pair, with a qdisc (netem loss, or a shaper that
 * tail-drops) on both ends, and one Parley core per namespace in a child process
 * (testing/netns-peer.ts) driven over JSON lines on stdin/stdout.
 *
 * Everything gets a random suffix (namespaces `parley-a-XXXXXX`, veths `pvaXXXXXX`), addresses are
 * link-local 169.254.N.1/.2 that exist only inside those namespaces, and destroy() removes the
 * namespaces (which removes the veth pair) and stops the children by their PIDs.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const PEER_SCRIPT = path.join(here, 'netns-peer.ts');

export interface Support {
  ok: boolean;
  /** Why not, as found on this machine. */
  reason: string;
}

const probed = new Map<string, Support>();

/**
 * Whether this machine can run the namespace tests with the given qdisc (e.g. ['netem', 'loss', '1%']):
 * root, `ip` and `tc` from iproute2, and the qdisc in the kernel. Probed once in a scratch namespace.
 */
export function netnsSupport(qdisc: readonly string[] = ['netem', 'loss', '1%']): Support {
  const key = qdisc.join(' ');
  const known = probed.get(key);
  if (known) return known;
  const result = probe(qdisc);
  probed.set(key, result);
  return result;
}

function probe(qdisc: readonly string[]): Support {
  return probeNetns((ns) => {
    const q = tryRun('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', ...qdisc]);
    return q.ok ? undefined : `needs the ${qdisc[0]} qdisc; tc qdisc add ... ${qdisc.join(' ')} says: ${q.err}`;
  });
}

/**
 * Root, iproute2 and `ip netns add`, then `check` run against a scratch namespace (deleted after):
 * undefined when it found what it needs, else why not.
 */
export function probeNetns(check: (ns: string) => string | undefined): Support {
  if (process.platform !== 'linux') return { ok: false, reason: `needs Linux network namespaces; this is ${process.platform}` };
  if (process.getuid?.() !== 0) return { ok: false, reason: `needs root for ip netns (running as uid ${process.getuid?.()})` };
  for (const tool of ['ip', 'tc']) {
    const found = tryRun(tool, ['-V']);
    if (!found.ok) return { ok: false, reason: `needs iproute2's ${tool}: ${found.err}` };
  }
  const ns = `parley-probe-${randomBytes(3).toString('hex')}`;
  const added = tryRun('ip', ['netns', 'add', ns]);
  if (!added.ok) return { ok: false, reason: `ip netns add failed: ${added.err}` };
  try {
    const missing = check(ns);
    return missing ? { ok: false, reason: missing } : { ok: true, reason: '' };
  } finally {
    tryRun('ip', ['netns', 'del', ns]);
  }
}

/** Runs a command; its output, or the first line of why it failed. */
export function tryRun(file: string, args: string[]): { ok: true; out: string } | { ok: false; err: string } {
  try {
    return { ok: true, out: execFileSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).toString() };
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    return { ok: false, err: (e.stderr?.toString().trim() || e.message).split('\n')[0]! };
  }
}

export interface QdiscStats {
  sentPackets: number;
  dropped: number;
}

/** `tc -s qdisc show` on a device inside a namespace: packets sent and dropped by the root qdisc. */
export async function tcDrops(ns: string, dev: string): Promise<QdiscStats> {
  const { stdout } = await run('ip', ['netns', 'exec', ns, 'tc', '-s', 'qdisc', 'show', 'dev', dev]);
  const match = /Sent \d+ bytes (\d+) pkt \(dropped (\d+)/.exec(stdout);
  if (!match) throw new Error(`cannot read qdisc stats: ${stdout}`);
  return { sentPackets: Number(match[1]), dropped: Number(match[2]) };
}

export interface PeerReady {
  address: string;
  port: number;
}

/** A child process running one core inside a namespace. */
export class NetnsPeer {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  private stderr = '';
  private exited = false;
  address = '';
  port = 0;

  constructor(readonly child: ChildProcess) {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => this.onLine(line));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      this.exited = true;
      const error = new Error(`peer exited (code ${code}, signal ${signal}); stderr: ${this.stderr}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.readyReject?.(error);
    });
  }

  private readyResolve?: (ready: PeerReady) => void;
  private readyReject?: (error: Error) => void;
  readonly ready = new Promise<PeerReady>((resolve, reject) => {
    this.readyResolve = resolve;
    this.readyReject = reject;
  });

  /** Sends a command; resolves with the child's JSON answer. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request(command: Record<string, unknown>): Promise<any> {
    if (this.exited) return Promise.reject(new Error(`peer has exited; stderr: ${this.stderr}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ id, ...command }) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = once(this.child, 'exit');
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.type === 'ready') {
      this.address = String(message.address);
      this.port = Number(message.port);
      this.readyResolve?.({ address: this.address, port: this.port });
      return;
    }
    const id = Number(message.id);
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    if (message.error) waiting.reject(new Error(String(message.error)));
    else waiting.resolve(message);
  }
}

/**
 * A core in a child process inside namespace `ns` (testing/netns-peer.ts), configured by `config`
 * (its listen address, and an account to register with); wait on its `ready`.
 */
export function spawnPeer(ns: string, config: Record<string, unknown>): NetnsPeer {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', PEER_SCRIPT, JSON.stringify(config)], {
    cwd: path.resolve(here, '../../..'),
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PARLEY_LOG_LEVEL: '' },
  });
  return new NetnsPeer(child);
}

export interface NetnsPairOptions {
  /** Root qdisc arguments for both veth ends, e.g. ['netem', 'loss', '10%']. */
  qdisc: readonly string[];
}

export class NetnsPair {
  readonly peers: NetnsPeer[] = [];

  private constructor(
    readonly ns: { a: string; b: string },
    readonly dev: { a: string; b: string },
    readonly addr: { a: string; b: string },
  ) {}

  static async create(options: NetnsPairOptions): Promise<NetnsPair> {
    const sfx = randomBytes(3).toString('hex');
    const net = randomInt(1, 255);
    const pair = new NetnsPair(
      { a: `parley-a-${sfx}`, b: `parley-b-${sfx}` },
      { a: `pva${sfx}`, b: `pvb${sfx}` },
      { a: `169.254.${net}.1`, b: `169.254.${net}.2` },
    );
    const { ns, dev, addr } = pair;
    const ip = (...args: string[]) => run('ip', args);
    try {
      await ip('netns', 'add', ns.a);
      await ip('netns', 'add', ns.b);
      await ip('link', 'add', dev.a, 'netns', ns.a, 'type', 'veth', 'peer', 'name', dev.b, 'netns', ns.b);
      for (const side of ['a', 'b'] as const) {
        await ip('-n', ns[side], 'addr', 'add', `${addr[side]}/24`, 'dev', dev[side]);
        await ip('-n', ns[side], 'link', 'set', 'lo', 'up');
        await ip('-n', ns[side], 'link', 'set', dev[side], 'up');
      }
      // Static neighbours: ARP through a lossy link would only add noise to the figures.
      for (const [here, there] of [
        ['a', 'b'],
        ['b', 'a'],
      ] as const) {
        const { stdout } = await ip('-n', ns[there], '-j', 'link', 'show', dev[there]);
        const mac = (JSON.parse(stdout) as { address: string }[])[0]!.address;
        await ip('-n', ns[here], 'neigh', 'replace', addr[there], 'lladdr', mac, 'dev', dev[here], 'nud', 'permanent');
      }
      for (const side of ['a', 'b'] as const) {
        await ip('netns', 'exec', ns[side], 'tc', 'qdisc', 'add', 'dev', dev[side], 'root', ...options.qdisc);
      }
    } catch (error) {
      await pair.destroy();
      throw error;
    }
    return pair;
  }

  /** Starts a core listening on this side's veth address, in a child process inside the namespace. */
  async startPeer(side: 'a' | 'b'): Promise<NetnsPeer> {
    const peer = spawnPeer(this.ns[side], { listen: `${this.addr[side]}:0` });
    this.peers.push(peer);
    await peer.ready;
    return peer;
  }

  /** Stops the children and deletes both namespaces (with them the veth pair). Safe to call twice. */
  async destroy(): Promise<void> {
    await Promise.all(this.peers.splice(0).map((p) => p.stop().catch(() => p.child.kill('SIGKILL'))));
    for (const name of [this.ns.a, this.ns.b]) {
      await run('ip', ['netns', 'del', name]).catch(() => {});
    }
  }

  /** Whether both namespaces are gone (for the cleanup assertion). */
  static async exists(name: string): Promise<boolean> {
    const { stdout } = await run('ip', ['netns', 'list']);
    return stdout.split('\n').some((line) => line.split(' ')[0] === name);
  }
}
