/**
 * sipp (SIPp 3.6, Debian `sip-tester`) for the tests and the benchmarks: `sippArgs` is the one
 * command line (scenario, transport, local address, calls, keys, timeout, message trace), and
 * `startSipp` runs one scenario as a test peer: in a scratch folder, on a free port unless one is
 * given, one call unless told otherwise, in its own process group (program.ts), stopped by PID.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../server/free-port.js';
import { startProgram, type RunningProgram } from './program.js';

export interface SippCommand {
  /** host:port the first request goes to; none for a sipp that only answers. */
  target?: string;
  /** The scenario file. */
  scenario: string;
  /** One socket over UDP (default) or TCP. */
  transport?: 'udp' | 'tcp';
  /** The local address (-i); default 127.0.0.1. */
  host?: string;
  /** The local port (-p); sipp picks one when omitted. */
  port?: number;
  /** Calls to make before exiting (-m). */
  calls?: number;
  /** The service: the user part of the Request-URI (-s). */
  service?: string;
  /** The scenario's [keyword]s. */
  keys?: Record<string, string>;
  /** Give up after this many seconds, with a non-zero exit code. */
  timeoutSeconds?: number;
  /** Every message sent and received is written to this file (-trace_msg). */
  traceFile?: string;
  /** More flags, after all of these. */
  extra?: string[];
}

/** sipp's command line for `command`, never reading the keyboard. */
export function sippArgs(command: SippCommand): string[] {
  return [
    ...(command.target !== undefined ? [command.target] : []),
    '-sf',
    command.scenario,
    '-t',
    command.transport === 'tcp' ? 't1' : 'u1',
    '-i',
    command.host ?? '127.0.0.1',
    ...(command.port !== undefined ? ['-p', String(command.port)] : []),
    ...(command.calls !== undefined ? ['-m', String(command.calls)] : []),
    ...(command.service !== undefined ? ['-s', command.service] : []),
    '-nostdin',
    ...(command.timeoutSeconds !== undefined ? ['-timeout', String(command.timeoutSeconds), '-timeout_error'] : []),
    ...(command.traceFile !== undefined ? ['-trace_msg', '-message_file', command.traceFile] : []),
    ...Object.entries(command.keys ?? {}).flatMap(([key, value]) => ['-key', key, value]),
    ...(command.extra ?? []),
  ];
}

export interface SippPeer extends Omit<SippCommand, 'traceFile' | 'calls'> {
  /** The name in logs and failure messages; default 'sipp'. */
  name?: string;
  /** Trace every message into `traceFile`. */
  trace?: boolean;
  /** Calls before it exits: default 1; 'unlimited' for a peer that answers until it is stopped. */
  calls?: number | 'unlimited';
}

export interface RunningSipp {
  program: RunningProgram;
  /** Its scratch folder (its working directory). */
  dir: string;
  /** Where the message trace is written (with `trace`). */
  traceFile: string;
  /** Every SIP message sipp sent or received so far, from its trace (with `trace`). */
  messages(): string[];
  /** Stop sipp by PID and remove its folder. */
  stop(): Promise<void>;
}

export async function startSipp(peer: SippPeer): Promise<RunningSipp> {
  const { name = 'sipp', trace = false, calls = 1, ...command } = peer;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sipp-'));
  const traceFile = path.join(dir, 'trace.log');
  const args = sippArgs({
    ...command,
    port: command.port ?? (await freePort()),
    ...(calls !== 'unlimited' ? { calls } : {}),
    ...(trace ? { traceFile } : {}),
  });
  const program = startProgram(name, 'sipp', args, { cwd: dir });
  return {
    program,
    dir,
    traceFile,
    messages: () => tracedMessages(traceFile),
    stop: async () => {
      await program.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The messages of a sipp trace (-trace_msg): blocks between its dashed separator lines. */
function tracedMessages(traceFile: string): string[] {
  if (!fs.existsSync(traceFile)) return [];
  return fs
    .readFileSync(traceFile, 'utf8')
    .split(/^-{20,}.*$/m)
    .map((m) => m.trim())
    .filter(Boolean);
}

/** Resolves once something is bound to 127.0.0.1:port over UDP (Linux /proc/net/udp); throws after 5 s. */
export async function waitForUdpListener(port: number): Promise<void> {
  const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (let i = 0; i < 200; i++) {
    if (fs.readFileSync('/proc/net/udp', 'utf8').includes(needle)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing listens on UDP port ${port}`);
}
