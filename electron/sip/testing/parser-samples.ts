/**
 * Sample SIP messages as they arrive off the wire (CRLF line endings, correct Content-Length).
 *
 * Shared by the sip.js parser-patch tests, the parser benchmark (bench/parser.ts) and any fuzzing
 * test that wants realistic seeds. Everything here is plain data: no sip.js import.
 */

const CRLF = '\r\n';

/**
 * Builds a framed SIP message: start line, headers, blank line, body.
 * A `Content-Length` header is appended (computed in UTF-8 bytes) unless one is given.
 */
export function buildSipMessage(startLine: string, headers: readonly string[], body = ''): string {
  const hasLength = headers.some((h) => /^(content-length|l)\s*:/i.test(h));
  const all = hasLength ? headers : [...headers, `Content-Length: ${Buffer.byteLength(body, 'utf8')}`];
  return startLine + CRLF + all.join(CRLF) + CRLF + CRLF + body;
}

export const MESSAGE_BODY = 'Hello Bob, are you there? \u2014 Alice';

/** Out-of-dialog paging-mode IM (RFC 3428) as relayed by a proxy. */
export const MESSAGE_REQUEST = buildSipMessage(
  'MESSAGE sip:bob@example.org SIP/2.0',
  [
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK.proxy-776asdhds;rport=5060;received=192.0.2.10',
    'Via: SIP/2.0/TCP 198.51.100.7:50412;branch=z9hG4bK.a1b2c3d4;rport=50412;received=203.0.113.5',
    'Record-Route: <sip:192.0.2.10;lr;ftag=abc123>',
    'Max-Forwards: 69',
    'From: "Alice Example" <sip:alice@example.org>;tag=abc123',
    'To: <sip:bob@example.org>',
    'Call-ID: 3848276298220188511@198.51.100.7',
    'CSeq: 42 MESSAGE',
    'Contact: <sip:alice@198.51.100.7:50412;transport=tcp>',
    'User-Agent: Parley/0.1.0',
    'Content-Type: text/plain;charset=UTF-8',
  ],
  MESSAGE_BODY,
);

/** 200 OK to a MESSAGE, top Via already stripped of its port by the transport. */
export const OK_RESPONSE = buildSipMessage('SIP/2.0 200 OK', [
  'Via: SIP/2.0/TCP 198.51.100.7;branch=z9hG4bK.a1b2c3d4;rport=50412;received=203.0.113.5',
  'From: "Alice Example" <sip:alice@example.org>;tag=abc123',
  'To: <sip:bob@example.org>;tag=9fxced76sl',
  'Call-ID: 3848276298220188511@198.51.100.7',
  'CSeq: 42 MESSAGE',
  'Server: Kamailio (5.6.3 (x86_64/linux))',
]);

export const PIDF_BODY = [
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<presence xmlns="urn:ietf:params:xml:ns:pidf"',
  '    xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"',
  '    xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid"',
  '    entity="sip:bob@example.org">',
  '  <tuple id="t8a7s">',
  '    <status><basic>open</basic></status>',
  '    <contact priority="0.8">sip:bob@198.51.100.20:5060</contact>',
  '    <note xml:lang="en">In a meeting</note>',
  '  </tuple>',
  '  <dm:person id="p1">',
  '    <rpid:activities><rpid:meeting/></rpid:activities>',
  '    <dm:note>Back at 3</dm:note>',
  '  </dm:person>',
  '</presence>',
].join(CRLF);

/** In-dialog NOTIFY carrying a PIDF/RPID document (RFC 3856/3863/4480). */
export const NOTIFY_REQUEST = buildSipMessage(
  'NOTIFY sip:alice@198.51.100.7:50412;transport=tcp SIP/2.0',
  [
    'Via: SIP/2.0/TCP 192.0.2.10;branch=z9hG4bK.e9e8f7d6;rport',
    'Max-Forwards: 70',
    'From: <sip:bob@example.org>;tag=4442',
    'To: "Alice Example" <sip:alice@example.org>;tag=78923',
    'Call-ID: 2010128@198.51.100.7',
    'CSeq: 7 NOTIFY',
    'Contact: <sip:bob@198.51.100.20:5060>',
    'Event: presence',
    'Subscription-State: active;expires=599',
    'Content-Type: application/pidf+xml',
  ],
  PIDF_BODY,
);

