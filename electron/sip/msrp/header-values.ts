/**
 * Reading and writing the values of MSRP's own header fields (RFC 4975 §9): paths, Byte-Range,
 * Status, the report flags, idents. Readers return undefined on anything off the grammar.
 */
import type { ByteRange, FailureReport, MsrpStatus, SuccessReport } from './message.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

/** ident = ALPHANUM 3*31ident-char: transaction ids and Message-IDs. */
export const IDENT = /^[A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}$/;

/** Byte positions past this are refused: a safe integer with room to add. */
const MAX_POSITION = 2 ** 50;

export function parsePath(value: string): readonly MsrpUri[] | undefined {
  const known = pathsRead.get(value);
  if (known) return known;
  const parts = value.trim().split(/[ \t]+/);
  const uris: MsrpUri[] = [];
  for (const p of parts) {
    const uri = parseMsrpUri(p);
    if (!uri) return undefined;
    uris.push(Object.freeze(uri));
  }
  if (uris.length === 0) return undefined;
  if (pathsRead.size >= PATHS_KEPT) pathsRead.clear();
  const path = Object.freeze(uris);
  pathsRead.set(value, path);
  return path;
}

/**
 * Paths read lately, by their text: every chunk of a file names the same two paths, and reading
 * them anew was a tenth of the receiver's time per chunk. Frozen, since frames share them.
 */
const pathsRead = new Map<string, readonly MsrpUri[]>();
const PATHS_KEPT = 64;

export function formatPath(uris: readonly MsrpUri[]): string {
  return uris.map(formatMsrpUri).join(' ');
}

export function parseByteRange(value: string): ByteRange | undefined {
  const m = /^(\d{1,16})-(\d{1,16}|\*)\/(\d{1,16}|\*)$/.exec(value.trim());
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === '*' ? undefined : Number(m[2]);
  const total = m[3] === '*' ? undefined : Number(m[3]);
  if (start < 1 || start > MAX_POSITION) return undefined;
  if (end !== undefined && (end > MAX_POSITION || end < start - 1)) return undefined;
  if (total !== undefined && (total > MAX_POSITION || (end !== undefined && end > total))) return undefined;
  return { start, ...(end !== undefined ? { end } : {}), ...(total !== undefined ? { total } : {}) };
}

export function formatByteRange(range: ByteRange): string {
  return `${range.start}-${range.end ?? '*'}/${range.total ?? '*'}`;
}

export function parseStatus(value: string): MsrpStatus | undefined {
  const m = /^(\d{3}) (\d{3})(?: (.*))?$/.exec(value.trim());
  if (!m) return undefined;
  return { namespace: m[1]!, code: Number(m[2]), ...(m[3] ? { comment: m[3] } : {}) };
}

export function formatStatus(status: MsrpStatus): string {
  return `${status.namespace} ${status.code}${status.comment ? ` ${status.comment}` : ''}`;
}

export function parseSuccessReport(value: string): SuccessReport | undefined {
  const v = value.trim().toLowerCase();
  return v === 'yes' || v === 'no' ? v : undefined;
}

export function parseFailureReport(value: string): FailureReport | undefined {
  const v = value.trim().toLowerCase();
  return v === 'yes' || v === 'no' || v === 'partial' ? v : undefined;
}
