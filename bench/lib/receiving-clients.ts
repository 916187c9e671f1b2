/**
 * The clients a user might pick instead of Parley, as the receiving end of a benchmark's MESSAGE
 * flood (bench/im.ts): Parley itself (a bench worker, bench/lib/worker.ts), baresip and linphonec
 * (the real Debian programs, started by the interop tests' own launchers in electron/testing).
 * Each one registers at the bench's Kamailio as `user`, and tells how many of the flood's bodies it
 * has shown (or stored) so far, so a run can check every message reached it, and which process to
 * charge CPU and memory to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BARESIP_BINARY, startBaresip } from '../../electron/testing/baresip.js';
import { LINPHONEC_BINARY, startLinphonec } from '../../electron/testing/linphonec.js';
import type { ReceivedResult } from './worker.js';
import { WorkerProcess } from './worker-client.js';

export type ClientName = 'Parley' | 'baresip' | 'linphonec';

export interface ReceivingClient {
  name: ClientName;
  /** The process that does the client's work: its CPU and memory are the client's. */
  pid: number;
  /** How many messages whose body starts with `prefix` it has taken in so far, repeats included. */
  taken(prefix: string): Promise<number>;
  /** Parley only: its own CPU profiler (bench/lib/worker.ts), for `bench im --profile`. */
  profiler?: { start(intervalUs: number): Promise<void>; stop(file: string): Promise<void> };
  stop(): Promise<void>;
}

export interface Registration {
  user: string;
  domain: string;
  /** The proxy as a SIP URI, e.g. sip:127.0.0.1:5060. */
  proxy: string;
}

/** The password the launchers need; the bench's Kamailio runs without authentication. */
const UNUSED_PASSWORD = 'bench';

/** Why a peer cannot take part on this machine, or undefined when it can. */
export function missing(name: ClientName): string | undefined {
  if (name === 'baresip' && !existsSync(BARESIP_BINARY)) return `baresip not found at ${BARESIP_BINARY}`;
  if (name === 'linphonec' && !existsSync(LINPHONEC_BINARY)) return `linphonec not found at ${LINPHONEC_BINARY}`;
  return undefined;
}

/** Lines of a program's output that show a message whose body starts with `prefix`. */
function countLines(lines: readonly string[], shown: (line: string) => boolean): number {
  let n = 0;
  for (const line of lines) if (shown(line)) n++;
  return n;
}

export async function startReceivingClient(name: ClientName, at: Registration): Promise<ReceivingClient> {
  const aor = `sip:${at.user}@${at.domain}`;
  switch (name) {
    case 'Parley': {
      const worker = await WorkerProcess.start(at.user, { user: at.user, domain: at.domain, proxy: at.proxy, transport: 'udp' });
      return {
        name,
        pid: worker.pid,
        // Parley keeps every message (durably, in SQLite) and counts each body it was handed.
        taken: async (prefix) => (await worker.request<ReceivedResult>('received', { tag: prefix, expected: 0, timeoutMs: 0 })).total,
        profiler: {
          start: async (intervalUs) => void (await worker.request('profileStart', { intervalUs })),
          stop: async (file) => void (await worker.request('profileStop', { file })),
        },
        stop: () => worker.stop(),
      };
    }
    case 'baresip': {
      const peer = await startBaresip({ user: at.user, password: UNUSED_PASSWORD, domain: at.domain, proxy: at.proxy, contact: aor });
      try {
        await peer.program.waitForLine(new RegExp(`${at.user}@.*: .* 200 OK`), { timeoutMs: 10_000 });
      } catch (error) {
        await peer.stop();
        throw error;
      }
      // baresip's menu prints each incoming MESSAGE as `<from>: "<body>"` on its console.
      return {
        name,
        pid: peer.program.pid,
        taken: async (prefix) => countLines(peer.program.lines, (line) => line.startsWith('cons: ') && line.includes(`: "${prefix} `)),
        stop: () => peer.stop(),
      };
    }
    case 'linphonec': {
      // startLinphonec resolves once `proxy list` says registered; it keeps each message in its chat database.
      const peer = await startLinphonec({ user: at.user, password: UNUSED_PASSWORD, domain: at.domain, proxy: at.proxy });
      return {
        name,
        pid: peer.program.pid,
        taken: async (prefix) =>
          countLines(peer.program.lines, (line) => /^Message received from /.test(line) && line.includes(`: ${prefix} `)),
        stop: () => peer.stop(),
      };
    }
  }
}

/** Resident memory of a process in MB (NaN when it is gone). */
export function residentMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
