import { describe, expect, it } from 'vitest';
import { nextLocalMoment } from './preview-time.js';

// Wednesday 2025-06-11 14:00 in Berlin (12:00 UTC).
const now = Date.parse('2025-06-11T12:00:00Z');

describe('nextLocalMoment', () => {
  it('finds the coming weekday and time in the schedule’s zone', () => {
    expect(nextLocalMoment('Europe/Berlin', now, 2, '10:00')).toBe(Date.parse('2025-06-17T08:00:00Z'));
    expect(nextLocalMoment('America/New_York', now, 4, '10:00')).toBe(Date.parse('2025-06-12T14:00:00Z'));
  });

  it('takes today while the time is still ahead, else the same day next week', () => {
    expect(nextLocalMoment('Europe/Berlin', now, 3, '18:00')).toBe(Date.parse('2025-06-11T16:00:00Z'));
    expect(nextLocalMoment('Europe/Berlin', now, 3, '09:00')).toBe(Date.parse('2025-06-18T07:00:00Z'));
  });
});
