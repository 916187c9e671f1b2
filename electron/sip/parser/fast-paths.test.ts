/**
 * Checks the PARLEY-PATCH fast paths in sip.js's Grammar.parse (lib/grammar/grammar.js): for every
 * sample message and for thousands of generated header values, each fast path either declines
 * (returns undefined, so the Peggy grammar runs) or returns exactly what the grammar returns: same
 * classes, same own keys in the same order, same values and types (undefined vs null, numbers vs strings).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Grammar, LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import { mulberry32 } from '../testing/fuzz.js';
import { MALFORMED_MESSAGES, OUT_OF_RANGE_STATUS_LINES, RECEIVE_PATH_REQUESTS, VALID_MESSAGES } from '../testing/parser-samples.js';

type FastPath = (input: string) => unknown;
const grammar = Grammar as unknown as { parse(input: string, rule: string): unknown; fastPaths: Record<string, FastPath> };

const RULES = [
  'Via',
  'From',
  'To',
  'Call_ID',
  'CSeq',
  'Content_Type',
  'Content_Length',
  'Max_Forwards',
  'Event',
  'Subscription_State',
  'Request_Response',
  'SIP_URI',
  'Name_Addr_Header',
  'Contact',
  'Record_Route',
] as const;
type Rule = (typeof RULES)[number];

let fast: Record<string, FastPath> = {};
beforeAll(() => {
  // Take the fast paths out of Grammar.parse: from here on it runs the Peggy grammar only.
  fast = { ...grammar.fastPaths };
  for (const k of Object.keys(grammar.fastPaths)) delete grammar.fastPaths[k];
});
afterAll(() => {
  Object.assign(grammar.fastPaths, fast);
});

/** A structural description including prototypes, own-key order, undefined vs null, NaN. */
function canon(v: unknown, depth = 0): string {
  if (depth > 8) return '<deep>';
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return `number:${Object.is(v, -0) ? '-0' : String(v)}`;
  if (typeof v !== 'object') return `${typeof v}:${JSON.stringify(v)}`;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null;
  const name = proto === null ? 'null-proto' : (proto.constructor?.name ?? '?');
  const keys = Reflect.ownKeys(v);
  return `${name}{${keys.map((k) => `${String(k)}=${canon((v as Record<PropertyKey, unknown>)[k], depth + 1)}`).join(',')}}`;
}

const stats: Record<string, { total: number; hits: number }> = {};
const mismatches: string[] = [];

/** Compares fast path and grammar on one input; returns whether the fast path answered. */
function check(rule: Rule, input: string): boolean {
  const s = (stats[rule] ??= { total: 0, hits: 0 });
  s.total++;
  const f = fast[rule]!(input);
  if (f === undefined) return false;
  s.hits++;
  const g = grammar.parse(input, rule);
  const cf = canon(f);
  const cg = canon(g);
  if (cf !== cg) {
    if (mismatches.length < 20) mismatches.push(`${rule} ${JSON.stringify(input)}\n  fast:    ${cf}\n  grammar: ${cg}`);
  } else {
    // belt and braces: vitest's own strict deep equality (classes, undefined properties)
    expect(f).toStrictEqual(g);
  }
  return true;
}

// ---- header extraction from the sample messages --------------------------------------------------

const HEADER_RULES: Record<string, Rule> = {
  via: 'Via',
  v: 'Via',
  from: 'From',
  f: 'From',
  to: 'To',
  t: 'To',
  'call-id': 'Call_ID',
  i: 'Call_ID',
  cseq: 'CSeq',
  'content-type': 'Content_Type',
  c: 'Content_Type',
  'content-length': 'Content_Length',
  l: 'Content_Length',
  'max-forwards': 'Max_Forwards',
  event: 'Event',
  o: 'Event',
  'subscription-state': 'Subscription_State',
  contact: 'Contact',
  m: 'Contact',
  'record-route': 'Record_Route',
};

