import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Reason, REASON_CODES } from '../domain/reason.js';
import { EN } from './en.js';
import { wordReason } from './word-reason.js';

/** Sample facts for one field of a code's params, from its schema: every code gets some, new ones too. */
function sample(field: z.ZodType, key: string): unknown {
  if (field instanceof z.ZodOptional) return sample(field.unwrap() as z.ZodType, key);
  if (field instanceof z.ZodNumber) return key === 'until' ? Date.UTC(2026, 2, 2, 16) : key === 'at' ? Date.UTC(2026, 2, 2, 9) : 480;
  if (field instanceof z.ZodArray) return ['a.example', '192.0.2.1'];
  if (field instanceof z.ZodEnum) return field.options[0];
  if (key === 'peer' || key === 'watcher') return 'sip:bob@example.org';
  if (key === 'timeZone') return 'Europe/Berlin';
  return `sample-${key}`;
}

/** Each code with every param filled, and with only the params it must have. */
function samples(): { full: Reason; bare: Reason }[] {
  return Reason.options.map((option) => {
    const code = option.shape.code.value;
    if (!('params' in option.shape)) return { full: { code }, bare: { code } } as { full: Reason; bare: Reason };
    const shape = (option.shape.params as z.ZodObject).shape;
    const full = Object.fromEntries(Object.entries(shape).map(([key, field]) => [key, sample(field as z.ZodType, key)]));
    const bare = Object.fromEntries(
      Object.entries(shape)
        .filter(([, field]) => !(field instanceof z.ZodOptional))
        .map(([key]) => [key, full[key]]),
    );
    // Both fit the contract, so the table is tried with what the core may really send.
    return { full: Reason.parse({ code, params: full }), bare: Reason.parse({ code, params: bare }) };
  });
}

describe('the English words of every reason', () => {
  it('has an entry for each code of the contract, and no other', () => {
    expect(Object.keys(EN).sort()).toEqual([...REASON_CODES].sort());
    expect(new Set(REASON_CODES).size).toBe(REASON_CODES.length);
  });

  it('words every code, with all its params or only those it must have, as text without holes', () => {
    const all = samples();
    expect(all).toHaveLength(REASON_CODES.length);
    for (const { full, bare } of all) {
      for (const reason of [full, bare]) {
        const text = wordReason(reason);
        expect(text.trim(), reason.code).not.toBe('');
        expect(text, reason.code).not.toMatch(/undefined|null|NaN|\[object Object\]/);
      }
    }
  });

  it('names the peer or watcher through the names it is given, for every code that names one', () => {
    for (const { full } of samples()) {
      const asked: string[] = [];
      const text = wordReason(full, (address) => (asked.push(address), 'Bob Keller'));
      const params = 'params' in full ? (full.params as Record<string, unknown>) : {};
      if ('peer' in params || 'watcher' in params) {
        expect(asked, full.code).toEqual(['sip:bob@example.org']);
        expect(text, full.code).toContain('Bob Keller');
      } else expect(asked, full.code).toEqual([]);
    }
  });

  it('without names, shows an address without its scheme', () => {
    expect(wordReason({ code: 'delivery.declined', params: { peer: 'sip:bob@example.org' } })).toBe(
      'bob@example.org declined the message.',
    );
    expect(wordReason({ code: 'delivery.declined', params: { peer: 'sips:bob@example.org' } }, (address) => address)).toBe(
      'sips:bob@example.org declined the message.',
    );
  });

  it('keeps the words of the SIP status it was given, and of the facts of a presence answer', () => {
    expect(wordReason({ code: 'delivery.failed', params: { status: 488, phrase: 'Not Acceptable Here' } })).toBe(
      'Not delivered: 488 Not Acceptable Here.',
    );
    expect(wordReason({ code: 'delivery.failed', params: { status: 488 } })).toBe('Not delivered: 488.');
    const until = { until: Date.UTC(2026, 2, 2, 16), at: Date.UTC(2026, 2, 2, 9), timeZone: 'Europe/Berlin' };
    expect(
      wordReason({
        code: 'view.group',
        params: { group: 'Friends', profile: 'Work hours', availability: 'busy', note: 'At work', ...until },
      }),
    ).toBe('Friends see Busy (“At work”) — profile Work hours, until 17:00 (Europe/Berlin)');
    expect(wordReason({ code: 'view.everyone', params: { profile: 'Default', availability: 'online' } })).toBe(
      'Everyone else sees Available — profile Default',
    );
  });

  it('shows a legacy reason as the sentence it was, and a status without a reason by the status', () => {
    expect(wordReason({ code: 'legacy', params: { text: 'Bob is offline.' } })).toBe('Bob is offline.');
    expect(wordReason({ code: 'register.status', params: { status: 407 } })).toMatch(/refused the password/);
    expect(wordReason({ code: 'register.status', params: {} })).toBe('The registration did not succeed.');
  });

  it('adds the trust note the endpoint gives to a refused certificate', () => {
    expect(
      wordReason({ code: 'connect.revoked', params: { trustProblem: 'unreadable', trustCertificate: 2, trustError: 'bad base64' } }),
    ).toMatch(/\(Note: trusted certificate 2 cannot be read \(bad base64\)\.\)$/);
    expect(wordReason({ code: 'connect.self-signed', params: { trustProblem: 'no-pem' } })).toMatch(
      /\(Note: the trusted certificate holds no PEM certificate/,
    );
  });
});
