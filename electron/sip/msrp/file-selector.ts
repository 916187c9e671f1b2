/**
 * The file an MSRP file transfer offers (RFC 5547 §6): the SDP attributes that describe it, read
 * and written below any policy. `a=file-selector` names it by its name, type, size and hash;
 * `a=file-transfer-id` tells one transfer from a later one of the same file; `a=file-disposition`
 * says whether it is meant to be shown or saved; `a=file-date` when it was made or changed;
 * `a=file-range` which bytes a resumed transfer asks for (§8.1).
 *
 * Readers return undefined (never throw) on anything off the grammar or past a bound: the name is
 * only what the peer says, so it is kept as text here and made safe for the disk by whoever saves
 * it (core/files/download-name.ts). Only SHA-1 is defined for the hash (§6's hash-algorithm
 * registry at the time of writing); another algorithm is read and kept, and cannot be verified.
 */

export interface FileHash {
  algorithm: string;
  /** Lower-case hex, no separators. */
  hex: string;
}

export interface FileSelector {
  name?: string;
  /** The MIME type as offered ("image/jpeg;charset=..."): parameters kept, case kept. */
  type?: string;
  size?: number;
  hash?: FileHash;
}

export interface FileOffer {
  selector: FileSelector;
  transferId?: string;
  disposition?: string;
  /** Epoch ms, by kind (creation, modification, read). */
  dates?: Partial<Record<'creation' | 'modification' | 'read', number>>;
  /** 1-based inclusive byte range asked for; `end` undefined means "to the end" (`*`). */
  range?: { start: number; end?: number };
}

/** A name longer than this (in UTF-16 units, percent-decoded) is refused rather than cut. */
export const MAX_NAME_CHARS = 1024;
/** Sizes past this are refused: larger than any transfer Parley takes, and safe to add to. */
const MAX_SIZE = 2 ** 50;
/** transfer-id = token (RFC 4566), bounded. */
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]{1,128}$/;
const TYPE = /^[!#$&^_.+\-0-9A-Za-z]{1,64}\/[!#$&^_.+\-0-9A-Za-z]{1,64}((;[^\s;"]{1,128})|(;[^\s;=]{1,64}="[^"]{0,128}"))*$/;

/** The value of `a=file-selector` (without "file-selector:"). */
export function parseFileSelector(value: string): FileSelector | undefined {
  const selector: FileSelector = {};
  let rest = value.trim();
  while (rest.length > 0) {
    const name = /^name:"([^"]*)"(?=\s|$)/.exec(rest);
    if (name) {
      if (selector.name !== undefined) return undefined;
      const decoded = decodeName(name[1]!);
      if (decoded === undefined) return undefined;
      selector.name = decoded;
      rest = rest.slice(name[0].length).trimStart();
      continue;
    }
    const word = /^(\S+)/.exec(rest)![1]!;
    rest = rest.slice(word.length).trimStart();
    const colon = word.indexOf(':');
    if (colon < 1) return undefined;
    const key = word.slice(0, colon).toLowerCase();
    const text = word.slice(colon + 1);
    if (key === 'type' && selector.type === undefined && TYPE.test(text)) selector.type = text;
    else if (key === 'size' && selector.size === undefined && /^\d{1,16}$/.test(text) && Number(text) <= MAX_SIZE)
      selector.size = Number(text);
    else if (key === 'hash' && selector.hash === undefined) {
      const hash = parseHash(text);
      if (!hash) return undefined;
      selector.hash = hash;
    } else return undefined;
  }
  return selector.name !== undefined || selector.type !== undefined || selector.size !== undefined || selector.hash !== undefined
    ? selector
    : undefined;
}

export function formatFileSelector(selector: FileSelector): string {
  const parts: string[] = [];
  if (selector.name !== undefined) parts.push(`name:"${encodeName(selector.name)}"`);
  if (selector.type !== undefined) parts.push(`type:${selector.type}`);
  if (selector.size !== undefined) parts.push(`size:${selector.size}`);
  if (selector.hash) parts.push(`hash:${selector.hash.algorithm}:${formatHex(selector.hash.hex)}`);
  return parts.join(' ');
}

