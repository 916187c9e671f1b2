/**
 * Structured logging on pino: one JSON object per line ({"level":"info","time":"...","pid":1,
 * "msg":"...", ...fields}), so `npx pino-pretty` reads it. Secrets are taken out first
 * (log-redact.ts). Where the lines go is the host's choice (electron/hosts/host-log.ts: a rotated
 * file and stderr); the core, sip/ and storage/ only see the Logger interface.
 */
import { pino, multistream, stdTimeFunctions, type DestinationStream, type Logger as Pino } from 'pino';
import { redactText, redactValue } from './log-redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The one switch for how much is logged: PARLEY_LOG_LEVEL=debug|info|warn|error. */
export const LOG_LEVEL_VARIABLE = 'PARLEY_LOG_LEVEL';

/** The level PARLEY_LOG_LEVEL asks for, or undefined when it is unset or not a level. */
export function levelFromEnv(env: NodeJS.ProcessEnv): LogLevel | undefined {
  const asked = env[LOG_LEVEL_VARIABLE]?.trim().toLowerCase();
  return LOG_LEVELS.find((level) => level === asked);
}

export interface LogSink {
  /** Lines at this level and above go here. */
  level: LogLevel;
  /** Gets each line, newline included. */
  stream: DestinationStream;
}

/** A logger writing to the given sinks (stderr at info when none are given, so stdout stays for data). */
export function createLogger(sinks: readonly LogSink[] = [{ level: 'info', stream: process.stderr }]): Logger {
  const lowest = LOG_LEVELS.find((level) => sinks.some((sink) => sink.level === level));
  if (!lowest) return silentLogger;
  const log: Pino = pino(
    {
      level: lowest,
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    multistream(sinks.map((sink) => ({ level: sink.level, stream: sink.stream }))),
  );
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    if (!log.isLevelEnabled(level)) return;
    log[level](fields ? (redactValue(fields) as LogFields) : {}, redactText(message));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
