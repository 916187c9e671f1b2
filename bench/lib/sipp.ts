/**
 * sipp as the reference sender and receiver of bench/transport.ts (SIPp 3.6, Debian `sip-tester`).
 *  - UAS: bench/scenarios/message-uas.xml answers 200 to every MESSAGE; runs until stopped by PID.
 *  - Registration: bench/scenarios/register.xml, a one-shot sipp UAC that registers the UAS's
 *    address (third-party REGISTER over UDP, Via port = source port so the proxy keeps the Contact).
 *  - UAC: bench/scenarios/message-loop-uac.xml, `-l C -m C`: C calls, each sending its share of
 *    MESSAGEs back to back on one Call-ID; messages/s from the logged first send and last 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sippArgs } from '../../electron/testing/sipp.js';

export const SCENARIOS = path.join(import.meta.dirname, '..', 'scenarios');

export type SippTransport = 'udp' | 'tcp';

/** Flags of every bench sipp besides sippArgs' own: no rlimit fiddling. */
export const SKIP_RLIMIT = ['-skip_rlimit'];

export interface SippRun {
  code: number | null;
  output: string;
  /** CPU seconds sipp used, start-up and exit included (from GNU time; undefined without it). */
  cpuSeconds?: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Run sipp to completion in `dir`; stdout/stderr kept (the last screen says what went wrong).
 * Under GNU time when it is installed, for sipp's exact CPU time; either way in its own process
 * group, so the timeout kills sipp and not only the wrapper.
 */
export function runSipp(args: string[], dir: string, timeoutMs: number, track?: (child: ChildProcess) => void): Promise<SippRun> {
  return new Promise((resolve) => {
    const timed = existsSync(GNU_TIME);
    const timeFile = path.join(dir, `sipp-time-${process.hrtime.bigint()}.txt`);
    const child = timed
      ? spawn(GNU_TIME, ['-f', '%U %S', '-o', timeFile, 'sipp', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
      : spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    track?.(child);
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.length > 20_000) output = output.slice(-10_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, output: `${output}\n${error.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      let cpuSeconds: number | undefined;
      if (timed) {
        try {
          // the last line: "user system" (earlier lines, if any, are GNU time's notes about a signal)
          const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [user, system] = last.split(' ').map(Number);
          if (Number.isFinite(user) && Number.isFinite(system)) cpuSeconds = user! + system!;
        } catch {
          // no time file: sipp did not run
        }
      }
      resolve({ code, output, cpuSeconds });
    });
  });
}

/** SIGKILL a process group started with `detached: true` (sipp and, when timed, its GNU time parent). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export interface SippUas {
  pid: number;
  port: number;
  transport: SippTransport;
  stop(): Promise<void>;
}

/**
 * Start the answering sipp on host:port; resolves once its socket is open. By default it answers
 * MESSAGEs (message-uas.xml); `scenario` (a file in bench/scenarios) and `extra` flags change that.
 */
export async function startUas(options: {
  transport: SippTransport;
  host: string;
  port: number;
  dir: string;
  scenario?: string;
  extra?: string[];
}): Promise<SippUas> {
  const { transport, host, port, dir } = options;
  const scenario = path.join(SCENARIOS, options.scenario ?? 'message-uas.xml');
  const args = sippArgs({ scenario, transport, host, port, extra: [...SKIP_RLIMIT, ...(options.extra ?? [])] });
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (child.pid === undefined) throw new Error('could not start sipp (is sip-tester installed?)');
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let gone = false;
  const exited = new Promise<void>((resolve) => child.once('close', () => ((gone = true), resolve())));
  child.once('error', () => (gone = true));
  const pid = child.pid;
  const stop = async () => {
    if (gone) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    if (!gone) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      await exited;
    }
  };
  const deadline = Date.now() + 5000;
  while (!isListening(transport, host, port)) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`sipp UAS did not open ${transport} ${host}:${port}: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { pid, port, transport, stop };
}

/** Whether something listens on host:port (Linux /proc/net; IPv4). */
function isListening(transport: SippTransport, host: string, port: number): boolean {
  const hexHost = host
    .split('.')
    .map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0'))
    .reverse()
    .join('');
  const needle = `${hexHost}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  try {
    const table = readFileSync(transport === 'udp' ? '/proc/net/udp' : '/proc/net/tcp', 'utf8');
    // TCP: state 0A = LISTEN
    return table.split('\n').some((line) => line.includes(` ${needle} `) && (transport === 'udp' || / 0A /.test(line)));
  } catch {
    return true;
  }
}

/** Register `user@domain` -> contact at the proxy, with a one-shot sipp over UDP. */
export async function register(options: {
  proxy: string;
  host: string;
  user: string;
  domain: string;
  contact: string;
  dir: string;
}): Promise<void> {
  const args = sippArgs({
    target: options.proxy,
    scenario: path.join(SCENARIOS, 'register.xml'),
    host: options.host,
    calls: 1,
    keys: { user: options.user, domain: options.domain, contact: options.contact },
    timeoutSeconds: 10,
    extra: SKIP_RLIMIT,
  });
  const run = await runSipp(args, options.dir, 15_000);
  if (run.code !== 0) throw new Error(`sipp REGISTER of ${options.user} failed (exit ${run.code}):\n${run.output.slice(-2000)}`);
}

export interface UacResult {
  transport: SippTransport;
  concurrency: number;
  count: number;
  /** Earliest first send to latest last 200. */
  elapsedMs: number;
  messagesPerSecond: number;
  /** sipp's own exit code: 0 = every call (every MESSAGE) got its 200. */
  exitCode: number | null;
  /** CPU seconds of the sipp UAC, start-up included, when GNU time is installed. */
  cpuSeconds?: number;
}

/** Who a sipp UAC sends MESSAGEs to, and where it works. */
export interface UacTarget {
  transport: SippTransport;
  /** host:port of the proxy. */
  proxy: string;
  /** Our address to send from. */
  host: string;
  from: string;
  to: string;
  domain: string;
  /** Folder for sipp's files (its logs are read back). */
  dir: string;
  /** Told of the sipp process, to stop it on Ctrl-C. */
  track?: (child: ChildProcess) => void;
}

/** A sipp UAC's command line towards `target`: `scenario`, its sends logged (-trace_logs), `extra` flags. */
function uacArgs(target: UacTarget, scenario: string, timeoutSeconds: number, extra: string[]): string[] {
  return sippArgs({
    target: target.proxy,
    scenario,
    transport: target.transport,
    host: target.host,
    keys: { from: target.from, to: target.to, domain: target.domain },
    timeoutSeconds,
    extra: [...extra, '-trace_logs', ...SKIP_RLIMIT],
  });
}

/** The log (-trace_logs) a sipp run of `scenarioName` wrote in `dir`, if any. */
export function readSippLog(dir: string, scenarioName: string): string | undefined {
  const file = readdirSync(dir).find((f) => f.startsWith(`${scenarioName}_`) && f.endsWith('_logs.log'));
  return file ? readFileSync(path.join(dir, file), 'utf8') : undefined;
}

/** Run a UAC to completion in `target.dir`: how it ended, and the log it must have written. */
async function runLoggedUac(
  target: UacTarget,
  scenarioName: string,
  args: string[],
  timeoutMs: number,
): Promise<SippRun & { log: string }> {
  const run = await runSipp(args, target.dir, timeoutMs, target.track);
  const log = readSippLog(target.dir, scenarioName);
  if (log === undefined) throw new Error(`sipp UAC wrote no log (exit ${run.code}):\n${run.output.slice(-2000)}`);
  return { ...run, log };
}

/**
 * Send `count` MESSAGEs from a sipp UAC through `proxy` (host:port) to `to@domain`, keeping
 * `concurrency` outstanding. `count` is rounded down to a multiple of `concurrency`.
 */
export async function runUac(options: UacTarget & { concurrency: number; count: number }): Promise<UacResult> {
  const { transport, concurrency } = options;
  const iterations = Math.max(1, Math.floor(options.count / concurrency));
  const count = iterations * concurrency;
  const scenarioName = `uac-${transport}-${concurrency}`;
  const scenario = path.join(options.dir, `${scenarioName}.xml`);
  const template = readFileSync(path.join(SCENARIOS, 'message-loop-uac.xml'), 'utf8');
  writeFileSync(scenario, template.replaceAll('__ITERATIONS__', String(iterations)));
  const args = uacArgs(options, scenario, 60, ['-l', String(concurrency), '-m', String(concurrency), '-r', '100000', '-rp', '1000']);
  const run = await runLoggedUac(options, scenarioName, args, 90_000);
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  let ends = 0;
  for (const match of run.log.matchAll(/^(start|end) (\d+)(?:\.0*)? (\d+)(?:\.0*)?/gm)) {
    const t = Number(match[2]) * 1000 + Number(match[3]) / 1000;
    if (match[1] === 'start') start = Math.min(start, t);
    else {
      end = Math.max(end, t);
      ends++;
    }
  }
  if (run.code !== 0 || ends !== concurrency) {
    throw new Error(
      `sipp UAC ${transport} x${concurrency}: exit ${run.code}, ${ends}/${concurrency} calls finished:\n${run.output.slice(-2500)}`,
    );
  }
  const elapsedMs = end - start;
  return {
    transport,
    concurrency,
    count,
    elapsedMs,
    messagesPerSecond: (count * 1000) / elapsedMs,
    exitCode: run.code,
    cpuSeconds: run.cpuSeconds,
  };
}

export interface RateUacResult {
  count: number;
  /** How many got their 200 (all of them, unless `tolerateUnanswered` was asked). */
  answered: number;
  /** Send to 200 of each MESSAGE, from the microsecond times the scenario logs. */
  roundTripsMs: number[];
  elapsedMs: number;
  messagesPerSecond: number;
  exitCode: number | null;
}

/**
 * Send `count` MESSAGEs, one per call (fresh Call-ID), at `rate` per second from a sipp UAC through
 * `proxy` to `to@domain` (bench/scenarios/message-rate-uac.xml); with `inFlight`, never more than
 * that many unanswered at once (a flood: a high rate held back by the receiver's answers). A MESSAGE
 * left without its 200 fails the run, unless `tolerateUnanswered` (a peer being measured, not
 * checked): then the figures cover the answered ones.
 */
export async function runRateUac(
  options: UacTarget & { rate: number; count: number; inFlight?: number; tolerateUnanswered?: boolean },
): Promise<RateUacResult> {
  const args = uacArgs(options, path.join(SCENARIOS, 'message-rate-uac.xml'), 120, [
    '-r',
    String(options.rate),
    '-rp',
    '1000',
    '-m',
    String(options.count),
    ...(options.inFlight ? ['-l', String(options.inFlight)] : []),
  ]);
  const run = await runLoggedUac(options, 'message-rate-uac', args, 150_000);
  const roundTripsMs: number[] = [];
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const micros = (s: string, u: string) => Number(s) * 1e6 + Number(u);
  for (const m of run.log.matchAll(/^rtt (\d+)\.\d+ (\d+)\.\d+ (\d+)\.\d+ (\d+)\.\d+/gm)) {
    const sent = micros(m[1]!, m[2]!);
    const answered = micros(m[3]!, m[4]!);
    roundTripsMs.push((answered - sent) / 1000);
    first = Math.min(first, sent);
    last = Math.max(last, answered);
  }
  const answered = roundTripsMs.length;
  if ((run.code !== 0 || answered !== options.count) && !(options.tolerateUnanswered && answered > 0)) {
    throw new Error(`sipp rate UAC: exit ${run.code}, ${roundTripsMs.length}/${options.count} answered:\n${run.output.slice(-2500)}`);
  }
  const elapsedMs = (last - first) / 1000;
  return { count: options.count, answered, roundTripsMs, elapsedMs, messagesPerSecond: (answered * 1000) / elapsedMs, exitCode: run.code };
}