function sampleInputs(): { rule: Rule; input: string; valid: boolean }[] {
  const out: { rule: Rule; input: string; valid: boolean }[] = [];
  const all = [...VALID_MESSAGES, ...MALFORMED_MESSAGES, ...RECEIVE_PATH_REQUESTS];
  for (const { data } of all) {
    const valid = VALID_MESSAGES.some((m) => m.data === data);
    const head = data.split('\r\n\r\n')[0]!;
    const lines = head.split(/\r?\n/);
    out.push({ rule: 'Request_Response', input: lines[0]!, valid });
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const rule = Object.hasOwn(HEADER_RULES, name) ? HEADER_RULES[name] : undefined;
      if (rule) out.push({ rule, input: line.slice(colon + 1).trim(), valid });
      if (/^(contact|m|record-route|route)$/i.test(line.slice(0, colon).trim())) {
        out.push({ rule: 'Name_Addr_Header', input: line.slice(colon + 1).trim(), valid: false });
      }
    }
  }
  for (const l of OUT_OF_RANGE_STATUS_LINES) out.push({ rule: 'Request_Response', input: l, valid: false });
  return out;
}

// ---- generators ------------------------------------------------------------------------------------

const rnd = mulberry32(0x5eed);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
/** Mostly a "plain" value (index 0..plain-1), sometimes anything. */
const pickMostly = <T>(xs: readonly T[], plain: number): T => (rnd() < 0.7 ? xs[Math.floor(rnd() * plain)]! : pick(xs));

const HOSTS = [
  'example.org',
  'Example.ORG',
  '192.0.2.10',
  '198.51.100.7',
  'a.b-c.example',
  'host',
  'h-1.x9',
  '10.0.0.1',
  '255.255.255.255',
  '0.0.0.0',
  'EXAMPLE.com',
  'sip.example.co.uk',
  // odd / declined
  '256.1.1.1',
  '01.2.3.4',
  '1.2.3',
  '1.2.3.4.5',
  '1.2.3.04',
  '[2001:db8::1]',
  '[::1]',
  'a_b.example.org',
  'example.org.',
  '1abc.com',
  'host.123',
  '-x.org',
  'x-.org',
  '',
  'exa mple.org',
  '2001:db8::1',
  'ex%41mple.org',
];
const PLAIN_HOSTS = 12;
const PORTS = ['', ':5060', ':50412', ':0', ':65535', ':99999', ':05060', ':', ':123456', ':x', ': 5060'];
const PLAIN_PORTS = 7;
const USERS = [
  '',
  'alice@',
  'bob@',
  'Bob.Smith@',
  'a+b@',
  '+15551234567@',
  "o'neil@",
  'a&b=c$d,e@',
  'A-_.!~*()@',
  '%61lice@',
  'alice:pw@',
  'a;b@',
  'a?b@',
  'a/b@',
  '@',
  'a b@',
  'ä@',
];
const PLAIN_USERS = 9;
const URI_PARAMS = [
  '',
  ';transport=tcp',
  ';transport=TCP',
  ';transport=udp',
  ';transport=tls',
  ';transport=ws',
  ';transport=WSS',
  ';transport=sctp',
  ';lr',
  ';LR',
  ';user=phone',
  ';user=IP',
  ';ob',
  ';foo=bar',
  ';Foo=BAR',
  ';ftag=abc123',
  ';lr;ftag=x',
  ';a-b.c=d_e',
  ';x=(y)',
  ';p=!~*',
  // odd / declined
  ';transport=tcpx',
  ';transport=foo',
  ';transport',
  ';lr=on',
  ';lrx',
  ';Lrfoo=1',
  ';user=phonex',
  ';user=foo',
  ';user',
  ';method=INVITE',
  ';method=FOO',
  ';ttl=5',
  ';maddr=1.2.3.4',
  ';gr=urn:uuid:1',
  ';x=%41',
  ';a=b;c',
  ';a=',
  ';=b',
  ';;',
  ';a=b=c',
  ';x=[1]',
  ';x=a/b',
  ';x=a+b',
  ';x=a:b',
  ';foo=bar;Foo=baz',
];
const PLAIN_URI_PARAMS = 20;
const URI_HEADERS = ['', '', '', '?subject=hi', '?a=b&c=d', '?'];
const SCHEMES = ['sip', 'sip', 'sip', 'SIP', 'sips', 'Sips', 'tel', 'sipx', 'http', ''];
const DISPLAY = [
  '',
  '"Alice Example" ',
  '"Alice Example"',
  'Alice ',
  'Alice Example ',
  'Alice',
  '"" ',
  '" spaced " ',
  '"Bob \u2014 B" ',
  'sip ',
  'SIPS ',
  '"a@b" ',
  '"<x>" ',
  "Al.ice-O'Neil ",
  '"tab\there" ',
  // odd / declined
  '"Al\\"ice" ',
  '"a\\\\b" ',
  'Alice  Example ',
  '  ',
  ' Alice ',
  '"unterminated ',
  'Al@ice ',
  '"Alice"  ',
  'A B C ',
  'Alice\t',
  '(comment) ',
  '"x" "y" ',
];
const PLAIN_DISPLAY = 15;
const HEADER_PARAMS = [
  '',
  ';tag=abc123',
  ';TAG=XyZ',
  ';tag=0',
  ';tag=a;tag=b',
  ';tagx=1',
  ';foo',
  ';foo=bar',
  ';Foo=Bar;tag=1',
  ';expires=600',
  ';q=0.5',
  ';tag=1;foo',
  ';a=b;c=d;tag=t',
  // odd / declined
  ';tag',
  ';tag=',
  ';x="quoted"',
  ' ;tag=1',
  ';tag = 1',
  '; tag=1',
  ';+sip.instance="<urn:uuid:1>"',
  ';x="a;b"',
  ';x="a,b"',
  ';x="a\\"b"',
  ';x="<sip:a@b>, <sip:c@d>"',
  ';p=[::1]',
  ';p=1.2.3.4',
  ';p=a:b',
  ';',
  ';tag=a b',
  ',<sip:x@y>',
];
const PLAIN_HEADER_PARAMS = 13;

