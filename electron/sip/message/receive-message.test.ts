/**
 * The MESSAGE fast path (receive-message.ts) against sip.js itself: a real sip.js user agent on a
 * recording transport is the reference. Whatever the fast path takes, sip.js would have handed to
 * its user as an out-of-dialog MESSAGE, with the same request; whatever sip.js would have handed
 * over, the fast path takes (bar a To that mentions "tag" anywhere); and the answers are sip.js's,
 * byte for byte but for the To tag each draws at random.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserAgent, type UserAgentOptions } from 'sip.js';
import { RecordingTransport } from '../testing/recording-transport.js';
import type { IncomingRequestMessage } from 'sip.js/lib/core/index.js';
import { readHead } from '../wire/headers.js';
import { mulberry32, mutateSipMessage } from '../testing/fuzz.js';
import { buildSipMessage, MALFORMED_MESSAGES, RECEIVE_PATH_REQUESTS, RECEIVER_AOR, VALID_MESSAGES } from '../testing/parser-samples.js';
import { takeMessage, type ReceivedMessage } from './receive-message.js';

let ua: UserAgent;
let transport: RecordingTransport;
/** What sip.js handed its user (onMessage), request by request. */
const handed: IncomingRequestMessage[] = [];
const logged: string[] = [];

beforeAll(async () => {
  ua = new UserAgent({
    uri: UserAgent.makeURI(RECEIVER_AOR)!,
    viaHost: '198.51.100.7',
    contactName: 'alice',
    userAgentString: 'Parley/test',
    transportConstructor: RecordingTransport as unknown as UserAgentOptions['transportConstructor'],
    logBuiltinEnabled: false,
    gracefulShutdown: false,
    logConnector: (level, _category, _label, content) => void (level === 'error' && logged.push(String(content))),
    delegate: {
      onMessage: (message) => {
        handed.push(message.request);
        void message.accept();
      },
    },
  });
  ua.userAgentCore.configuration.acceptMergedMessages = true; // as incoming-requests.ts sets it
  await ua.start();
  transport = RecordingTransport.last!;
  vi.useFakeTimers();
});

afterAll(async () => {
  vi.useRealTimers();
  await ua.stop();
});

/**
 * What sip.js does with `text`: the request it handed its user (if any) and what it sent. Its
 * transactions then end, as they do in Parley on their zero Timer J after the answer (otherwise a
 * request without a branch would match the last one's transaction and get its answer).
 */
function throughSipJs(text: string): { request?: IncomingRequestMessage; sent: string[] } {
  const [handedBefore, sentBefore] = [handed.length, transport.sent.length];
  transport.onMessage!(text);
  vi.runOnlyPendingTimers();
  return { request: handed.length > handedBefore ? handed[handed.length - 1] : undefined, sent: transport.sent.slice(sentBefore) };
}

/** What the fast path does with `text`: taken or not, the message its user got, and the answers sent. */
function throughFastPath(text: string, answerWith?: (message: ReceivedMessage) => Promise<void>) {
  const answers: string[] = [];
  let got: ReceivedMessage | undefined;
  const head = readHead(text);
  const taken =
    head !== undefined &&
    takeMessage(
      ua,
      (message) => {
        got = message;
        void (answerWith ? answerWith(message) : message.accept());
      },
      text,
      head,
      async (response) => void answers.push(response),
    );
  return { taken, got, answers };
}

const withoutToTag = (response: string) => response.replace(/^(To:.*?);tag=[^;\r\n]+/m, '$1;tag=*');
let branches = 0;

/** An out-of-dialog MESSAGE to RECEIVER_AOR on a fresh branch, changed by `edit`. */
function message(edit: (headers: string[]) => string[] = (h) => h, body = 'hello \u2014 there', ruri = RECEIVER_AOR): string {
  const n = ++branches;
  return buildSipMessage(
    `MESSAGE ${ruri} SIP/2.0`,
    edit([
      `Via: SIP/2.0/UDP 192.0.2.20:5070;branch=z9hG4bK.fast${n};rport=5070;received=192.0.2.20`,
      'Via: SIP/2.0/TCP 198.51.100.9:5060;branch=z9hG4bK.first' + n,
      'Max-Forwards: 69',
      `From: "Carol" <sip:carol@example.org>;tag=c${n}`,
      'To: <sip:alice@example.org>',
      `Call-ID: fast-${n}@example.org`,
      `CSeq: ${n} MESSAGE`,
      'Content-Type: text/plain;charset=UTF-8',
    ]),
    body,
  );
}

/** The fast path and sip.js agree on `text`: see the file's comment. */
function expectSameAsSipJs(text: string): boolean {
  const fast = throughFastPath(text);
  const reference = throughSipJs(text);
  const mentionsTag = /^(To|t)\s*:.*tag/im.test(text);
  if (fast.taken) {
    expect(
      reference.request,
      `taken, and sip.js would have handed it over: ${JSON.stringify(text)} sent ${JSON.stringify(reference.sent)}`,
    ).toBeDefined();
    const [ours, theirs] = [fast.got!.request, reference.request!];
    expect([ours.callId, ours.cseq, ours.fromTag, ours.body, ours.from.uri.toString(), ours.ruri?.toString()]).toEqual([
      theirs.callId,
      theirs.cseq,
      theirs.fromTag,
      theirs.body,
      theirs.from.uri.toString(),
      theirs.ruri?.toString(),
    ]);
    expect(fast.answers.map(withoutToTag)).toEqual(reference.sent.map(withoutToTag));
  } else if (reference.request && !mentionsTag) {
    expect.fail(`sip.js handed over a MESSAGE the fast path left: ${text.split('\r\n')[0]}`);
  }
  return fast.taken;
}

