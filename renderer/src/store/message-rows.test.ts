import { describe, expect, it } from 'vitest';
import { testMessage } from '../testing/messages.js';
import { clockTime, dayLabel } from './local-time.js';
import { estimateRowHeight, firstUnreadIndex, messageRows } from './message-rows.js';

const at = (day: number, hour: number, minute: number, second = 0) => new Date(2026, 2, day, hour, minute, second).getTime();
const now = at(10, 18, 0);
const msg = (id: string, when: number, direction: 'in' | 'out' = 'in') =>
  testMessage({
    id,
    at: when,
    direction,
    from: 'sip:bob@example.org',
    to: 'sip:alice@example.org',
    callId: 'c',
    body: id,
    state: direction === 'in' ? 'received' : 'delivered',
  });

describe('dayLabel', () => {
  it('says Today and Yesterday by calendar day, not by 24 hours, else a date', () => {
    expect(dayLabel(at(10, 0, 1), now)).toBe('Today');
    expect(dayLabel(at(9, 23, 59), at(10, 0, 1))).toBe('Yesterday');
    expect(dayLabel(at(8, 12, 0), now)).toBe(
      new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' }).format(at(8, 12, 0)),
    );
    const lastYear = new Date(2025, 11, 24, 9, 0).getTime();
    expect(dayLabel(lastYear, now)).toContain('2025');
  });
});

describe('messageRows', () => {
  it('groups consecutive messages of one side within a minute, and separates days', () => {
    const rows = messageRows(
      [
        msg('a', at(9, 22, 0, 5)),
        msg('b', at(10, 9, 0, 1)),
        msg('c', at(10, 9, 0, 50)),
        msg('d', at(10, 9, 0, 55), 'out'),
        msg('e', at(10, 9, 1, 2), 'out'),
      ],
      now,
    );
    expect(rows.map((r) => [r.message.id, r.day, r.groupStart, r.groupEnd])).toEqual([
      ['a', 'Yesterday', true, true],
      ['b', 'Today', true, false],
      ['c', null, false, true],
      ['d', null, true, true],
      ['e', null, true, true],
    ]);
  });

  it('places a message the server kept for later at the time it was sent', () => {
    const late = { ...msg('late', at(10, 9, 0)), sentAt: at(9, 20, 0) };
    expect(messageRows([late], now)[0]!.day).toBe('Yesterday');
  });

  it('formats times in the user’s locale', () => {
    expect(clockTime(at(10, 14, 5))).toBe(new Date(at(10, 14, 5)).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }));
  });
});

describe('firstUnreadIndex', () => {
  it('counts unread incoming messages back from the latest', () => {
    const list = [msg('a', 1), msg('b', 2, 'out'), msg('c', 3), msg('d', 4, 'out'), msg('e', 5)];
    expect(firstUnreadIndex(list, 0)).toBe(-1);
    expect(firstUnreadIndex(list, 1)).toBe(4);
    expect(firstUnreadIndex(list, 2)).toBe(2);
    expect(firstUnreadIndex(list, 9)).toBe(0);
    expect(firstUnreadIndex([], 3)).toBe(-1);
  });
});

describe('estimateRowHeight', () => {
  it('grows with the lines a body wraps to, a group’s gap and a day separator', () => {
    const row = messageRows([msg('a', at(10, 9, 0))], now)[0]!;
    const plain = { ...row, day: null, groupStart: false };
    const long = { ...plain, message: { ...row.message, body: 'x'.repeat(150) } };
    expect(estimateRowHeight(long)).toBeGreaterThan(estimateRowHeight(plain));
    expect(estimateRowHeight({ ...plain, groupStart: true })).toBeGreaterThan(estimateRowHeight(plain));
    expect(estimateRowHeight(row)).toBeGreaterThan(estimateRowHeight({ ...plain, groupStart: true }));
  });
});
