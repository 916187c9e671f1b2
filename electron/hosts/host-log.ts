/**
 * The log every host keeps: <data folder>/logs/parley.log, rotated by size (rotating-file-stream:
 * parley.log.1 is the newest old file, the oldest beyond `keep` is deleted), plus the terminal.
 * PARLEY_LOG_LEVEL sets the level of both; unset, the file keeps info and the terminal shows
 * warnings and errors, so a command's output stays readable.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';
import { createLogger, levelFromEnv, type LogSink, type Logger } from '../support/logger.js';

export const LOG_FILE = 'parley.log';

export function logDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

export interface HostLogOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  /** The terminal's stream; stderr, as stdout carries the CLI's data. Null for none. */
  terminal?: NodeJS.WritableStream | null;
  /** Rotate past this size ('5M' = 5 MiB). */
  size?: `${number}${'B' | 'K' | 'M'}`;
  /** Rotated files kept besides the current one. */
  keep?: number;
}

export interface HostLog {
  logger: Logger;
  /** The file's stream (tests watch its 'rotated' event). */
  file: RotatingFileStream | null;
  /** Flush and close the file. */
  close(): Promise<void>;
}

function openFile(dir: string, size: string, keep: number): RotatingFileStream {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = (index: number | null) => (index ? `${LOG_FILE}.${index}` : LOG_FILE);
  return createStream(name as (time: number | Date, index?: number) => string, { path: dir, size, rotate: keep, mode: 0o600 });
}

export function openHostLog(options: HostLogOptions): HostLog {
  const env = options.env ?? process.env;
  const asked = levelFromEnv(env);
  const sinks: LogSink[] = [];
  let file: RotatingFileStream | null = null;
  try {
    file = openFile(logDir(options.dataDir), options.size ?? '5M', options.keep ?? 5);
    // A full disk or a removed folder must not take the app down; the terminal still gets the lines.
    file.on('error', () => {});
    sinks.push({ level: asked ?? 'info', stream: file });
  } catch {
    file = null;
  }
  const terminal = options.terminal === undefined ? process.stderr : options.terminal;
  if (terminal) sinks.push({ level: asked ?? 'warn', stream: terminal });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!file || file.closed) return resolve();
      file.end(() => resolve());
    });
  const logger = createLogger(sinks);
  keepRunningOnUnhandledRejections(logger);
  return { logger, file, close };
}

let guarded = false;
/**
 * A promise rejected with nobody to hear it (a library's own chain gone wrong on some input) is
 * logged with its stack, and the process keeps running: Node would end it, and with it every
 * conversation, for one bad message. Once per process, on the first host log; the rejection
 * itself stays a defect to fix (the fuzz test fails on any, electron/sip/fuzz.int.test.ts).
 */
function keepRunningOnUnhandledRejections(logger: Logger): void {
  if (guarded) return;
  guarded = true;
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection (kept running)', {
      error: reason instanceof Error ? (reason.stack ?? reason.message) : String(reason),
    });
  });
}

/** The caller's logger when it brought one (nothing to close), else the host log of that data folder. */
export function givenOrHostLog(given: Logger | undefined, dataDir: string): Pick<HostLog, 'logger' | 'close'> {
  return given ? { logger: given, close: async () => {} } : openHostLog({ dataDir });
}
