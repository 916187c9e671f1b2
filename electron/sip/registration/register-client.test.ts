/**
 * The REGISTER client on a real sip.js user agent (built, not started: nothing goes on the wire;
 * its core's register() is where the request would leave): what each REGISTER carries, and what
 * each kind of answer, parsed by sip.js from text, is read as.
 */
import { describe, expect, it } from 'vitest';
import {
  IncomingResponseMessage,
  LoggerFactory,
  Parser,
  type IncomingResponse,
  type OutgoingRequestDelegate,
  type OutgoingRequestMessage,
} from 'sip.js/lib/core/index.js';
import { silentLogger } from '../../support/logger.js';
import { buildUserAgent } from '../user-agent.js';
import { RegisterClient, refreshDelay, type RegisterAnswer } from './register-client.js';

const logger = new LoggerFactory().getLogger('sip.Parser');

function setup(instanceId?: string, uriParams?: () => string) {
  const { ua } = buildUserAgent({
    aor: 'sip:alice@parley.test',
    proxy: 'sip:127.0.0.1:5060',
    transport: 'udp',
    listenHost: '127.0.0.1',
    listenPort: 0,
    advertisedHost: '127.0.0.1',
    userAgentString: 'test',
    logger: silentLogger,
  });
  const sent: { request: string; delegate: OutgoingRequestDelegate }[] = [];
  ua.userAgentCore.register = ((request: OutgoingRequestMessage, delegate: OutgoingRequestDelegate) => {
    sent.push({ request: request.toString(), delegate });
  }) as typeof ua.userAgentCore.register;
  return { client: new RegisterClient(ua, 'sip:alice@parley.test', instanceId, uriParams), sent, contactUser: ua.contact.uri.user!, ua };
}

