/**
 * Structured logging with secrets kept out: fields named like credentials are masked, and
 * Authorization headers inside SIP text are cut before anything is written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const SECRET_KEY = /pass|secret|token|authorization|credential|nonce|response/i;
const SIP_AUTH_HEADER = /^((?:proxy-)?authorization\s*:).*$/gim;

/** Mask what must never reach a log: credential-looking fields and SIP Authorization headers. */
export function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (typeof value === 'string') out[key] = value.replace(SIP_AUTH_HEADER, '$1 [redacted]');
    else if (value instanceof Error) out[key] = value.message;
    else out[key] = value;
  }
  return out;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Writes one JSON object per line to the given sink (stderr by default, so stdout stays for data). */
export function createLogger(
  minLevel: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const log = (level: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (ORDER[level] < ORDER[minLevel]) return;
    write(JSON.stringify({ t: new Date().toISOString(), level, message, ...redact(fields) }));
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
