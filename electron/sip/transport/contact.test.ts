import { describe, expect, it } from 'vitest';
import { readHead } from '../wire/headers.js';
import { rewriteContactPort } from './contact.js';

function message(...contacts: string[]): string {
  return [
    'REGISTER sip:parley.test SIP/2.0',
    'Via: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bK1;rport',
    'From: <sip:alice@parley.test>;tag=f',
    'To: <sip:alice@parley.test>',
    'Call-ID: c@test',
    'CSeq: 1 REGISTER',
    ...contacts,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function rewrite(text: string, user = 'abc123', port = 40001): string {
  return rewriteContactPort(text, readHead(text)!, user, port);
}

describe('rewriteContactPort', () => {
  it("sets our Contact's port and keeps everything else byte for byte", () => {
    const text = message('Contact: <sip:abc123@127.0.0.1:5060;transport=tls>;expires=600');
    expect(rewrite(text)).toBe(message('Contact: <sip:abc123@127.0.0.1:40001;transport=tls>;expires=600'));
  });

  it('adds a port where there was none, for sips: and IPv6 hosts too', () => {
    expect(rewrite(message('Contact: "Alice" <sips:abc123@192.0.2.1>;+sip.instance="<urn:uuid:x>"'))).toBe(
      message('Contact: "Alice" <sips:abc123@192.0.2.1:40001>;+sip.instance="<urn:uuid:x>"'),
    );
    expect(rewrite(message('Contact: <sip:abc123@[2001:db8::1]:5060;transport=tls>'))).toBe(
      message('Contact: <sip:abc123@[2001:db8::1]:40001;transport=tls>'),
    );
  });

  it('handles the bare addr-spec and the compact form', () => {
    expect(rewrite(message('m: sip:abc123@127.0.0.1:5060;expires=60'))).toBe(message('m: sip:abc123@127.0.0.1:40001;expires=60'));
  });

  it("leaves other devices' Contacts, '*', and messages without a Contact alone", () => {
    const others = message('Contact: <sip:other@127.0.0.1:5060>, <sip:abc123@127.0.0.1:5060;transport=tls>');
    expect(rewrite(others)).toBe(message('Contact: <sip:other@127.0.0.1:5060>, <sip:abc123@127.0.0.1:40001;transport=tls>'));
    const star = message('Contact: *');
    expect(rewrite(star)).toBe(star);
    const none = message();
    expect(rewrite(none)).toBe(none);
    const prefix = message('Contact: <sip:abc1234@127.0.0.1:5060>');
    expect(rewrite(prefix)).toBe(prefix);
  });

  it('does nothing without a user to look for', () => {
    const text = message('Contact: <sip:abc123@127.0.0.1:5060>');
    expect(rewrite(text, '')).toBe(text);
  });
});