/** A response to the last REGISTER, as sip.js would hand it over. */
function response(status: string, headers: string[]): IncomingResponse {
  const text = [
    `SIP/2.0 ${status}`,
    'Call-ID: c1',
    'CSeq: 1 REGISTER',
    'From: <sip:alice@parley.test>;tag=a',
    'To: <sip:alice@parley.test>;tag=b',
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const message = Parser.parseMessage(text, logger);
  if (!(message instanceof IncomingResponseMessage)) throw new Error('not a response');
  return { message } as IncomingResponse;
}

/** The answers the client gave, newest last. */
const answers: RegisterAnswer[] = [];
const remember = (answer: RegisterAnswer) => void answers.push(answer);

/** What the client reads from `r` when sip.js hands it to the REGISTER's delegate as accepted or refused. */
function answerOf(sent: { delegate: OutgoingRequestDelegate }, accept: boolean, r: IncomingResponse): RegisterAnswer {
  (accept ? sent.delegate.onAccept : sent.delegate.onReject)?.(r as never);
  return answers[answers.length - 1]!;
}

describe('RegisterClient', () => {
  it('keeps one Call-ID, raises the CSeq by one, and asks for the expires given (0 removes the binding)', () => {
    const { client, sent } = setup();
    client.send(600, remember);
    client.send(1800, remember);
    client.send(0, remember);
    const header = (text: string, name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(text)?.[1]?.trim();
    expect(new Set(sent.map((s) => header(s.request, 'Call-ID'))).size).toBe(1);
    expect(sent.map((s) => header(s.request, 'CSeq'))).toEqual(['1 REGISTER', '2 REGISTER', '3 REGISTER']);
    expect(sent.map((s) => /;expires=(\d+)/.exec(header(s.request, 'Contact') ?? '')?.[1])).toEqual(['600', '1800', '0']);
    expect(sent[0]!.request).toMatch(/^Allow: .*MESSAGE.*SUBSCRIBE.*NOTIFY/m);
    expect(sent[0]!.request).toMatch(/^REGISTER sip:parley\.test SIP\/2\.0/);
  });

  it('reads a grant: our binding among the others, the public address from the Via', () => {
    const { client, sent, contactUser } = setup();
    client.send(600, remember);
    const ok = response('200 OK', [
      'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.7;rport=40000',
      `Contact: <sip:phone@192.0.2.9>;expires=3600, <sip:${contactUser}@127.0.0.1>;expires=1800`,
    ]);
    expect(answerOf(sent[0]!, true, ok)).toEqual({ accepted: true, expires: 1800, publicAddress: '192.0.2.7:40000', otherDevices: 1 });
  });

  it('without our binding listed, takes the Expires header, else what was asked', () => {
    const { client, sent } = setup();
    client.send(600, remember);
    expect(answerOf(sent[0]!, true, response('200 OK', ['Expires: 900']))).toEqual({ accepted: true, expires: 900, otherDevices: 0 });
    expect(answerOf(sent[0]!, true, response('200 OK', []))).toEqual({ accepted: true, expires: 600, otherDevices: 0 });
  });

  it('reads a refusal: 423 Min-Expires, Retry-After, and sip.js own transport-error 503', () => {
    const { client, sent } = setup();
    client.send(600, remember);
    const via = 'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1';
    expect(answerOf(sent[0]!, false, response('423 Interval Too Brief', [via, 'Min-Expires: 1800']))).toEqual({
      accepted: false,
      status: 423,
      phrase: 'Interval Too Brief',
      minExpires: 1800,
      transportError: false,
    });
    expect(answerOf(sent[0]!, false, response('503 Service Unavailable', [via, 'Retry-After: 120']))).toEqual({
      accepted: false,
      status: 503,
      phrase: 'Service Unavailable',
      retryAfter: 120,
      transportError: false,
    });
    expect(answerOf(sent[0]!, false, response('503 Service Unavailable', []))).toMatchObject({ status: 503, transportError: true });
    // Min-Expires means something only on a 423.
    expect(answerOf(sent[0]!, false, response('500 Server Error', [via, 'Min-Expires: 1800']))).not.toHaveProperty('minExpires');
  });
});

describe('RegisterClient with an instance id (RFC 5626, RFC 5627)', () => {
  const INSTANCE = '2c2e5d3a-7b4e-4f0a-9d51-3f6c2a1b0e11';
  const URN = `urn:uuid:${INSTANCE}`;

  it('registers +sip.instance and reg-id, asks for GRUUs, and puts its URI parameters in the binding only', () => {
    const { client, sent } = setup(INSTANCE, () => ';parley-device=Laptop%20Pro');
    client.send(600, remember);
    const contact = /^Contact:\s*(.*)$/im.exec(sent[0]!.request)?.[1];
    expect(contact).toMatch(
      new RegExp(`^<sip:[0-9a-f]+@127\\.0\\.0\\.1(:\\d+)?;parley-device=Laptop%20Pro>;\\+sip\\.instance="<${URN}>";reg-id=1;expires=600$`),
    );
    expect(sent[0]!.request).toMatch(/^Supported: .*\bgruu\b/m);
  });

  it('finds its binding by instance, reads its GRUUs and makes the temp-gruu its Contact outside REGISTER', () => {
    const { client, sent, ua } = setup(INSTANCE);
    client.send(600, remember);
    const pub = `sip:alice@parley.test;gr=${URN}`;
    const ok = response('200 OK', [
      'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1',
      // this install's binding under an older Contact user (replaced by reg-id), and another device
      `Contact: <sip:old@127.0.0.1:5070>;expires=1700;+sip.instance="<${URN.toUpperCase()}>";reg-id=1;pub-gruu="${pub}";temp-gruu="sip:tgruu.abc@parley.test;gr"`,
      'Contact: <sip:phone@192.0.2.9>;expires=3600;+sip.instance="<urn:uuid:00000000-0000-4000-8000-000000000000>";reg-id=1',
    ]);
    expect(answerOf(sent[0]!, true, ok)).toEqual({
      accepted: true,
      expires: 1700,
      otherDevices: 1,
      pubGruu: pub,
      tempGruu: 'sip:tgruu.abc@parley.test;gr',
    });
    // the temp-gruu, not the pub-gruu, which names the instance (user-agent.ts)
    expect(ua.contact.toString()).toBe('<sip:tgruu.abc@parley.test;gr>');
    expect(ua.contact.toString({ register: true })).not.toContain(';gr');
    // removing the binding drops the GRUUs: the Contact is the device's own address again
    client.send(0, remember);
    answerOf(sent[1]!, true, response('200 OK', []));
    expect(ua.contact.toString()).not.toContain(';gr');
  });
});

describe('refreshDelay', () => {
  it('at 90 % of a grant, no later than 30 s before its end, never before half of it', () => {
    expect(refreshDelay(3600)).toBe(3_240_000);
    expect(refreshDelay(200)).toBe(170_000);
    expect(refreshDelay(40)).toBe(20_000);
    expect(refreshDelay(1)).toBe(1000);
  });
});
