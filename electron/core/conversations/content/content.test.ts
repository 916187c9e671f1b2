import { describe, expect, it } from 'vitest';
import { parseCpim } from './cpim.js';
import { htmlToText } from './html-text.js';
import { classifyIncoming } from './incoming-content.js';
import { COMPOSING_NS, composingDocument, DEFAULT_ACTIVE_MS, parseComposing } from './iscomposing.js';

const cpim = (inner: string, type = 'text/plain; charset=utf-8', dateTime = '2026-11-26T09:15:00Z') =>
  [
    'From: Alice <im:alice@example.org>',
    'To: Bob <im:bob@example.org>',
    `DateTime: ${dateTime}`,
    '',
    `Content-Type: ${type}`,
    '',
    inner,
  ].join('\r\n');

describe('parseCpim', () => {
  it('takes the payload, its type and the DateTime', () => {
    const parsed = parseCpim(cpim('hello\r\nsecond line'));
    expect(parsed).toMatchObject({
      contentType: 'text/plain; charset=utf-8',
      body: 'hello\r\nsecond line',
      dateTime: Date.UTC(2026, 10, 26, 9, 15),
    });
    expect(parsed!.headers.get('from')).toBe('Alice <im:alice@example.org>');
  });

  it('accepts bare LF line ends and no DateTime', () => {
    expect(parseCpim('From: <im:a@b>\n\nContent-Type: text/html\n\n<b>x</b>')).toEqual({
      headers: new Map([['from', '<im:a@b>']]),
      contentType: 'text/html',
      body: '<b>x</b>',
    });
  });

  it('takes the IMDN Message-ID under the prefix the NS header declares, and nothing else for it', () => {
    const named = (ns: string, header: string) =>
      ['From: <im:alice@example.org>', ns, header, '', 'Content-Type: text/plain', '', 'hi'].join('\r\n');
    expect(parseCpim(named('NS: imdn <urn:ietf:params:imdn>', 'imdn.Message-ID: 34jk324j'))!.messageId).toBe('34jk324j');
    expect(parseCpim(named('NS: x <urn:ietf:params:imdn>', 'x.Message-ID: abc'))!.messageId).toBe('abc');
    // no namespace declared, another namespace, or an absurd length: no name
    expect(parseCpim(named('Subject: hi', 'imdn.Message-ID: 34jk324j'))).not.toHaveProperty('messageId');
    expect(parseCpim(named('NS: imdn <urn:example:other>', 'imdn.Message-ID: 34jk324j'))).not.toHaveProperty('messageId');
    expect(parseCpim(named('NS: imdn <urn:ietf:params:imdn>', `imdn.Message-ID: ${'x'.repeat(300)}`))).not.toHaveProperty('messageId');
    expect(classifyIncoming('message/cpim', named('NS: imdn <urn:ietf:params:imdn>', 'imdn.Message-ID: m-1'))).toMatchObject({
      kind: 'text',
      body: 'hi',
      messageId: 'm-1',
    });
  });

  it('refuses text without two header blocks, and ignores a bad DateTime', () => {
    expect(parseCpim('just text')).toBeUndefined();
    expect(parseCpim('From: x\r\n\r\nno mime block')).toBeUndefined();
    expect(parseCpim(cpim('x', 'text/plain', 'yesterday'))!.dateTime).toBeUndefined();
  });
});