function genUri(plain: boolean): string {
  const scheme = plain ? 'sip' : pick(SCHEMES);
  const user = plain ? pickMostly(USERS, PLAIN_USERS) : pick(USERS);
  const host = plain ? pickMostly(HOSTS, PLAIN_HOSTS) : pick(HOSTS);
  const port = plain ? pickMostly(PORTS, PLAIN_PORTS) : pick(PORTS);
  let params = '';
  const n = Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) params += plain ? pickMostly(URI_PARAMS, PLAIN_URI_PARAMS) : pick(URI_PARAMS);
  const headers = plain ? '' : pick(URI_HEADERS);
  return `${scheme}:${user}${host}${port}${params}${headers}`;
}

function genNameAddr(): string {
  const plain = rnd() < 0.6;
  const hp = () => {
    let s = '';
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) s += plain ? pickMostly(HEADER_PARAMS, PLAIN_HEADER_PARAMS) : pick(HEADER_PARAMS);
    return s;
  };
  if (rnd() < 0.15) {
    // addr-spec form: a URI without parameters, then header parameters
    const scheme = plain ? 'sip' : pick(SCHEMES);
    return `${scheme}:${pick(USERS)}${pickMostly(HOSTS, PLAIN_HOSTS)}${pickMostly(PORTS, PLAIN_PORTS)}${hp()}`;
  }
  const display = plain ? pickMostly(DISPLAY, PLAIN_DISPLAY) : pick(DISPLAY);
  const close = plain || rnd() < 0.8 ? '>' : pick(['', '> ', '>>', ' >']);
  return `${display}<${genUri(plain)}${close}${hp()}`;
}

const PLAIN_LIST_ITEMS = [
  '<sip:alice@192.0.2.10:5060;transport=udp>',
  '"Bob" <sip:bob@example.org>',
  '<sip:carol@example.org;ob>',
  '<sip:proxy.example.org;lr>',
  'sip:dave@198.51.100.7:5070',
];

