/**
 * What must never reach a log, taken out before anything is written: values under keys that name
 * credentials, at any depth, and the Authorization headers inside SIP text. Errors become their
 * type, message, stack and own fields (pino's error serializer); a circular reference becomes a
 * marker instead of a throw.
 *
 * Written here rather than with pino's `redact` option: that takes fixed paths (a wildcard stands
 * for one level), while a secret can sit at any depth under any spelling of its name, and inside
 * the text of a SIP message.
 */
import { stdSerializers } from 'pino';

export const REDACTED = '[redacted]';
const SECRET_KEY = /pass|secret|token|authorization|credential|nonce|response/i;
/** A SIP Authorization or Proxy-Authorization header line, in a message or a stack. */
const SIP_AUTH_HEADER = /^((?:proxy-)?authorization[ \t]*:).*$/gim;
/** Deeper than this is cut: a log line is for people, and a cycle through getters never ends. */
const MAX_DEPTH = 8;

export function redactText(text: string): string {
  return text.replace(SIP_AUTH_HEADER, `$1 ${REDACTED}`);
}

function isErrorLike(value: object): value is Error {
  return value instanceof Error || (typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string');
}

/** `value` with every secret replaced; the input is never changed. */
export function redactValue(value: unknown, ancestors: object[] = []): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.includes(value)) return '[Circular]';
  if (ancestors.length >= MAX_DEPTH) return '[Too deep]';
  const inside = [...ancestors, value];
  try {
    if (isErrorLike(value)) return redactEntries(Object.entries(stdSerializers.err(value)), inside);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, inside));
    // Dates, buffers, URLs and the like are logged as their JSON form, redacted like the rest.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return redactValue(toJSON.call(value), inside);
    return redactEntries(Object.entries(value), inside);
  } catch {
    // A getter or toJSON that throws: the line is still written, without this value.
    return '[Unreadable]';
  }
}

function redactEntries(entries: Array<[string, unknown]>, ancestors: object[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) out[key] = SECRET_KEY.test(key) ? REDACTED : redactValue(item, ancestors);
  return out;
}
