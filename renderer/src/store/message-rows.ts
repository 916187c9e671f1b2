/**
 * How a conversation's messages are laid out, as a chat app does it: a day separator above the
 * first message of each day ("Today", "Yesterday", else a date in the user's locale), and
 * consecutive messages from the same side within the same minute grouped, so the time is shown
 * once under the last of them instead of on every bubble. One row per message: rows never split or
 * merge when older pages are prepended, so the list keeps its place by message index alone.
 */
import type { ChatMessage } from '../../../shared/ipc.js';
import { dayLabel, dayNumber } from './local-time.js';

export interface MessageRow {
  message: ChatMessage;
  /** The day separator shown above this message, when it is the first of its day. */
  day: string | null;
  /** First of its group (a gap above it). */
  groupStart: boolean;
  /** Last of its group: it carries the group's time. */
  groupEnd: boolean;
}

/** The time a message is placed at on screen: when it was sent, for one the server kept for later. */
function shownAt(message: ChatMessage): number {
  return message.sentAt ?? message.at;
}

function sameMinute(a: number, b: number): boolean {
  return Math.floor(a / 60_000) === Math.floor(b / 60_000) && dayNumber(a) === dayNumber(b);
}

export function messageRows(messages: readonly ChatMessage[], now: number): MessageRow[] {
  const rows: MessageRow[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    const before = messages[i - 1];
    const after = messages[i + 1];
    const newDay = !before || dayNumber(shownAt(before)) !== dayNumber(shownAt(message));
    const joinsBefore = !newDay && before!.direction === message.direction && sameMinute(shownAt(before!), shownAt(message));
    const joinsAfter = after !== undefined && after.direction === message.direction && sameMinute(shownAt(message), shownAt(after));
    rows.push({ message, day: newDay ? dayLabel(shownAt(message), now) : null, groupStart: !joinsBefore, groupEnd: !joinsAfter });
  }
  return rows;
}

/**
 * A row's height (px) before it is measured, for the virtual list's layout: a bubble of one line,
 * another line for about every 70 characters, the gap above a group and the day separator. Close
 * enough that the rows placed on opening land near where they are measured.
 */
export function estimateRowHeight(row: MessageRow): number {
  // A file's card: its name, a line of state, room for a reason or where it was saved.
  if (row.message.file) return 88 + (row.groupStart ? 10 : 2) + (row.day ? 46 : 0);
  const text = row.message.text ?? row.message.body;
  const lines = 1 + Math.floor(text.length / 70);
  return 14 + lines * 20 + (row.groupStart ? 10 : 2) + (row.day ? 46 : 0);
}

/**
 * The index of the first of the last `unread` incoming messages (the first unread one), or -1 when
 * none is unread; 0 when they go back further than the messages held.
 */
export function firstUnreadIndex(messages: readonly ChatMessage[], unread: number): number {
  if (unread <= 0) return -1;
  let left = unread;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.direction === 'in' && --left === 0) return i;
  }
  return messages.length > 0 ? 0 : -1;
}