/** A Contact or Record-Route value: one to three name-addrs, mostly joined by "," or ", ". */
function genNameAddrList(contact: boolean): string {
  const n = 1 + Math.floor(rnd() * 3);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    let item = rnd() < 0.5 ? pick(PLAIN_LIST_ITEMS) : genNameAddr();
    if (contact && rnd() < 0.3) item += pick([';expires=3600', ';expires=0600', ';Expires=60', ';expires', ';q=0.7', ';expires=x']);
    if (!contact && rnd() < 0.3) item = pickMostly(['<sip:192.0.2.10;lr>', '<sip:proxy.example.org;lr;ftag=abc>', '<sip:[::1];lr>'], 2);
    items.push(item);
  }
  if (contact && rnd() < 0.05) return pick(['*', ' *', '*, <sip:a@b>']);
  let out = items[0]!;
  for (const item of items.slice(1)) out += pickMostly([', ', ',', ' , ', ',  ', ' ,'], 2) + item;
  return out;
}

function genVia(): string {
  const plain = rnd() < 0.6;
  const proto = plain ? 'SIP' : pick(['SIP', 'sip', 'Sip', 'SIPX', 'HTTP', 'SIP ']);
  const version = plain ? '2.0' : pick(['2.0', '2.0', '3.0', '2.0 ', '2']);
  const transport = plain
    ? pick(['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'udp', 'tcp', 'SCTP', 'wss'])
    : pick(['UDP', 'TCP', 'TCPX', 'wsx', 'FOO', 'UDPx', 'TLS-X', 'SCTP', 'DTLS']);
  const sep = plain ? ' ' : pick([' ', ' ', '  ', '\t', '', ' \t']);
  const host = plain ? pickMostly(HOSTS, PLAIN_HOSTS) : pick(HOSTS);
  const port = plain ? pickMostly(PORTS, PLAIN_PORTS) : pick(PORTS);
  const VIA_PARAMS = [
    ';branch=z9hG4bK.abc',
    ';branch=z9hG4bK776asdhds',
    ';Branch=x',
    ';rport',
    ';rport=5060',
    ';RPORT=1',
    ';received=192.0.2.10',
    ';received=203.0.113.5',
    ';alias',
    ';keep',
    ';foo=bar',
    ';FOO=Bar',
    ';p=1.2.3.4',
    ';branch=a;branch=b',
    ';RECEIVED=10.0.0.1',
    ';rport=0',
    // odd / declined
    ';branch',
    ';rport=',
    ';rport=abc',
    ';received=example.com',
    ';received=1.2.3.4x',
    ';received=[::1]',
    ';received',
    ';ttl=5',
    ';ttl',
    ';maddr=1.2.3.4',
    ';maddr=example.org',
    ';x="q"',
    ' ;branch=1',
    ';branch= 1',
    ';branch=a b',
    ';=x',
    ';',
    ';received=256.0.0.1',
    ';received=1.2.3',
  ];
  let params = '';
  const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) params += plain ? pickMostly(VIA_PARAMS, 16) : pick(VIA_PARAMS);
  const tail = plain || rnd() < 0.8 ? '' : pick([', SIP/2.0/UDP h', ',SIP/2.0/TCP 1.2.3.4', ' (comment)', ' ']);
  return `${proto}/${version}/${transport}${sep}${host}${port}${params}${tail}`;
}

const WORD = 'abcXYZ019-.!%*_+`\'~()<>:\\"/[]?{}';
function genCallId(): string {
  const word = (n: number) => Array.from({ length: n }, () => pick([...WORD, 'a', 'b', '7', '.'])).join('');
  const plain = rnd() < 0.6;
  if (plain)
    return rnd() < 0.5 ? word(1 + Math.floor(rnd() * 24)) : `${word(1 + Math.floor(rnd() * 20))}@${word(1 + Math.floor(rnd() * 12))}`;
  return pick([
    '',
    '@x',
    'x@',
    'a@b@c',
    'a b',
    'a;b',
    'a=b',
    'a,b',
    'a@b c',
    '\u00fcn\u00ef',
    'a&b',
    'a#b',
    '3848276298220188511@198.51.100.7',
    `${word(5)}@@${word(3)}`,
    `${word(3)} `,
    `\t${word(3)}`,
  ]);
}

const METHODS = [
  'MESSAGE',
  'INVITE',
  'ACK',
  'BYE',
  'REFER',
  'UPDATE',
  'PUBLISH',
  'NOTIFY',
  'SUBSCRIBE',
  'REGISTER',
  'OPTIONS',
  'CANCEL',
  'PRACK',
  'INFO',
  'FOO-BAR',
  'a.b',
  'invite',
  'VXACH',
  // odd / declined
  'INVITEX',
  'ACKX',
  'REFERX',
  'UPDATEX',
  'PUBLISHX',
  'NOTIFYME',
  'BYEBYE',
  'CANCELLED',
  'REGISTERS',
  'SUBSCRIBED',
  'OPTIONSX',
  'VXACHX',
  '',
  'M@SSAGE',
  'MES SAGE',
  'MESSAGE;',
];
const PLAIN_METHODS = 18;

function genCSeq(): string {
  const plain = rnd() < 0.6;
  const value = plain ? pick(['1', '42', '0', '0042', '4294967295']) : pick(['1', '99999999999999999999', '-1', 'abc', '', '1.5']);
  const sep = plain ? ' ' : pick([' ', '  ', '\t', '', ' \t']);
  const method = plain ? pickMostly(METHODS, PLAIN_METHODS) : pick(METHODS);
  return `${value}${sep}${method}`;
}

function genContentType(): string {
  const plain = rnd() < 0.6;
  const types = [
    'text',
    'TEXT',
    'application',
    'image',
    'audio',
    'video',
    'message',
    'multipart',
    'x-foo',
    'foo',
    'textual',
    'applicationx',
    'Imagery',
    'audios',
    'videos',
    '',
    'text plain',
  ];
  const subtypes = ['plain', 'pidf+xml', 'sdp', 'im-iscomposing+xml', 'cpim', 'html', 'related', 'x.y', '', 'a b', '*'];
  const seps = ['/', '/', '/', ' / ', '/ ', ' /', '\t/', '//'];
  const params = [
    '',
    ';charset=UTF-8',
    '; charset=utf-8',
    ';charset="UTF-8"',
    ';a=b;c=d',
    ' ;q=1',
    ';boundary="simple boundary"',
    ';type="application/sdp"',
    ';x=""',
    // odd / declined
    ';a',
    ';a="x\\"y"',
    ';a=',
    ';a=b c',
    ';a=[1]',
    ';=b',
    ';a="unterminated',
    ';a=b,c',
    ' ; a = b ',
    ';a="\u00e9"',
  ];
  const t = plain ? pick(types.slice(0, 10)) : pick(types);
  const st = plain ? pick(subtypes.slice(0, 8)) : pick(subtypes);
  let p = '';
  const n = Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) p += plain ? pickMostly(params, 9) : pick(params);
  return `${t}${plain ? pickMostly(seps, 3) : pick(seps)}${st}${p}`;
}

