/**
 * A conversation written out for the user to keep: a readable transcript, or a versioned JSON
 * document. Both are produced piece by piece (header, one piece per message, footer) so a long
 * conversation is written in chunks, never built in one step.
 */
import type { ChatMessage, Conversation } from '../../../shared/ipc.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { FILE_STATE_WORDS } from '../../../shared/words/file-state.js';
import { wordReason } from '../../../shared/words/word-reason.js';

/**
 * Bumped when the JSON document changes shape in a way a reader must know about.
 * 2: a message's `reason` is a code with its params (shared/domain/reason.ts), no longer a sentence.
 * 3: a message may be a file transfer (`file`, shared/domain/file-transfer.ts): its body is then the
 *    file's name, not something a person wrote.
 */
export const EXPORT_JSON_VERSION = 3;
export const EXPORT_JSON_FORMAT = 'parley-conversation';

export interface ExportHeader {
  conversation: Conversation;
  /** Other Call-IDs threaded into this conversation. */
  aliases: string[];
  count: number;
  first?: number;
  last?: number;
  exportedAt: number;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Local date and time with the UTC offset, e.g. "2026-11-26 14:03:12 +01:00". */
export function localDateTime(epochMs: number): string {
  const d = new Date(epochMs);
  const offset = -d.getTimezoneOffset();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${localDate(epochMs)} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function localDate(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** A file name from the peer and the day, with nothing a file system or a shell would trip on. */
export function exportFileName(peer: string, exportedAt: number, format: 'text' | 'json'): string {
  const safePeer =
    peer
      .replace(/^sips?:/i, '')
      .replace(/[^\p{L}\p{N}@._+-]+/gu, '_')
      .slice(0, 100) || 'conversation';
  return `parley-${safePeer}-${localDate(exportedAt)}.${format === 'text' ? 'txt' : 'json'}`;
}

export function textHeader(header: ExportHeader): string {
  const { conversation, aliases } = header;
  const lines = [
    `Parley conversation with ${conversation.peer}`,
    `Call-ID: ${conversation.callId}`,
    ...(aliases.length > 0 ? [`Also Call-IDs: ${aliases.join(', ')}`] : []),
    header.first !== undefined && header.last !== undefined
      ? `Messages: ${header.count}, from ${localDateTime(header.first)} to ${localDateTime(header.last)}`
      : `Messages: ${header.count}`,
    `Exported: ${localDateTime(header.exportedAt)}`,
    '',
    '',
  ];
  return lines.join('\n');
}

const INDENT = '    ';

/** What a state means to a reader of the transcript (outgoing messages only). */
function stateNote(message: ChatMessage): string {
  const reason = message.reason ? `: ${wordReason(message.reason)}` : '';
  const state = message.state === 'failed' ? `failed${reason}` : message.state;
  // The recipient's own word, when it came: "delivered, read".
  return message.receipt ? `${state}, ${message.receipt}` : state;
}

/** A file transfer as a transcript tells it: "file, 1.5 MB, Received, saved as /…" or "…, Not sent: why". */
function fileNote(file: NonNullable<ChatMessage['file']>): string {
  const state = FILE_STATE_WORDS[file.direction][file.state];
  const outcome =
    file.state === 'done' && file.savedAs ? `${state}, saved as ${file.savedAs}` : file.reason ? `${state}: ${file.reason}` : state;
  return `file, ${formatSize(file.size)}, ${outcome}`;
}

/**
 * One message: "[date time] sender (state): first line", further lines indented so no body line
 * can pass for the start of another message. Outgoing messages carry their delivery state; a
 * message written earlier than it was received (stored for later delivery) says when; a file
 * transfer is its name with what became of it.
 */
export function textMessage(message: ChatMessage): string {
  const notes = [
    ...(message.file ? [fileNote(message.file)] : message.direction === 'out' ? [stateNote(message)] : []),
    ...(message.sentAt !== undefined && message.sentAt !== message.at ? [`written ${localDateTime(message.sentAt)}`] : []),
  ];
  const lines = (message.text ?? message.body).split(/\r\n|\r|\n/);
  const head = `[${localDateTime(message.at)}] ${message.from}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}: ${lines[0]}`;
  return [head, ...lines.slice(1).map((line) => INDENT + line)].join('\n') + '\n';
}

/** The JSON document up to the opening of its messages array. */
export function jsonHeader(header: ExportHeader): string {
  const meta = {
    format: EXPORT_JSON_FORMAT,
    version: EXPORT_JSON_VERSION,
    exportedAt: new Date(header.exportedAt).toISOString(),
    conversation: { ...header.conversation, aliases: header.aliases },
    count: header.count,
  };
  const opening = JSON.stringify(meta, null, 2);
  return `${opening.slice(0, opening.lastIndexOf('}')).trimEnd()},\n  "messages": [`;
}

export function jsonMessage(message: ChatMessage, first: boolean): string {
  return `${first ? '\n' : ',\n'}    ${JSON.stringify(message)}`;
}

export function jsonFooter(count: number): string {
  return count > 0 ? '\n  ]\n}\n' : ']\n}\n';
}