describe('the MESSAGE fast path', () => {
  it('takes an out-of-dialog MESSAGE to us and answers 200 as sip.js would', () => {
    const { taken, got, answers } = throughFastPath(message());
    expect(taken).toBe(true);
    expect(got!.request.body).toBe('hello \u2014 there');
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(answers[0]).toMatch(/\r\nUser-Agent: Parley\/test\r\n/);
    expect(answers[0]).toMatch(/\r\nTo: <sip:alice@example\.org>;tag=\w+\r\n/);
    // Both Via lines, in order, with the stamp the top one came with.
    expect(answers[0]!.match(/^Via: .*$/gm)).toEqual([
      expect.stringMatching(/branch=z9hG4bK\.fast\d+;rport=5070;received=192\.0\.2\.20/),
      expect.stringMatching(/branch=z9hG4bK\.first\d+/),
    ]);
    expect(expectSameAsSipJs(message())).toBe(true);
  });

  it('answers a refusal with its status and extra headers, as sip.js would', () => {
    const text = message();
    const refuse = (m: ReceivedMessage) => m.reject({ statusCode: 415, extraHeaders: ['Accept: text/plain'] });
    const fast = throughFastPath(text, refuse);
    expect(fast.answers[0]).toMatch(/^SIP\/2\.0 415 Unsupported Media Type\r\n[^]*\r\nAccept: text\/plain\r\n/);
  });

  it('answers once: a second answer and a status of the wrong class throw, as sip.js does', () => {
    const { got, answers } = throughFastPath(message(), () => Promise.resolve());
    expect(() => got!.accept({ statusCode: 404 })).toThrow(TypeError);
    expect(() => got!.reject({ statusCode: 202 })).toThrow(TypeError);
    void got!.accept();
    expect(() => got!.accept()).toThrow(/answered already/);
    expect(answers).toHaveLength(1);
  });

  it('an answer the transport cannot send is logged, not thrown', async () => {
    const text = message();
    const head = readHead(text)!;
    let answered: Promise<void> | undefined;
    takeMessage(
      ua,
      (m) => (answered = m.accept()),
      text,
      head,
      () => Promise.reject(new Error('the peer is not reading')),
    );
    await expect(answered).resolves.toBeUndefined();
    expect(logged.at(-1)).toMatch(/could not send the answer to a MESSAGE: the peer is not reading/);
  });

  it.each([
    ['a To tag (in a dialog)', message((h) => h.map((l) => (l.startsWith('To:') ? `${l};tag=dlg1` : l)))],
    ['another user in the Request-URI', message(undefined, 'x', 'sip:mallory@example.org')],
    ['a tel: Request-URI', message(undefined, 'x', 'tel:+15551234567')],
    ['a body shorter than its Content-Length', message((h) => [...h, 'Content-Length: 99'])],
    ['no Call-ID', message((h) => h.filter((l) => !l.startsWith('Call-ID')))],
    ['no CSeq', message((h) => h.filter((l) => !l.startsWith('CSeq')))],
    ['not a MESSAGE', message((h) => h.map((l) => (l.startsWith('CSeq') ? 'CSeq: 1 OPTIONS' : l))).replace(/^MESSAGE/, 'OPTIONS')],
  ])('leaves to sip.js a request with %s', (_name, text) => {
    expect(expectSameAsSipJs(text)).toBe(false);
  });

  it('leaves to sip.js its own Call-IDs coming back (its loop check)', () => {
    const own = ua.userAgentCore.configuration.sipjsId;
    const text = message((h) => h.map((l) => (l.startsWith('Call-ID') ? `Call-ID: ${own}looped` : l)));
    expect(expectSameAsSipJs(text)).toBe(false);
  });

  it('agrees with sip.js on every sample request, malformed ones too', () => {
    const samples = [...VALID_MESSAGES, ...MALFORMED_MESSAGES, ...RECEIVE_PATH_REQUESTS].map((s) =>
      s.data.replace(/sip:bob@example\.org/g, RECEIVER_AOR),
    );
    const taken = samples.filter((text) => expectSameAsSipJs(text));
    expect(taken.length).toBeGreaterThan(0);
  });

  it('agrees with sip.js on 3,000 mutations of a MESSAGE', () => {
    const rnd = mulberry32(20261207);
    let taken = 0;
    for (let i = 0; i < 3000; i++) if (expectSameAsSipJs(mutateSipMessage(message(), rnd))) taken++;
    // The mutations leave many intact enough to take: the comparison covered both outcomes.
    expect(taken).toBeGreaterThan(300);
    expect(taken).toBeLessThan(3000);
  });
});
