/**
 * Checks the Parley patch to sip.js 0.21.2 (patches/sip.js+0.21.2.patch) is installed and does what it
 * says: the Peggy tables are built once at module level, Parser.parseMessage never throws on framed
 * input, and valid messages still parse exactly as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Grammar, IncomingRequestMessage, IncomingResponseMessage, LoggerFactory, NameAddrHeader, Parser } from 'sip.js/lib/core/index.js';
import { mulberry32, mutateSipMessage } from '../testing/fuzz.js';
import {
  buildSipMessage,
  MALFORMED_MESSAGES,
  MESSAGE_BODY,
  MESSAGE_REQUEST,
  NOTIFY_REQUEST,
  OK_RESPONSE,
  PIDF_BODY,
  REGISTER_REQUEST,
  SUBSCRIBE_REQUEST,
  UNAUTHORIZED_RESPONSE,
  VALID_MESSAGES,
} from '../testing/parser-samples.js';

const sipJsDir = dirname(createRequire(import.meta.url).resolve('sip.js/package.json'));
const libFile = (rel: string): string => readFileSync(join(sipJsDir, 'lib', rel), 'utf8');

// A sip.js logger whose output is captured instead of printed.
const logs: { level: string; category: string; content: string }[] = [];
const factory = new LoggerFactory();
factory.builtinEnabled = false;
factory.connector = (level, category, _label, content) => logs.push({ level, category, content: String(content) });
const logger = factory.getLogger('sip.Parser');

beforeEach(() => {
  logs.length = 0;
});

function parse(data: string): IncomingRequestMessage | IncomingResponseMessage | undefined {
  return Parser.parseMessage(data, logger);
}

describe('the sip.js patch is installed', () => {
  it('hoists the Peggy constant and bytecode tables to module level (marker and layout)', () => {
    const src = libFile('grammar/pegjs/dist/grammar.js');
    expect(src).toContain('// PARLEY-PATCH: module-level-tables');
    const parseFn = src.indexOf('function peg$parse(input, options) {');
    expect(parseFn).toBeGreaterThan(0);
    // Both tables are declared before peg$parse opens, i.e. at module level.
    expect(src.indexOf('const peg$consts = [')).toBeGreaterThan(0);
    expect(src.indexOf('const peg$consts = [')).toBeLessThan(parseFn);
    expect(src.indexOf('const peg$bytecode = [')).toBeLessThan(parseFn);
    expect(src.lastIndexOf('const peg$bytecode = [')).toBe(src.indexOf('const peg$bytecode = ['));
  });

  it('patches the parser and the receive path too', () => {
    expect(libFile('core/messages/parser.js')).toContain('PARLEY-PATCH: parseMessage never throws');
    expect(libFile('core/user-agent-core/user-agent-core.js')).toContain('PARLEY-PATCH');
    expect(libFile('api/user-agent.js')).toContain('PARLEY-PATCH');
  });

  describe('behaviour: no bytecode is decoded while parsing', () => {
    // peg$decode is `s.split("").map(...)`: the unpatched grammar calls split("") ~235 times per parse.
    const realSplit = String.prototype.split;
    let decodes = 0;
    beforeEach(() => {
      decodes = 0;
      String.prototype.split = function (this: string, ...args: unknown[]) {
        if (args[0] === '') decodes++;
        return (realSplit as (...a: unknown[]) => string[]).apply(this, args);
      } as typeof String.prototype.split;
    });
    afterEach(() => {
      String.prototype.split = realSplit;
    });

    it('decodes nothing per Grammar.parse call or per message', () => {
      for (let i = 0; i < 5; i++) expect(Grammar.parse('sip:alice@example.org;transport=tcp', 'SIP_URI')).toBeTruthy();
      expect(parse(MESSAGE_REQUEST)).toBeInstanceOf(IncomingRequestMessage);
      expect(decodes).toBe(0);
    });
  });

  it('keeps per-parse action state apart: a parse that throws inside an action does not leak into the next', () => {
    // `?constructor=x` makes the URI-header action call Object.prototype.constructor.push: a TypeError
    // inside the grammar action, which Grammar.parse turns into -1.
    expect(Grammar.parse('sip:a@example.org?constructor=x', 'SIP_URI')).toBe(-1);
    const uri = Grammar.parse('sip:b@example.org;lr?subject=hi', 'SIP_URI');
    expect(String(uri)).toBe('sip:b@example.org;lr?Subject=hi');
    const from = Grammar.parse('"Bob" <sip:bob@example.org>;tag=1', 'From');
    expect(from).toBeInstanceOf(NameAddrHeader);
    expect(from.displayName).toBe('Bob');
    expect(from.getParam('tag')).toBe('1');
    // and interleaving rules that share option fields (uri, params) gives independent results
    const to = Grammar.parse('<sip:carol@example.org>', 'To');
    expect(to.uri.user).toBe('carol');
    expect(to.getParam('tag')).toBeUndefined();
  });
});

describe('valid messages parse as before', () => {
  it('MESSAGE request: start line, headers, CSeq, body', () => {
    const m = parse(MESSAGE_REQUEST);
    expect(m).toBeInstanceOf(IncomingRequestMessage);
    const req = m as IncomingRequestMessage;
    expect(req.method).toBe('MESSAGE');
    expect(req.ruri?.user).toBe('bob');
    expect(req.ruri?.host).toBe('example.org');
    expect(req.cseq).toBe(42);
    expect(req.callId).toBe('3848276298220188511@198.51.100.7');
    expect(req.from.uri.user).toBe('alice');
    expect(req.from.displayName).toBe('Alice Example');
    expect(req.fromTag).toBe('abc123');
    expect(req.to.uri.user).toBe('bob');
    expect(req.toTag).toBeUndefined();
    expect(req.viaBranch).toBe('z9hG4bK.proxy-776asdhds');
    expect(req.via.host).toBe('192.0.2.10');
    expect(req.getHeaders('via')).toHaveLength(2);
    expect(req.getHeader('record-route')).toBe('<sip:192.0.2.10;lr;ftag=abc123>');
    expect(req.getHeader('max-forwards')).toBe('69');
    expect(req.getHeader('content-type')).toBe('text/plain;charset=UTF-8');
    expect(req.parseHeader('content-type')).toBe('text/plain;charset=UTF-8');
    expect(req.getHeader('user-agent')).toBe('Parley/0.1.0');
    expect(req.body).toBe(MESSAGE_BODY);
  });

  it('200 OK: status, reason, method taken from CSeq', () => {
    const res = parse(OK_RESPONSE) as IncomingResponseMessage;
    expect(res).toBeInstanceOf(IncomingResponseMessage);
    expect(res.statusCode).toBe(200);
    expect(res.reasonPhrase).toBe('OK');
    expect(res.method).toBe('MESSAGE');
    expect(res.cseq).toBe(42);
    expect(res.toTag).toBe('9fxced76sl');
    expect(res.via.host).toBe('198.51.100.7');
    expect(res.via.port).toBeUndefined();
    expect(res.getHeader('server')).toBe('Kamailio (5.6.3 (x86_64/linux))');
    expect(res.body).toBe('');
  });

  it('NOTIFY with a PIDF body', () => {
    const req = parse(NOTIFY_REQUEST) as IncomingRequestMessage;
    expect(req.method).toBe('NOTIFY');
    expect(req.cseq).toBe(7);
    expect(req.toTag).toBe('78923');
    expect(req.fromTag).toBe('4442');
    expect(req.parseHeader('event')).toEqual({ event: 'presence' });
    expect(req.parseHeader('subscription-state')).toEqual({ state: 'active', expires: 599 });
    expect(req.getHeader('content-type')).toBe('application/pidf+xml');
    expect(req.body).toBe(PIDF_BODY);
  });

  it('REGISTER with Authorization and a Contact with parameters', () => {
    const req = parse(REGISTER_REQUEST) as IncomingRequestMessage;
    expect(req.method).toBe('REGISTER');
    expect(req.cseq).toBe(2);
    expect(req.getHeader('authorization')).toMatch(/^Digest username="alice", realm="example.org"/);
    const contact = req.parseHeader('contact') as NameAddrHeader;
    expect(contact.uri.port).toBe(50412);
    expect(contact.getParam('expires')).toBe('600');
    expect(contact.getParam('+sip.instance')).toBe('"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"');
  });

  it('401 with a digest challenge', () => {
    const res = parse(UNAUTHORIZED_RESPONSE) as IncomingResponseMessage;
    expect(res.statusCode).toBe(401);
    expect(res.method).toBe('REGISTER');
    expect(res.parseHeader('www-authenticate')).toEqual({
      realm: 'example.org',
      nonce: 'ZWRhNjg3NmQtYjgwMi00ZDE3LWE1MjEtZjFiMGQwYzgzYmZm',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      algorithm: 'MD5',
      qop: ['auth'],
    });
  });

  it('compact header forms', () => {
    const req = parse(SUBSCRIBE_REQUEST) as IncomingRequestMessage;
    expect(req.method).toBe('SUBSCRIBE');
    expect(req.callId).toBe('sub-call-1@198.51.100.7');
    expect(req.viaBranch).toBe('z9hG4bK.sub1');
    expect(req.fromTag).toBe('s1');
    expect(req.getHeader('contact')).toBe('<sip:alice@198.51.100.7:5060>');
  });

  it('splits a multi-valued Contact exactly as the unpatched grammar did (position/offset)', () => {
    const res = parse(
      buildSipMessage('SIP/2.0 200 OK', [
        'Via: SIP/2.0/UDP h.example.org;branch=z9hG4bK.1',
        'From: <sip:a@x>;tag=1',
        'To: <sip:b@y>;tag=2',
        'Call-ID: c1',
        'CSeq: 1 REGISTER',
        'Contact: <sip:a@x>, "B" <sip:b@y>;q=0.5, <sip:c@z;transport=tcp>;expires=60',
        'Record-Route: <sip:p1.example.org;lr>,<sip:p2.example.org;lr>',
      ]),
    ) as IncomingResponseMessage;
    expect(res.getHeaders('contact')).toEqual(['<sip:a@x>', '"B" <sip:b@y>;q=0.5', '<sip:c@z;transport=tcp>;expires=60']);
    expect(res.getHeaders('record-route')).toEqual(['<sip:p1.example.org;lr>', '<sip:p2.example.org;lr>']);
    expect((res.parseHeader('contact', 1) as NameAddrHeader).getParam('q')).toBe('0.5');
  });

  it('parses every shared sample', () => {
    for (const { name, data } of VALID_MESSAGES) expect(parse(data), name).toBeDefined();
  });
});

describe('malformed input never throws out of Parser.parseMessage', () => {
  it.each(MALFORMED_MESSAGES.map((m) => [m.name, m] as const))('%s', (_name, { data, semantic }) => {
    let result: unknown;
    expect(() => {
      result = parse(data);
    }).not.toThrow();
    if (!semantic) {
      expect(result).toBeUndefined();
      expect(logs.some((l) => l.level === 'warn' || l.level === 'error')).toBe(true);
    }
  });

  it('the bad-CSeq response is rejected with a logged reason, not a TypeError', () => {
    const bad = OK_RESPONSE.replace('CSeq: 42 MESSAGE', 'CSeq: forty-two MESSAGE');
    expect(parse(bad)).toBeUndefined();
    expect(logs.map((l) => l.content)).toContain("error parsing header 'CSeq'");
  });

  it('a header line without a colon is rejected instead of becoming a garbage header', () => {
    const bad = MESSAGE_REQUEST.replace('Max-Forwards: 69', 'Max-Forwards 69');
    expect(parse(bad)).toBeUndefined();
    expect(logs.some((l) => l.content.includes('no name and colon'))).toBe(true);
  });

  it('odd header names and URI headers do not pollute prototypes', () => {
    const data = MESSAGE_REQUEST.replace('User-Agent:', '__proto__: {"polluted":1}\r\nconstructor: x\r\nUser-Agent:');
    const req = parse(data) as IncomingRequestMessage;
    expect(req).toBeInstanceOf(IncomingRequestMessage);
    expect(Grammar.parse('sip:a@example.org?__proto__=x', 'SIP_URI')).not.toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'x')).toBe(false);
  });

  it('non-string input returns undefined', () => {
    for (const v of [undefined, null, 42, {}, Buffer.from(MESSAGE_REQUEST)]) {
      expect(Parser.parseMessage(v as unknown as string, logger)).toBeUndefined();
    }
  });

  it('survives very large and deeply repetitive headers', () => {
    const params = Array.from({ length: 2000 }, (_, i) => `p${i}=${i}`).join(';');
    const huge = MESSAGE_REQUEST.replace('To: <sip:bob@example.org>', `To: <sip:bob@example.org>;${params}`);
    expect(() => parse(huge)).not.toThrow();
    const quotes = MESSAGE_REQUEST.replace('"Alice Example"', `"${'\\"'.repeat(20000)}"`);
    expect(() => parse(quotes)).not.toThrow();
  });
});

describe('property: random mutations of valid messages never throw', () => {
  const seed = Number(process.env.PARLEY_FUZZ_SEED ?? 0x5eed_0001);
  const iterations = Number(process.env.PARLEY_FUZZ_ITERATIONS ?? 5000);

  it(`${iterations} mutations, seed ${seed}`, { timeout: Math.max(60_000, iterations * 10) }, () => {
    const rnd = mulberry32(seed);
    let parsed = 0;
    for (let i = 0; i < iterations; i++) {
      const base = VALID_MESSAGES[Math.floor(rnd() * VALID_MESSAGES.length)]!;
      const input = mutateSipMessage(base.data, rnd);
      let result: unknown;
      try {
        result = parse(input);
      } catch (e) {
        throw new Error(
          `Parser.parseMessage threw (seed ${seed}, iteration ${i}, base ${base.name}; replay with ` +
            `PARLEY_FUZZ_SEED=${seed}): ${(e as Error).stack}\ninput: ${JSON.stringify(input)}`,
        );
      }
      if (result !== undefined) {
        parsed++;
        const ok = result instanceof IncomingRequestMessage || result instanceof IncomingResponseMessage;
        expect(ok, `seed ${seed}, iteration ${i}: unexpected result type`).toBe(true);
      }
    }
    // Sanity: the mutator is neither a no-op nor always destructive.
    expect(parsed).toBeGreaterThan(iterations * 0.05);
    expect(parsed).toBeLessThan(iterations);
  });
});
