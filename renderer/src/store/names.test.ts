import { describe, expect, it } from 'vitest';
import { avatarHue, contactIndex, conversationName, displayName, initials } from './names.js';

describe('names', () => {
  const contacts = [
    { aor: 'sip:bob@example.org', name: 'Bob Keller', groups: [] },
    { aor: 'sip:carol@example.org', groups: [] },
  ];

  it('prefers the contact name, then the peer display name, then the user part', () => {
    const index = contactIndex(contacts);
    expect(displayName(index, 'sip:bob@EXAMPLE.org;transport=tcp')).toBe('Bob Keller');
    expect(displayName(index, 'sip:carol@example.org', 'Carol D.')).toBe('Carol D.');
    expect(displayName(index, 'sip:carol@example.org', '  ')).toBe('carol');
    expect(displayName(index, 'sip:dave@example.org')).toBe('dave');
    expect(conversationName(index, { peer: 'sip:eve@example.org', peerName: 'Eve' })).toBe('Eve');
  });

  it('keeps one index per contact list', () => {
    expect(contactIndex(contacts)).toBe(contactIndex(contacts));
    expect(contactIndex([...contacts])).not.toBe(contactIndex(contacts));
  });

  it('makes initials from names in any script', () => {
    expect(initials('Bob Keller')).toBe('BK');
    expect(initials('bob')).toBe('B');
    expect(initials('jean-luc picard')).toBe('JP');
    expect(initials('Émile Zola')).toBe('ÉZ');
    expect(initials('192.0.2.7:5070')).toBe('19');
    expect(initials('   ')).toBe('?');
  });

  it('gives an address the same hue however it is written', () => {
    expect(avatarHue('sip:bob@example.org')).toBe(avatarHue('sip:bob@Example.ORG;transport=udp'));
    expect(avatarHue('sip:bob@example.org')).toBeGreaterThanOrEqual(0);
    expect(avatarHue('sip:bob@example.org')).toBeLessThan(360);
  });
});