/** The file attributes of one m=message section, from its `a=` lines as sdp.ts reads them (name → value, each once). */
export function parseFileOffer(attributes: ReadonlyMap<string, string>): FileOffer | undefined {
  const selectorValue = attributes.get('file-selector');
  if (selectorValue === undefined) return undefined;
  const selector = parseFileSelector(selectorValue);
  if (!selector) return undefined;
  const offer: FileOffer = { selector };
  const id = attributes.get('file-transfer-id')?.trim();
  if (id !== undefined) {
    if (!TOKEN.test(id)) return undefined;
    offer.transferId = id;
  }
  const disposition = attributes.get('file-disposition')?.trim();
  if (disposition !== undefined) {
    if (!TOKEN.test(disposition)) return undefined;
    offer.disposition = disposition.toLowerCase();
  }
  const date = attributes.get('file-date');
  if (date !== undefined) {
    const dates = parseDates(date);
    if (!dates) return undefined;
    offer.dates = dates;
  }
  const range = attributes.get('file-range');
  if (range !== undefined) {
    const m = /^(\d{1,16})-(\d{1,16}|\*)$/.exec(range.trim());
    if (!m) return undefined;
    const start = Number(m[1]);
    const end = m[2] === '*' ? undefined : Number(m[2]);
    if (start < 1 || start > MAX_SIZE || (end !== undefined && (end < start || end > MAX_SIZE))) return undefined;
    offer.range = { start, ...(end !== undefined ? { end } : {}) };
  }
  return offer;
}

/** The `a=` lines (without "a=") that describe a file offer, in RFC 5547's order. */
export function formatFileOffer(offer: FileOffer): string[] {
  const lines = [`file-selector:${formatFileSelector(offer.selector)}`];
  if (offer.transferId !== undefined) lines.push(`file-transfer-id:${offer.transferId}`);
  if (offer.disposition !== undefined) lines.push(`file-disposition:${offer.disposition}`);
  const dates = Object.entries(offer.dates ?? {}).map(([kind, at]) => `${kind}:"${new Date(at).toUTCString()}"`);
  if (dates.length > 0) lines.push(`file-date:${dates.join(' ')}`);
  if (offer.range) lines.push(`file-range:${offer.range.start}-${offer.range.end ?? '*'}`);
  return lines;
}

/** filename-string: %22 and %25 (and any other %XX) percent-decoded as UTF-8 (§6). */
function decodeName(text: string): string | undefined {
  if (text.length > MAX_NAME_CHARS * 3) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(text.replace(/%(?![0-9A-Fa-f]{2})/g, '%25'));
  } catch {
    return undefined;
  }
  return decoded.length > 0 && decoded.length <= MAX_NAME_CHARS ? decoded : undefined;
}

/** Only what cannot stand inside the quotes is escaped: the quote, the percent sign, and line breaks. */
function encodeName(name: string): string {
  return name.replace(/[%"\r\n]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function parseHash(text: string): FileHash | undefined {
  const m = /^([A-Za-z0-9-]{1,16}):((?:[0-9A-Fa-f]{2}:){0,63}[0-9A-Fa-f]{2})$/.exec(text);
  if (!m) return undefined;
  const algorithm = m[1]!.toLowerCase();
  const hex = m[2]!.replace(/:/g, '').toLowerCase();
  if (algorithm === 'sha-1' && hex.length !== 40) return undefined;
  return { algorithm, hex };
}

function formatHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

function parseDates(value: string): FileOffer['dates'] | undefined {
  const dates: NonNullable<FileOffer['dates']> = {};
  let rest = value.trim();
  while (rest.length > 0) {
    const m = /^(creation|modification|read):"([^"]{1,64})"\s*/i.exec(rest);
    if (!m) return undefined;
    const kind = m[1]!.toLowerCase() as keyof NonNullable<FileOffer['dates']>;
    const at = Date.parse(m[2]!);
    if (Number.isNaN(at) || dates[kind] !== undefined) return undefined;
    dates[kind] = at;
    rest = rest.slice(m[0].length);
  }
  return dates;
}