describe('isComposing documents', () => {
  it('reads what it writes', () => {
    expect(parseComposing(composingDocument(true, 120))).toEqual({ active: true, refreshMs: 120_000 });
    expect(parseComposing(composingDocument(false, 120))).toEqual({ active: false, refreshMs: DEFAULT_ACTIVE_MS });
    expect(composingDocument(false, 120)).not.toContain('refresh');
  });

  it('reads a prefixed document with attributes and whitespace', () => {
    const xml = `<?xml version="1.0"?><ic:isComposing xmlns:ic="urn:ietf:params:xml:ns:im-iscomposing">
      <ic:state> ACTIVE </ic:state><ic:refresh>60</ic:refresh></ic:isComposing>`;
    expect(parseComposing(xml)).toEqual({ active: true, refreshMs: 60_000 });
  });

  it('reads what XML allows: CDATA, character references, comments, no namespace, extension elements', () => {
    expect(parseComposing('<isComposing><state><![CDATA[active]]></state></isComposing>')).toEqual({
      active: true,
      refreshMs: DEFAULT_ACTIVE_MS,
    });
    expect(
      parseComposing(`<isComposing xmlns="${COMPOSING_NS}"><!-- x --><state>&#x61;ctive</state><refresh>30</refresh></isComposing>`),
    ).toEqual({ active: true, refreshMs: 30_000 });
    const extended = `<isComposing xmlns="${COMPOSING_NS}" xmlns:x="urn:example:x"><x:mood>busy</x:mood><state>idle</state>
      <lastactive>2026-11-26T09:15:00Z</lastactive><contenttype>text/plain</contenttype></isComposing>`;
    expect(parseComposing(extended)).toEqual({ active: false, refreshMs: DEFAULT_ACTIVE_MS });
  });

  it('refuses hostile documents: DTDs, entity bombs, external entities, depth, element floods, size', () => {
    const entity = '<!DOCTYPE x [<!ENTITY a "active">]><isComposing><state>&a;</state></isComposing>';
    expect(parseComposing(entity)).toBeUndefined();
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l0 "ha"><!ENTITY l1 "&l0;&l0;&l0;&l0;">]><isComposing><state>&l1;</state></isComposing>';
    expect(parseComposing(laughs)).toBeUndefined();
    const external = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><isComposing><state>active</state><x>&e;</x></isComposing>';
    expect(parseComposing(external)).toBeUndefined();
    expect(parseComposing('<isComposing><state>&nbsp;active</state></isComposing>')).toBeUndefined();
    expect(parseComposing(`<isComposing><state>active</state>${'<a>'.repeat(10)}${'</a>'.repeat(10)}</isComposing>`)).toBeUndefined();
    expect(parseComposing(`<isComposing><state>active</state>${'<a/>'.repeat(100)}</isComposing>`)).toBeUndefined();
    expect(parseComposing(`<isComposing><state>idle</state>${' '.repeat(5000)}</isComposing>`)).toBeUndefined();
    expect(parseComposing('<isComposing><state>active</state>')).toBeUndefined();
    expect(parseComposing('<isComposing><state>active</state></isComposing><isComposing/>')).toBeUndefined();
    expect(parseComposing('<isComposing><state>act\u0001ive</state></isComposing>')).toBeUndefined();
  });

  it('refuses other roots, other namespaces and bad states; ignores a silly refresh', () => {
    expect(parseComposing('<other><state>active</state></other>')).toBeUndefined();
    expect(parseComposing('<isComposing xmlns="urn:example:not-it"><state>active</state></isComposing>')).toBeUndefined();
    // the state must be in the document's namespace
    expect(parseComposing(`<isComposing xmlns="${COMPOSING_NS}"><state xmlns="urn:x">active</state></isComposing>`)).toBeUndefined();
    expect(parseComposing('<isComposing><state>typing</state></isComposing>')).toBeUndefined();
    expect(parseComposing('<isComposing><refresh>60</refresh></isComposing>')).toBeUndefined();
    expect(parseComposing('not xml at all')).toBeUndefined();
    for (const refresh of ['-5', '0', '1e3', '99999', ' 12abc', '7200']) {
      expect(parseComposing(`<isComposing><state>active</state><refresh>${refresh}</refresh></isComposing>`)).toEqual({
        active: true,
        refreshMs: DEFAULT_ACTIVE_MS,
      });
    }
  });
});

