import { describe, expect, it } from 'vitest';
import { acceptsPidf, checkSubscribe, parseEvent } from './subscribe-request.js';

const subscribe = (event: string | undefined, accept: string[] = [], expires?: string) => checkSubscribe({ event, accept, expires });

describe('checkSubscribe', () => {
  it('takes presence, with an id echoed later, and grants the default hour without Expires', () => {
    expect(subscribe('presence')).toEqual({ ok: true, expires: 3600, eventId: undefined });
    expect(subscribe('Presence ; id=42', [], '600')).toEqual({ ok: true, expires: 600, eventId: '42' });
  });

  it('answers 489 for any other package, presence.winfo included', () => {
    for (const event of ['presence.winfo', 'dialog', 'message-summary', undefined, '']) {
      expect(subscribe(event)).toMatchObject({ ok: false, status: 489, headers: ['Allow-Events: presence'] });
    }
  });

  it('bounds Expires: 0 ends, 1..59 is too brief (423 + Min-Expires), above an hour is shortened, junk is a 400', () => {
    expect(subscribe('presence', [], '0')).toMatchObject({ ok: true, expires: 0 });
    expect(subscribe('presence', [], '59')).toMatchObject({ ok: false, status: 423, headers: ['Min-Expires: 60'] });
    expect(subscribe('presence', [], '60')).toMatchObject({ ok: true, expires: 60 });
    expect(subscribe('presence', [], '86400')).toMatchObject({ ok: true, expires: 3600 });
    for (const junk of ['-5', '1e3', 'soon', '']) expect(subscribe('presence', [], junk)).toMatchObject({ ok: false, status: 400 });
  });

  it('answers 415 naming PIDF when Accept leaves it out', () => {
    expect(subscribe('presence', ['application/xpidf+xml'])).toMatchObject({
      ok: false,
      status: 415,
      headers: ['Accept: application/pidf+xml'],
    });
  });
});

describe('acceptsPidf', () => {
  it('reads lists, several headers, wildcards and q=0', () => {
    expect(acceptsPidf([])).toBe(true);
    expect(acceptsPidf(['application/cpim-pidf+xml, Application/PIDF+XML;q=0.5'])).toBe(true);
    expect(acceptsPidf(['multipart/related', 'application/*'])).toBe(true);
    expect(acceptsPidf(['*/*'])).toBe(true);
    expect(acceptsPidf(['application/pidf+xml;q=0'])).toBe(false);
    expect(acceptsPidf([''])).toBe(false);
  });
});

describe('parseEvent', () => {
  it('splits the package from its parameters', () => {
    expect(parseEvent('presence;id=a;other=1')).toEqual({ package: 'presence', id: 'a' });
    expect(parseEvent(undefined)).toBeUndefined();
  });
});
