import { describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../../shared/ipc.js';
import { notificationFor, statusLine } from './status.js';

describe('status', () => {
  it('says what the registration state means', () => {
    expect(statusLine({ state: 'registered' }, 'sip:alice@example.org')).toBe('Online as alice@example.org');
    expect(statusLine({ state: 'direct' })).toBe('Online (direct)');
    expect(statusLine({ state: 'failed', reason: { code: 'register.bad-password', params: { user: 'alice' } } })).toBe(
      'Offline: The server refused the password for alice. Check the password and the authentication user name.',
    );
    expect(statusLine({ state: 'retrying', reason: { code: 'register.timeout' } })).toBe('Reconnecting… (The server did not answer in time. Parley keeps trying.)');
    expect(statusLine({ state: 'retrying' })).toBe('Reconnecting…');
  });

  const message: SequencedEvent = {
    type: 'message',
    seq: 1,
    id: 'm',
    conversationId: 'c',
    direction: 'in',
    from: 'sips:bob@example.org',
    to: 'sip:alice@example.org',
    callId: 'x',
    cseq: 1,
    contentType: 'text/plain',
    body: 'a <i>b</i>\n\nc',
    at: 0,
    state: 'received',
  };

  it('notifies incoming messages only while unfocused, escaping markup on Linux', () => {
    expect(notificationFor(message, { windowFocused: false, platform: 'linux' })).toEqual({
      title: 'bob@example.org',
      body: 'a &lt;i&gt;b&lt;/i&gt; c',
      conversationId: 'c',
    });
    expect(notificationFor(message, { windowFocused: false, platform: 'darwin' })?.body).toBe('a <i>b</i> c');
    expect(notificationFor(message, { windowFocused: true })).toBeNull();
    expect(notificationFor({ ...message, direction: 'out' }, { windowFocused: false })).toBeNull();
    expect(notificationFor({ type: 'notice', level: 'info', text: 'x', seq: 2 }, { windowFocused: false })).toBeNull();
    const long = notificationFor({ ...message, body: 'x'.repeat(1000) }, { windowFocused: false, platform: 'darwin' });
    expect(long?.body.length).toBe(240);
  });
});