describe('htmlToText', () => {
  it('drops tags, scripts and styles, keeps line structure, decodes entities', () => {
    expect(
      htmlToText('<p>Hello <b>Bob</b></p><p>a &lt; b &amp;&amp; c &#x1F44B; &#233;</p><script>alert(1)</script><style>p{}</style>'),
    ).toBe('Hello Bob\na < b && c 👋 é');
    expect(htmlToText('line<br>next<br/>last')).toBe('line\nnext\nlast');
  });

  it('turns hostile markup into its text, never into markup', () => {
    expect(htmlToText('<img src=x onerror="alert(1)">caption')).toBe('caption');
    // decoded entities are text: "<script>" here is the words a person sees, not an element
    expect(htmlToText('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('<script>alert(1)</script>');
    expect(htmlToText('&lt;b&gt;&amp;lt;')).toBe('<b>&lt;');
  });

  it('decodes every HTML character reference: named, numeric, hex; malformed ones as a browser does', () => {
    // named ones beyond the five XML has
    expect(htmlToText('caf&eacute; &Eacute;t&eacute; &hellip; &euro;5 &nbsp;&copy; &rarr; &NotEqualTilde;')).toBe(
      'café Été … €5 \u00a0© → \u2242\u0338',
    );
    // numeric and hex, any case, leading zeros
    expect(htmlToText('&#233;&#x00E9;&#XE9;&#0000065; &#x1F44B;')).toBe('éééA 👋');
    // not characters: NUL, surrogates, beyond Unicode become U+FFFD; C1 numbers map like Windows-1252
    expect(htmlToText('&#0; &#xD800; &#99999999; &#x110000; &#128;')).toBe('\ufffd \ufffd \ufffd \ufffd €');
    // legacy names a browser takes without ';' in text
    expect(htmlToText('&eacute &amp &copy2026')).toBe('é & ©2026');
    // malformed or unknown: kept as written
    expect(htmlToText('&nosuchthing; &#; &#x; &#xZZ; & alone &;')).toBe('&nosuchthing; &#; &#x; &#xZZ; & alone &;');
  });

  it('copes with unclosed tags and a long run of "<" (linear work)', () => {
    expect(htmlToText('before<script>never closed')).toBe('before');
    expect(htmlToText('a <!-- open comment')).toBe('a');
    const angles = '<'.repeat(200_000);
    expect(htmlToText(angles)).toBe(angles);
  });
});

describe('classifyIncoming', () => {
  it('text/plain (also when absent) and text/html with its text rendering', () => {
    expect(classifyIncoming(undefined, 'hi')).toEqual({ kind: 'text', contentType: 'text/plain', body: 'hi' });
    expect(classifyIncoming('text/html;charset=UTF-8', '<i>hi</i>')).toEqual({
      kind: 'text',
      contentType: 'text/html;charset=UTF-8',
      body: '<i>hi</i>',
      text: 'hi',
    });
  });

  it('a Date header becomes sentAt (a stored-and-forwarded MESSAGE)', () => {
    expect(classifyIncoming('text/plain', 'x', 'Thu, 26 Nov 2026 09:15:00 GMT')).toMatchObject({ sentAt: Date.UTC(2026, 10, 26, 9, 15) });
    expect(classifyIncoming('text/plain', 'x', 'garbage')).not.toHaveProperty('sentAt');
  });

  it('message/cpim is unwrapped; its DateTime wins over the Date header', () => {
    expect(classifyIncoming('message/cpim', cpim('<b>x</b>', 'text/html'), 'Thu, 26 Nov 2026 10:00:00 GMT')).toEqual({
      kind: 'text',
      contentType: 'text/html',
      body: '<b>x</b>',
      text: 'x',
      sentAt: Date.UTC(2026, 10, 26, 9, 15),
    });
  });

  it('isComposing, bare or in CPIM, is a typing notification', () => {
    const doc = composingDocument(true, 90);
    expect(classifyIncoming('application/im-iscomposing+xml', doc)).toEqual({
      kind: 'composing',
      state: { active: true, refreshMs: 90_000 },
    });
    expect(classifyIncoming('message/cpim', cpim(doc, 'application/im-iscomposing+xml'))).toMatchObject({ kind: 'composing' });
    expect(classifyIncoming('application/im-iscomposing+xml', '<nope/>')).toEqual({ kind: 'refuse', status: 400 });
  });

  it('refuses other types (415), broken CPIM (400) and CPIM in CPIM (415)', () => {
    expect(classifyIncoming('image/png', 'x')).toEqual({ kind: 'refuse', status: 415 });
    expect(classifyIncoming('message/cpim', cpim('x', 'application/octet-stream'))).toEqual({ kind: 'refuse', status: 415 });
    expect(classifyIncoming('message/cpim', 'no headers')).toEqual({ kind: 'refuse', status: 400 });
    expect(classifyIncoming('message/cpim', cpim('x', 'message/cpim'))).toEqual({ kind: 'refuse', status: 415 });
  });
});