function genNumber(): string {
  return pick(['0', '10', '70', '69', '0010', '99999999999999999999', '-1', '1.5', ' 1', '1 ', '', 'abc', '\u0663', '1e3', '0x10', '+1']);
}

function genEvent(): string {
  const token = (n: number) => Array.from({ length: n }, () => pick([..."abcPRZ019-!%*_+`'~", 'e', 's'])).join('');
  if (rnd() < 0.6) {
    const parts = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => token(1 + Math.floor(rnd() * 10)));
    return parts.join('.');
  }
  return pick([
    'Presence',
    'presence;id=1',
    'presence ; id = 12',
    'presence;',
    'presence.',
    '.presence',
    'pres..ence',
    'pres ence',
    'presence,dialog',
    'présence',
    'a(b)',
    'a"b"',
    '',
  ]);
}

function genStartLine(): string {
  if (rnd() < 0.4) {
    const plain = rnd() < 0.6;
    const version = plain ? 'SIP/2.0' : pick(['SIP/2.0', 'sip/2.0', 'SIP/2.00', 'SIP/3.0', 'SIP/2', 'SIP/2.0 ']);
    const code = plain
      ? pick(['100', '180', '200', '202', '401', '404', '486', '503', '099', '000', '999'])
      : pick(['200', '2000', '20', 'abc', '']);
    const reasons = [
      'OK',
      'Ringing',
      'Not Found',
      'Busy Here',
      'Accepted',
      '',
      'Odd (x)',
      'a;b/c?d:e@f&g=h+i$j,k',
      'tab\tsep',
      '\u00d6kay',
      "It's-fine_!~*.",
      'Service Unavailable',
      // odd / declined
      'OK%20',
      '100%',
      'a"b',
      '<x>',
      'a#b',
      'a[b]',
      'a\\b',
      'a{b}',
      'a|b',
      'a^b',
      'a`b',
    ];
    const sep = plain ? ' ' : pick([' ', '  ', '\t', '']);
    const reason = plain ? pickMostly(reasons, 12) : pick(reasons);
    return `${version} ${code}${sep}${reason}`;
  }
  const plain = rnd() < 0.6;
  const method = plain ? pickMostly(METHODS, PLAIN_METHODS) : pick(METHODS);
  const uri = rnd() < 0.9 ? genUri(plain) : pick(['tel:+15551234567', 'http://example.org/x', 'urn:x', '*', 'sip:']);
  const version = plain ? 'SIP/2.0' : pick(['SIP/2.0', 'sip/2.0', 'SIP/2.1', 'SIP/2.0 ', 'SIP/20']);
  const sep = plain ? ' ' : pick([' ', ' ', '  ', '\t']);
  return `${method}${sep}${uri} ${version}`;
}