/** REGISTER retried with a digest Authorization header (RFC 3261 §22, MD5 + qop=auth). */
export const REGISTER_REQUEST = buildSipMessage('REGISTER sip:example.org SIP/2.0', [
  'Via: SIP/2.0/TCP 198.51.100.7:50412;branch=z9hG4bK.77ef4c2312983.1;rport',
  'Max-Forwards: 70',
  'From: <sip:alice@example.org>;tag=a73kszlfl',
  'To: <sip:alice@example.org>',
  'Call-ID: 1j9FpLxk3uxtm8tn@198.51.100.7',
  'CSeq: 2 REGISTER',
  'Contact: <sip:alice@198.51.100.7:50412;transport=tcp>;expires=600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"',
  'Authorization: Digest username="alice", realm="example.org", nonce="ZWRhNjg3NmQtYjgwMi00ZDE3LWE1MjEtZjFiMGQwYzgzYmZm", uri="sip:example.org", response="6629fae49393a05397450978507c4ef1", algorithm=MD5, cnonce="0a4f113b", qop=auth, nc=00000001, opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  'Supported: path, gruu, outbound',
  'Allow: INVITE, ACK, CANCEL, BYE, MESSAGE, NOTIFY, SUBSCRIBE, PUBLISH, OPTIONS',
  'User-Agent: Parley/0.1.0',
]);

/** 401 challenge for the REGISTER above. */
export const UNAUTHORIZED_RESPONSE = buildSipMessage('SIP/2.0 401 Unauthorized', [
  'Via: SIP/2.0/TCP 198.51.100.7;branch=z9hG4bK.77ef4c2312983.0;rport=50412;received=203.0.113.5',
  'From: <sip:alice@example.org>;tag=a73kszlfl',
  'To: <sip:alice@example.org>;tag=1410948204',
  'Call-ID: 1j9FpLxk3uxtm8tn@198.51.100.7',
  'CSeq: 1 REGISTER',
  'WWW-Authenticate: Digest realm="example.org", nonce="ZWRhNjg3NmQtYjgwMi00ZDE3LWE1MjEtZjFiMGQwYzgzYmZm", opaque="5ccc069c403ebaf9f0171e9517f40e41", algorithm=MD5, qop="auth"',
]);

/** Out-of-dialog SUBSCRIBE for presence, compact header forms mixed in. */
export const SUBSCRIBE_REQUEST = buildSipMessage('SUBSCRIBE sip:bob@example.org SIP/2.0', [
  'v: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK.sub1;rport',
  'Max-Forwards: 70',
  'f: <sip:alice@example.org>;tag=s1',
  't: <sip:bob@example.org>',
  'i: sub-call-1@198.51.100.7',
  'CSeq: 1 SUBSCRIBE',
  'm: <sip:alice@198.51.100.7:5060>',
  'Event: presence',
  'Accept: application/pidf+xml',
  'Expires: 600',
]);

/** The four messages the benchmark and the property test use by default. */
export const BENCH_MESSAGES: readonly { name: string; data: string }[] = [
  { name: 'MESSAGE', data: MESSAGE_REQUEST },
  { name: '200 OK', data: OK_RESPONSE },
  { name: 'NOTIFY+PIDF', data: NOTIFY_REQUEST },
  { name: 'REGISTER+Authorization', data: REGISTER_REQUEST },
];

