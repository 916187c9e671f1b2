import { describe, expect, it } from 'vitest';
import { cpimDocument, parseCpim } from './cpim.js';
import { IMDN_XML_NS, imdnDocument, parseImdn } from './imdn.js';
import { classifyIncoming } from './incoming-content.js';

const notice = (inner: string, ns = IMDN_XML_NS) =>
  `<?xml version="1.0" encoding="UTF-8"?><imdn xmlns="${ns}"><message-id>34jk324j</message-id>` +
  `<datetime>2008-04-04T12:16:49-05:00</datetime>${inner}</imdn>`;
const delivered = '<delivery-notification><status><delivered/></status></delivery-notification>';
const displayed = '<display-notification><status><displayed/></status></display-notification>';

describe('IMDN documents', () => {
  it('reads what it writes, both kinds', () => {
    for (const status of ['delivered', 'displayed'] as const) {
      const xml = imdnDocument({ messageId: 'm-1', sentAt: Date.UTC(2026, 11, 6), recipient: 'sip:bob@parley.test', status });
      expect(parseImdn(xml)).toEqual({ messageId: 'm-1', status });
      expect(xml).toContain('<datetime>2026-12-06T00:00:00.000Z</datetime>');
      expect(xml).toContain('<recipient-uri>sip:bob@parley.test</recipient-uri>');
    }
  });

  it("reads RFC 5438's example and liblinphone's form (prefixed, no recipient, failure with an extension)", () => {
    expect(parseImdn(notice(`<recipient-uri>im:bob@example.com</recipient-uri>${delivered}`))).toEqual({
      messageId: '34jk324j',
      status: 'delivered',
    });
    const prefixed = `<i:imdn xmlns:i="${IMDN_XML_NS}"><i:message-id> abc </i:message-id><i:datetime>x</i:datetime><i:display-notification><i:status><i:displayed/></i:status></i:display-notification></i:imdn>`;
    expect(parseImdn(prefixed)).toEqual({ messageId: 'abc', status: 'displayed' });
    const failed = notice(
      '<delivery-notification><status><failed/><l:reason xmlns:l="http://www.linphone.org/xsds/imdn.xsd" code="415">x</l:reason></status></delivery-notification>',
    );
    expect(parseImdn(failed)).toEqual({ messageId: '34jk324j', status: 'not-delivered' });
  });

  it('escapes what it quotes: a hostile Message-ID stays text', () => {
    const xml = imdnDocument({ messageId: '</message-id><x>', sentAt: 0, recipient: 'sip:a@b', status: 'delivered' });
    expect(parseImdn(xml)).toEqual({ messageId: '</message-id><x>', status: 'delivered' });
  });

  it('refuses hostile and malformed documents: DTDs, entities, floods, size, wrong shapes', () => {
    const bomb = `<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>${notice(delivered).replace('34jk324j', '&b;')}`;
    expect(parseImdn(bomb)).toBeUndefined();
    expect(
      parseImdn(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${notice(delivered).replace('34jk324j', '&e;')}`),
    ).toBeUndefined();
    expect(parseImdn(notice(delivered + '<a/>'.repeat(100)))).toBeUndefined();
    expect(parseImdn(notice(delivered + '<a>'.repeat(20) + '</a>'.repeat(20)))).toBeUndefined();
    expect(parseImdn(notice(delivered + ' '.repeat(10_000)))).toBeUndefined();
    expect(parseImdn(notice(delivered).replace('34jk324j', 'x'.repeat(300)))).toBeUndefined();
    expect(parseImdn(notice(delivered).replace('34jk324j', ''))).toBeUndefined();
    expect(parseImdn(notice(delivered, 'urn:example:other'))).toBeUndefined();
    expect(parseImdn(notice(delivered).replace(`xmlns="${IMDN_XML_NS}"`, ''))).toBeUndefined();
    expect(parseImdn(notice(delivered + displayed))).toBeUndefined();
    expect(parseImdn(notice(''))).toBeUndefined();
    expect(parseImdn(notice('<delivery-notification><status><displayed/></status></delivery-notification>'))).toBeUndefined();
    expect(parseImdn(notice('<delivery-notification><status><delivered/><failed/></status></delivery-notification>'))).toBeUndefined();
    expect(parseImdn(notice('<processing-notification><status><processed/></status></processing-notification>'))).toBeUndefined();
    expect(parseImdn(notice(delivered).slice(0, -3))).toBeUndefined();
    expect(parseImdn('not xml at all')).toBeUndefined();
    expect(parseImdn(notice(delivered).replace('34jk324j', '34jk\u0001324j'))).toBeUndefined();
  });
});

describe('CPIM we write', () => {
  it('is read back with its Message-ID, the notifications asked for, its date and payload', () => {
    const body = cpimDocument({
      from: 'sip:alice@parley.test',
      to: 'sip:bob@parley.test',
      at: Date.UTC(2026, 11, 6, 13, 0),
      messageId: '01a24b7d-3b74',
      dispositions: ['positive-delivery', 'display'],
      contentType: 'text/plain;charset=UTF-8',
      body: 'hi\r\n\r\nsecond paragraph',
    });
    expect(body).toMatch(/^From: <sip:alice@parley\.test>\r\nTo: <sip:bob@parley\.test>\r\n/);
    expect(body).toContain('\r\nNS: imdn <urn:ietf:params:imdn>\r\nimdn.Message-ID: 01a24b7d-3b74\r\n');
    expect(body).toContain('\r\nimdn.Disposition-Notification: positive-delivery, display\r\n');
    expect(body).toContain('\r\nContent-Length: 22\r\n');
    expect(parseCpim(body)).toMatchObject({
      messageId: '01a24b7d-3b74',
      dispositions: ['positive-delivery', 'display'],
      dateTime: Date.UTC(2026, 11, 6, 13, 0),
      contentType: 'text/plain;charset=UTF-8',
      body: 'hi\r\n\r\nsecond paragraph',
    });
  });

  it('a notification asks for nothing, and a CR/LF or bracket in an address cannot add a header', () => {
    const body = cpimDocument({
      from: 'sip:a@b\r\nimdn.Disposition-Notification: display',
      to: 'sip:c@d>',
      at: 0,
      messageId: 'n-1',
      contentType: 'message/imdn+xml',
      contentDisposition: 'notification',
      body: '<imdn/>',
    });
    // The injected text stays inside the From value: no header line of its own.
    expect(body).not.toMatch(/^imdn\.Disposition-Notification/m);
    expect(body.split('\r\n\r\n')[0]!.split('\r\n')).toHaveLength(5);
    expect(body).toContain('\r\nContent-Disposition: notification\r\n');
    expect(parseCpim(body)).not.toHaveProperty('dispositions');
  });
});

describe('notifications and requests on the way in', () => {
  const cpim = (headers: string[], type: string, payload: string) =>
    ['From: <sip:bob@parley.test>', 'To: <sip:alice@parley.test>', ...headers, '', `Content-Type: ${type}`, '', payload].join('\r\n');

  it('an IMDN, bare or in CPIM, is a notification; a malformed one is refused (400), never text', () => {
    expect(classifyIncoming('message/imdn+xml', notice(delivered))).toEqual({
      kind: 'notification',
      notice: { messageId: '34jk324j', status: 'delivered' },
    });
    expect(
      classifyIncoming(
        'message/cpim',
        cpim(['NS: imdn <urn:ietf:params:imdn>', 'imdn.Message-ID: n1'], 'message/imdn+xml', notice(displayed)),
      ),
    ).toEqual({
      kind: 'notification',
      notice: { messageId: '34jk324j', status: 'displayed' },
    });
    expect(classifyIncoming('message/imdn+xml', '<imdn/>')).toEqual({ kind: 'refuse', status: 400 });
    expect(classifyIncoming('message/cpim', cpim([], 'message/imdn+xml', '<!DOCTYPE x><imdn/>'))).toEqual({ kind: 'refuse', status: 400 });
  });

  it('takes the notifications asked for, known values only, and only with a Message-ID to quote', () => {
    const asked = (value: string, id = ['imdn.Message-ID: m-7']) =>
      classifyIncoming(
        'message/cpim',
        cpim(['NS: imdn <urn:ietf:params:imdn>', ...id, `imdn.Disposition-Notification: ${value}`], 'text/plain', 'hi'),
      );
    expect(asked('positive-delivery, negative-delivery, display')).toMatchObject({
      dispositions: ['positive-delivery', 'negative-delivery', 'display'],
    });
    expect(asked('DISPLAY,display , bogus')).toMatchObject({ dispositions: ['display'] });
    expect(asked('bogus')).not.toHaveProperty('dispositions');
    expect(asked('display', [])).not.toHaveProperty('dispositions');
  });

  it('a stored CPIM a server hands back as text/plain (msilo) is unwrapped; other text/plain is not', () => {
    const stored = cpim(
      ['NS: imdn <urn:ietf:params:imdn>', 'imdn.Message-ID: m-9', 'imdn.Disposition-Notification: display'],
      'text/plain',
      'kept',
    );
    expect(classifyIncoming('text/plain', stored)).toMatchObject({
      kind: 'text',
      body: 'kept',
      messageId: 'm-9',
      dispositions: ['display'],
    });
    const typed = 'From: me\r\nTo: you\r\n\r\nContent-Type: text/plain\r\n\r\njust words';
    expect(classifyIncoming('text/plain', typed)).toMatchObject({ kind: 'text', body: typed });
    expect(classifyIncoming('text/html', stored)).toMatchObject({ kind: 'text', contentType: 'text/html' });
  });
});