function genSubscriptionState(): string {
  if (rnd() < 0.6) {
    const state = pickMostly(['active', 'pending', 'terminated', 'Active', 'waiting'], 3);
    return rnd() < 0.7 ? `${state};expires=${genNumber()}` : state;
  }
  return pick([
    'terminated;reason=timeout',
    'terminated;reason=noresource;retry-after=30',
    'active;expires=60;x=1',
    'active ; expires = 60',
    'active;Expires=60',
    'active;expires=',
    'ACTIVE',
    'active;',
    'terminated;reason=deactivated',
    'pending;expires=600;reason=probation',
    'active;expires=99999999999999999999',
    '',
  ]);
}

const GENERATED = 2500; // per generator
function generated(): { rule: Rule; input: string }[] {
  const out: { rule: Rule; input: string }[] = [];
  for (let i = 0; i < GENERATED; i++) {
    out.push({ rule: 'Via', input: genVia() });
    const na = genNameAddr();
    out.push({ rule: 'From', input: na });
    out.push({ rule: 'To', input: genNameAddr() });
    out.push({ rule: 'Name_Addr_Header', input: rnd() < 0.5 ? na : genNameAddr() });
    out.push({ rule: 'Contact', input: genNameAddrList(true) });
    out.push({ rule: 'Record_Route', input: genNameAddrList(false) });
    out.push({ rule: 'SIP_URI', input: genUri(rnd() < 0.6) });
    out.push({ rule: 'Call_ID', input: genCallId() });
    out.push({ rule: 'CSeq', input: genCSeq() });
    out.push({ rule: 'Content_Type', input: genContentType() });
    out.push({ rule: 'Content_Length', input: genNumber() });
    out.push({ rule: 'Max_Forwards', input: genNumber() });
    out.push({ rule: 'Event', input: genEvent() });
    out.push({ rule: 'Subscription_State', input: genSubscriptionState() });
    out.push({ rule: 'Request_Response', input: genStartLine() });
  }
  return out;
}

// ---- tests -------------------------------------------------------------------------------------------