/** Every valid sample, for fuzz seeds. */
export const VALID_MESSAGES: readonly { name: string; data: string }[] = [
  ...BENCH_MESSAGES,
  { name: '401 Unauthorized', data: UNAUTHORIZED_RESPONSE },
  { name: 'SUBSCRIBE', data: SUBSCRIBE_REQUEST },
];

const okHeaders = (replace: Record<string, string | null>, extra: readonly string[] = []): string[] => {
  const base: [string, string][] = [
    ['via', 'Via: SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK.x1;rport=5060;received=203.0.113.5'],
    ['from', 'From: <sip:alice@example.org>;tag=abc'],
    ['to', 'To: <sip:bob@example.org>;tag=def'],
    ['call-id', 'Call-ID: bad-1@198.51.100.7'],
    ['cseq', 'CSeq: 1 MESSAGE'],
  ];
  const out: string[] = [];
  for (const [key, line] of base) {
    const r = replace[key];
    if (r === null) continue;
    out.push(r ?? line);
  }
  return [...out, ...extra];
};

const reqHeaders = (replace: Record<string, string | null>, extra: readonly string[] = []): string[] =>
  okHeaders({ to: 'To: <sip:bob@example.org>', ...replace }, extra);

/**
 * Malformed but framed inputs (as a stream transport or a datagram would hand them over).
 * Each must be rejected without an exception: by Parser.parseMessage returning undefined, or, where
 * the message is syntactically fine but semantically broken (`semantic: true`), by the user agent
 * dropping or answering it.
 */
export const MALFORMED_MESSAGES: readonly { name: string; data: string; semantic?: boolean }[] = [
  { name: 'empty string', data: '' },
  { name: 'only CRLF', data: '\r\n' },
  { name: 'double CRLF keep-alive', data: '\r\n\r\n' },
  { name: 'no CRLF at all', data: 'MESSAGE sip:bob@example.org SIP/2.0' },
  { name: 'junk status line', data: buildSipMessage('SIP/2.0 OK', okHeaders({})) },
  { name: 'status code out of range', data: buildSipMessage('SIP/2.0 2000 OK', okHeaders({})) },
  {
    name: 'wrong SIP version (parses; sip.js ignores the version)',
    data: buildSipMessage('SIP/3.0 200 OK', okHeaders({})),
    semantic: true,
  },
  { name: 'binary junk start line', data: '\u0000\u0001\u0002\u00ff\r\n\r\n' },
  { name: 'HTTP request line', data: 'GET / HTTP/1.1\r\nHost: example.org\r\n\r\n' },
  { name: 'response with unparsable CSeq', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ cseq: 'CSeq: abc MESSAGE' })) },
  { name: 'response with empty CSeq', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ cseq: 'CSeq:' })) },
  { name: 'response with CSeq missing method', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ cseq: 'CSeq: 12' })) },
  { name: 'request with unparsable CSeq', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ cseq: 'CSeq: x' })) },
  {
    name: 'request CSeq method mismatch',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ cseq: 'CSeq: 1 INVITE' })),
    semantic: true,
  },
  { name: 'response missing Via', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ via: null })), semantic: true },
  { name: 'request missing Via', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ via: null })), semantic: true },
  {
    name: 'missing Call-ID',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ 'call-id': null })),
    semantic: true,
  },
  { name: 'missing From', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ from: null })), semantic: true },
  { name: 'missing To', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ to: null })), semantic: true },
  { name: 'missing CSeq (response)', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ cseq: null })), semantic: true },
  {
    name: 'missing CSeq (request)',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ cseq: null })),
    semantic: true,
  },
  { name: 'bad From', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ from: 'From: <<not a uri' })) },
  { name: 'bad To', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ to: 'To: sip:' })) },
  { name: 'bad Via', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ via: 'Via: garbage' })) },
  { name: 'empty Call-ID', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({ 'call-id': 'Call-ID: ' })) },
  {
    name: 'non-numeric Content-Length',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Content-Length: ten']), 'hello'),
  },
  {
    name: 'negative Content-Length',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Content-Length: -5']), 'hello'),
  },
  {
    name: 'Content-Length larger than body',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Content-Length: 500']), 'hello'),
    semantic: true,
  },
  { name: 'header with no colon', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['ThisHeaderHasNoColon'])) },
  {
    name: 'header with no colon named Via',
    data: buildSipMessage('SIP/2.0 200 OK', okHeaders({ via: 'Via SIP/2.0/UDP 198.51.100.7;branch=z9hG4bK.x1' })),
  },
  { name: 'headers without final blank line', data: 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK.1\r\nCSeq: 1 MESSAGE' },
  { name: 'bad Request-URI', data: buildSipMessage('MESSAGE not-a-uri SIP/2.0', reqHeaders({})) },
  { name: 'bad Contact', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Contact: <sip:@@@>'])) },
  { name: 'bad Record-Route', data: buildSipMessage('SIP/2.0 200 OK', okHeaders({}, ['Record-Route: <<<'])) },
  { name: 'bad Max-Forwards', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Max-Forwards: many'])) },
  { name: 'bad WWW-Authenticate', data: buildSipMessage('SIP/2.0 401 Unauthorized', okHeaders({}, ['WWW-Authenticate: Basic'])) },
  { name: 'bad Content-Type', data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['Content-Type: text']), 'x') },
  {
    name: 'bad Refer-To',
    data: buildSipMessage('REFER sip:bob@example.org SIP/2.0', reqHeaders({ cseq: 'CSeq: 1 REFER' }, ['Refer-To: ::'])),
  },
  { name: 'lone LF line endings', data: 'SIP/2.0 200 OK\nVia: SIP/2.0/UDP h;branch=z9hG4bK.1\nCSeq: 1 MESSAGE\n\n' },
  { name: 'header folding onto nothing', data: 'SIP/2.0 200 OK\r\n \r\n\r\n' },
  {
    name: '__proto__/constructor header names (parse; must not touch prototypes)',
    data: buildSipMessage('MESSAGE sip:bob@example.org SIP/2.0', reqHeaders({}, ['__proto__: x', 'constructor: y', 'hasOwnProperty: z'])),
    semantic: true,
  },
];

