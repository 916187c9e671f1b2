/**
 * The name a received file gets in the downloads folder. The offered name (RFC 5547 a=file-selector
 * name) is only what the peer says: it may hold path separators, `..`, NUL and control characters,
 * a reserved device name, a right-to-left override that disguises its extension, a leading dot
 * that hides it, or be thousands of characters long. What comes out is one plain file name that
 * stays inside the folder: characters no file system takes are replaced (the sanitize-filename
 * library), hiding and disguising characters too, and the length is capped keeping the extension.
 * A name already taken becomes "name (1).ext", "name (2).ext"...
 */
import path from 'node:path';
import sanitize from 'sanitize-filename';

/** Bytes of UTF-8 a name may keep: below every file system's 255, with room for " (999)" and ".part". */
export const MAX_NAME_BYTES = 200;
/** An extension longer than this is not kept apart when the name is cut. */
const MAX_EXTENSION_CHARS = 16;
/** Bidirectional overrides and isolates: "photo\u202Egpj.exe" shows as "photoexe.jpg". */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const FALLBACK = 'file';

/** A safe, non-empty file name for what the peer offered. */
export function safeFileName(offered: string | undefined): string {
  // Cut first: the library cuts at 255 bytes wherever that falls, extension or not.
  let name = sanitize(capLength((offered ?? '').replace(BIDI_CONTROLS, '').normalize('NFC')), { replacement: '_' });
  // A leading dot would hide the file; leading spaces hide nothing but confuse.
  name = name.replace(/^[.\s]+/, (lead) => '_'.repeat(Math.min(lead.length, 1)));
  return /^[_\s]*$/.test(name) ? FALLBACK : name;
}

/** `name`, or "stem (n).ext" for the first n that `taken` says is free. */
export function uniqueName(name: string, taken: (candidate: string) => boolean): string {
  if (!taken(name)) return name;
  const { stem, extension } = split(name);
  for (let n = 1; ; n++) {
    const candidate = `${stem} (${n})${extension}`;
    if (!taken(candidate)) return candidate;
  }
}

/** Whether `file` is directly inside `folder` (after resolving both): the last check before anything is written. */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative.length > 0 && !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.includes(path.sep);
}

function capLength(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name;
  const { stem, extension } = split(name);
  const room = MAX_NAME_BYTES - Buffer.byteLength(extension, 'utf8');
  return cutUtf8(stem, room) + extension;
}

function split(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > MAX_EXTENSION_CHARS + 1) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

/** The longest prefix of `text` within `bytes` of UTF-8, never splitting a character. */
function cutUtf8(text: string, bytes: number): string {
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}
