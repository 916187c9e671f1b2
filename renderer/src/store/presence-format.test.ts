import { describe, expect, it } from 'vitest';
import { AVAILABILITY_LABELS, STATUS_CHOICES, contactAddedNotice } from './presence-format.js';

describe('presence words', () => {
  it('says "Available" for others and for oneself, and "Appear offline" only as one’s own choice', () => {
    expect(AVAILABILITY_LABELS.online).toBe('Available');
    expect(STATUS_CHOICES.online).toBe('Available');
    expect(AVAILABILITY_LABELS.offline).toBe('Offline');
    expect(STATUS_CHOICES.offline).toBe('Appear offline');
  });

  it('tells after adding a contact that they may now see our presence, unless they are blocked', () => {
    expect(contactAddedNotice('Bob', undefined)).toMatch(/Bob can now see it/);
    expect(contactAddedNotice('Bob', 'pending')).toMatch(/Bob can now see it/);
    expect(contactAddedNotice('Bob', 'blocked')).toMatch(/still see you as offline/);
  });
});