/** The address of record the receive-path cases below are sent to (`sip:alice@example.org`). */
export const RECEIVER_AOR = 'sip:alice@example.org';

const toAlice = (method: string, ruri: string, branch: string, extra: readonly string[] = []): string =>
  buildSipMessage(`${method} ${ruri} SIP/2.0`, [
    `Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK.${branch};rport`,
    'Max-Forwards: 70',
    'From: <sip:bob@example.org>;tag=b0b',
    'To: <sip:alice@example.org>',
    `Call-ID: ${branch}@192.0.2.1`,
    `CSeq: 1 ${method}`,
    ...extra,
  ]);

/**
 * Well-framed, parsable requests that used to throw inside sip.js's user agent core (before the Parley
 * patch), with the status code the patched core answers. Addressed to RECEIVER_AOR.
 */
export const RECEIVE_PATH_REQUESTS: readonly { name: string; data: string; expectStatus: number }[] = [
  { name: 'out-of-dialog PRACK', data: toAlice('PRACK', 'sip:alice@example.org', 'prack1', ['RAck: 1 1 INVITE']), expectStatus: 481 },
  { name: 'tel: Request-URI', data: toAlice('MESSAGE', 'tel:+15551234567', 'tel1'), expectStatus: 416 },
  { name: 'http: Request-URI', data: toAlice('OPTIONS', 'http://example.org/x', 'http1'), expectStatus: 416 },
];

/** Status lines the grammar accepts but no response class exists for (sip.js's transactions threw on them). */
export const OUT_OF_RANGE_STATUS_LINES: readonly string[] = ['SIP/2.0 099 Odd', 'SIP/2.0 000 Zero', 'SIP/2.0 700 Odd', 'SIP/2.0 999 Odd'];
