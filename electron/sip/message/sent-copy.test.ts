import { describe, expect, it } from 'vitest';
import { readSentCopyTo } from './sent-copy.js';

describe('readSentCopyTo', () => {
  it('reads the recipient and the status', () => {
    expect(readSentCopyTo('<sip:bob@parley.test>;status=202')).toEqual({ to: 'sip:bob@parley.test', status: 202 });
    expect(readSentCopyTo(' <sips:bob@example.com;transport=tls> ; status = 200 ')).toEqual({
      to: 'sips:bob@example.com;transport=tls',
      status: 200,
    });
  });

  it('takes a copy without a status', () => {
    expect(readSentCopyTo('<sip:bob@parley.test>')).toEqual({ to: 'sip:bob@parley.test' });
    expect(readSentCopyTo('<sip:bob@parley.test>;other=1')).toEqual({ to: 'sip:bob@parley.test' });
  });

  it('refuses what is not one URI in angle brackets', () => {
    expect(readSentCopyTo('sip:bob@parley.test')).toBeUndefined();
    expect(readSentCopyTo('<sip:bob@parley.test>, <sip:carol@parley.test>')).toBeUndefined();
    expect(readSentCopyTo('<>')).toBeUndefined();
    expect(readSentCopyTo(`<sip:${'a'.repeat(2000)}@parley.test>`)).toBeUndefined();
  });
});
