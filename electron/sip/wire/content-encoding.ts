/**
 * Bodies sent with a Content-Encoding (RFC 3261 §20.12), decoded before the message becomes text.
 * liblinphone sends every notification it makes (IMDN, isComposing) deflated ("Content-Encoding:
 * deflate", its notification-message.cpp), and a compressed body is bytes, not UTF-8: it must be
 * inflated while it is still a Buffer. Only deflate (zlib, or raw as some stacks send it) and gzip;
 * the output is bounded (a small body that inflates to gigabytes stops at the limit and is left as
 * it came, which the layers above then refuse), and anything that does not inflate is left alone.
 */
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');
const CONTENT_ENCODING = /^content-encoding[ \t]*:[ \t]*([^\r\n]*)$/im;
const CODED_LINE = /^content-encoding[ \t]*:/i;
const LENGTH_LINE = /^(?:content-length|l)[ \t]*:/i;

function inflate(coding: string, body: Buffer, maxBytes: number): Buffer | undefined {
  const limit = { maxOutputLength: maxBytes };
  const attempts = coding === 'gzip' ? [gunzipSync] : coding === 'deflate' ? [inflateSync, inflateRawSync] : [];
  for (const attempt of attempts) {
    try {
      return attempt(body, limit);
    } catch {
      // not this format, or over the limit: try the next, else leave it
    }
  }
  return undefined;
}

/**
 * The message with its body decoded and the head saying so (no Content-Encoding, the new
 * Content-Length), or the same Buffer when there is nothing to decode or it cannot be decoded.
 */
export function decodeContentEncoding(data: Buffer, maxBytes: number): Buffer {
  // Cheap first look: most messages name no encoding at all.
  if (data.indexOf('ncoding', 0, 'latin1') < 0 && data.indexOf('NCODING', 0, 'latin1') < 0) return data;
  const end = data.indexOf(HEAD_END);
  if (end < 0) return data;
  const head = data.subarray(0, end).toString('latin1');
  const coding = CONTENT_ENCODING.exec(head)?.[1]?.trim().toLowerCase();
  if (!coding || coding === 'identity') return data;
  const plain = inflate(coding, data.subarray(end + HEAD_END.length), maxBytes);
  if (!plain) return data;
  const lines = head
    .split('\r\n')
    .filter((line) => !CODED_LINE.test(line))
    .map((line) => (LENGTH_LINE.test(line) ? `Content-Length: ${plain.length}` : line));
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), plain]);
}
