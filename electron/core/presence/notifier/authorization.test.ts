import { describe, expect, it } from 'vitest';
import type { Watcher } from '../../../../shared/domain/presence.js';
import { authorizationBook, authorizationOf, effectiveWatchers } from './authorization.js';

const watcher = (aor: string, status: Watcher['status']): Watcher => ({ aor, status, source: 'direct', subscribed: true, lastSeen: 1 });

describe('authorization', () => {
  const book = authorizationBook(
    [
      watcher('sip:blocked@example.org', 'blocked'),
      watcher('sip:allowed@example.org', 'allowed'),
      watcher('sip:asked@example.org', 'pending'),
    ],
    [
      { aor: 'sip:blocked@example.org', groups: [] },
      { aor: 'sip:Buddy@Example.ORG:5060', groups: ['friends'] },
    ],
  );

  it('keeps a block even for a roster contact, lets buddies and allowed watchers in, and holds the rest pending', () => {
    expect(authorizationOf(book, 'sip:blocked@example.org')).toBe('blocked');
    expect(authorizationOf(book, 'sip:allowed@example.org;transport=tcp')).toBe('allowed');
    expect(authorizationOf(book, '<sip:Buddy@example.org>')).toBe('allowed');
    expect(authorizationOf(book, 'sip:asked@example.org')).toBe('pending');
    expect(authorizationOf(book, 'sip:stranger@example.org')).toBe('pending');
  });

  it('lists roster contacts as allowed watchers for "what does X see"', () => {
    const list = effectiveWatchers(book, 7);
    expect(list.find((w) => w.aor === 'sip:Buddy@example.org')).toMatchObject({ status: 'allowed', subscribed: false, lastSeen: 7 });
    expect(list.find((w) => w.aor === 'sip:blocked@example.org')?.status).toBe('blocked');
    expect(list.filter((w) => w.aor === 'sip:blocked@example.org')).toHaveLength(1);
  });
});