describe('sip.js Grammar fast paths (PARLEY-PATCH fast-paths)', () => {
  it('is installed: Grammar.fastPaths covers the per-message rules', () => {
    for (const rule of RULES) expect(typeof fast[rule]).toBe('function');
  });

  it('answers every header of the benchmark messages exactly as the grammar does', () => {
    mismatches.length = 0;
    const inputs = sampleInputs();
    const missed: string[] = [];
    for (const { rule, input, valid } of inputs) {
      const hit = check(rule, input);
      // every start line and per-message header of the valid samples is a plain form: no fallback
      if (!hit && valid) missed.push(`${rule}: ${input}`);
    }
    expect(mismatches).toEqual([]);
    expect(missed).toEqual([]);
    expect(inputs.length).toBeGreaterThan(200);
  });

  it(`answers ${GENERATED * RULES.length} generated values exactly as the grammar does, or declines`, () => {
    mismatches.length = 0;
    for (const k of Object.keys(stats)) delete stats[k];
    const inputs = generated();
    for (const { rule, input } of inputs) check(rule, input);
    expect(mismatches).toEqual([]);
    // the generators are meant to exercise both branches: a good share of plain forms is answered
    for (const rule of RULES) {
      const s = stats[rule]!;
      expect(s.total).toBeGreaterThan(0);
      expect(s.hits / s.total, `${rule}: ${s.hits}/${s.total} answered`).toBeGreaterThan(0.2);
      expect(s.hits, `${rule}: some declined`).toBeLessThan(s.total);
    }
  });

  it('declines inputs the grammar rejects or that carry rare syntax', () => {
    const declined: [Rule, string][] = [
      ['Via', 'SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK.1'],
      ['Via', 'SIP/2.0/UDP h;branch=1, SIP/2.0/TCP g;branch=2'],
      ['Via', 'SIP/2.0/UDP h;maddr=1.2.3.4'],
      ['Via', 'SIP/2.0/UDP h:'],
      ['From', '"Al\\"ice" <sip:a@example.org>;tag=1'],
      ['From', '<sip:%61lice@example.org>'],
      ['From', '<sip:alice:secret@example.org>'],
      ['From', '<sip:alice@example.org?subject=x>'],
      ['From', '<sip:alice@example.org;ttl=1>'],
      ['To', '<sip:bob@example.org>;tag'],
      ['CSeq', '1 INVITEX'],
      ['CSeq', '1  MESSAGE'],
      ['Content_Type', 'textual/plain'],
      ['Request_Response', 'MESSAGE tel:+15551234567 SIP/2.0'],
      ['Request_Response', 'SIP/2.0 200 100%'],
      ['Call_ID', 'a b'],
      ['Event', 'presence;id=1'],
      ['Event', 'presence.'],
      ['Subscription_State', 'terminated;reason=timeout'],
      ['Subscription_State', 'active ; expires=60'],
      ['Subscription_State', 'Active;expires=60'],
      ['Contact', '*'],
      ['Contact', '<sip:a@example.org>;q=0.5'],
      ['Contact', '<sip:a@example.org> , <sip:b@example.org>'],
      ['Contact', '<sip:a@example.org>;x="a\\"b"'],
      ['From', '<sip:a@example.org>;tag="quoted"'],
      ['Record_Route', 'sip:proxy.example.org;lr'],
      ['Record_Route', '<sip:[2001:db8::1];lr>'],
    ];
    for (const [rule, input] of declined) expect(fast[rule]!(input), `${rule} ${input}`).toBeUndefined();
  });

  it('is what Grammar.parse uses when enabled, and messages still parse', () => {
    Object.assign(grammar.fastPaths, fast);
    try {
      const factory = new LoggerFactory();
      factory.builtinEnabled = false;
      const logger = factory.getLogger('sip.Parser');
      const via = 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK.x;rport';
      const viaFast = fast.Via!(via);
      expect(viaFast).toBeDefined();
      expect(canon(grammar.parse(via, 'Via'))).toBe(canon(viaFast));
      for (const { name, data } of VALID_MESSAGES) expect(Parser.parseMessage(data, logger), name).toBeDefined();
      // unknown and inherited rule names fall through to the grammar
      expect(grammar.parse('x', 'constructor')).toBe(-1);
      expect(grammar.parse('x', 'toString')).toBe(-1);
    } finally {
      for (const k of Object.keys(grammar.fastPaths)) delete grammar.fastPaths[k];
    }
  });
});
