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

export function parsePath(value: string): MsrpUri[] | undefined {
  const parts = value.trim().split(/[ \t]+/);
  const uris: MsrpUri[] = [];
  for (const p of parts) {
    const uri = parseMsrpUri(p);
    if (!uri) return undefined;
    uris.push(uri);
  }
  return uris.length > 0 ? uris : undefined;
}

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
