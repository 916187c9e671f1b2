/**
 * SipTransport on real sockets on 127.0.0.1, against raw UDP/TCP peers that send exact bytes
 * and record what arrives. Timer logic that would need long waits runs on a FakeTimers clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TransportState } from 'sip.js';
import { silentLogger } from '../../support/logger.js';
import { header, readCSeq, readHead, type MessageHead } from '../wire/headers.js';
import { statelessResponse } from '../wire/stateless.js';
import { topVia, type Via } from '../wire/via.js';
import { FakeTimers } from '../testing/fake-timers.js';
import { TRANSACTION_TIMEOUT } from '../reliability/timers.js';
import { TcpListener, TcpPeer, UdpPeer, waitFor } from '../testing/raw-peers.js';
import type { Peer } from './flow.js';
import { SipTransport, UDP_MTU_LIMIT, type SipTransportOptions } from './sip-transport.js';

// ---- fixtures ----

interface RequestOptions {
  method?: string;
  ruri: string;
  via: string;
  route?: string;
  callId?: string;
  cseq?: number;
  body?: string;
}

function sipRequest(o: RequestOptions): string {
  const method = o.method ?? 'MESSAGE';
  const body = o.body ?? '';
  return [
    `${method} ${o.ruri} SIP/2.0`,
    `Via: ${o.via}`,
    ...(o.route ? [`Route: ${o.route}`] : []),
    'Max-Forwards: 70',
    'From: <sip:alice@example.org>;tag=fromtag1',
    'To: <sip:bob@example.org>',
    `Call-ID: ${o.callId ?? 'call-1@test'}`,
    `CSeq: ${o.cseq ?? 1} ${method}`,
    ...(body ? ['Content-Type: text/plain'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

function sipResponse(status: number, reason: string, vias: string[], cseq = '1 MESSAGE'): string {
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...vias.map((v) => `Via: ${v}`),
    'From: <sip:alice@example.org>;tag=fromtag1',
    'To: <sip:bob@example.org>;tag=totag1',
    'Call-ID: call-1@test',
    `CSeq: ${cseq}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function mustRead(text: string): MessageHead {
  const head = readHead(text);
  if (!head) throw new Error(`not SIP: ${JSON.stringify(text.slice(0, 80))}`);
  return head;
}

function mustTopVia(text: string): Via {
  const via = topVia(mustRead(text));
  if (!via) throw new Error('no top Via');
  return via;
}

/** The text with its first Via line replaced (for byte-for-byte comparisons). */
function withTopViaLine(text: string, value: string): string {
  return text.replace(/^Via: .*$/m, `Via: ${value}`);
}

// ---- lifecycle ----

const transports: SipTransport[] = [];
const closers: (() => Promise<void> | void)[] = [];

async function startTransport(extra: Partial<SipTransportOptions> = {}) {
  const transport = new SipTransport({ listenHost: '127.0.0.1', listenPort: 0, defaultTransport: 'udp', logger: silentLogger, ...extra });
  transports.push(transport);
  const delivered: string[] = [];
  transport.onMessage = (text) => delivered.push(text);
  await transport.connect();
  const port = transport.listening.udp!;
  return { transport, delivered, port };
}

async function udpPeer(): Promise<UdpPeer> {
  const peer = await UdpPeer.open();
  closers.push(() => peer.close());
  return peer;
}

async function tcpPeer(port: number): Promise<TcpPeer> {
  const peer = await TcpPeer.connect(port);
  closers.push(() => peer.close());
  return peer;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.disconnect()));
  await Promise.all(closers.splice(0).map((close) => close()));
});

// ---- tests ----

describe('SipTransport lifecycle', () => {
  it('binds UDP and TCP on one free port and walks the connect/disconnect states', async () => {
    const transport = new SipTransport({ listenHost: '127.0.0.1', listenPort: 0, defaultTransport: 'udp', logger: silentLogger });
    transports.push(transport);
    const states: TransportState[] = [];
    transport.stateChange.addListener((s) => states.push(s));
    let connected = 0;
    let disconnected = 0;
    transport.onConnect = () => connected++;
    transport.onDisconnect = () => disconnected++;
    expect(transport.state).toBe(TransportState.Disconnected);
    await transport.connect();
    expect(transport.isConnected()).toBe(true);
    expect(transport.protocol).toBe('UDP');
    const { udp, tcp } = transport.listening;
    expect(udp).toBeGreaterThan(0);
    expect(tcp).toBe(udp);
    expect(connected).toBe(1);
    await transport.connect(); // already connected: nothing happens
    expect(connected).toBe(1);
    await transport.disconnect();
    expect(transport.isConnected()).toBe(false);
    expect(transport.listening).toEqual({});
    expect(disconnected).toBe(1);
    expect(states).toEqual([
      TransportState.Connecting,
      TransportState.Connected,
      TransportState.Disconnecting,
      TransportState.Disconnected,
    ]);
  });
});

describe('SipTransport inbound over UDP', () => {
  it('stamps received and rport on the top Via of a request and changes nothing else', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port}`,
      via: 'SIP/2.0/UDP client.invalid:5999;branch=z9hG4bKs1;rport',
      body: 'hello',
    });
    await peer.send(text, port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    const via = mustTopVia(delivered[0]!);
    expect(via.host).toBe('client.invalid');
    expect(via.port).toBe(5999);
    expect(via.params.get('rport')).toBe(String(peer.port));
    expect(via.params.get('received')).toBe('127.0.0.1');
    expect(delivered[0]).toBe(
      withTopViaLine(text, `SIP/2.0/UDP client.invalid:5999;branch=z9hG4bKs1;rport=${peer.port};received=127.0.0.1`),
    );
    expect(transport.stats.received).toBe(1);
  });

  it('takes a request with bare LF line ends (RFC 3261 §7.5) and hands sip.js CRLF, body untouched', async () => {
    const { delivered, port } = await startTransport();
    const peer = await udpPeer();
    const crlf = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port}`,
      via: 'SIP/2.0/UDP client.invalid:5999;branch=z9hG4bKlf;rport',
      body: 'line one\nline two',
    });
    const [head, body] = [crlf.slice(0, crlf.indexOf('\r\n\r\n')), crlf.slice(crlf.indexOf('\r\n\r\n') + 4)];
    await peer.send(head.replace(/\r\n/g, '\n') + '\n\n' + body, port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    const got = delivered[0]!;
    expect(got.slice(0, got.indexOf('\r\n\r\n'))).not.toMatch(/(^|[^\r])\n/);
    expect(got.endsWith('\r\n\r\nline one\nline two')).toBe(true);
    expect(mustTopVia(got).params.get('rport')).toBe(String(peer.port));
  });

  it('adds only received when the request has no rport, and nothing when the sent-by host is the source', async () => {
    const { delivered, port } = await startTransport();
    const peer = await udpPeer();
    const noRport = sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKs2' });
    await peer.send(noRport, port);
    await waitFor(() => delivered.length === 1, 2000, 'first delivery');
    expect(delivered[0]).toBe(withTopViaLine(noRport, 'SIP/2.0/UDP 10.0.0.9:5070;branch=z9hG4bKs2;received=127.0.0.1'));
    const exact = sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKs3`, cseq: 2 });
    await peer.send(exact, port);
    await waitFor(() => delivered.length === 2, 2000, 'second delivery');
    expect(delivered[1]).toBe(exact);
  });

  it('remembers where a request really came from by its branch, whatever its Via names', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    // the Via names another host and port (the server's, say): the source is the socket's peer
    await peer.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKsrc1' }), port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    expect(transport.sourceOf('z9hG4bKsrc1')).toEqual({ transport: 'udp', host: '127.0.0.1', port: peer.port });
    expect(transport.sourceOf('z9hG4bKnever')).toBeUndefined();
  });

  it('strips the port from the top Via of a response only, and reports the public address', async () => {
    const { transport, delivered, port } = await startTransport();
    const seen: [string, number][] = [];
    transport.listener = { onPublicAddress: (host, p) => seen.push([host, p]) };
    const peer = await udpPeer();
    const text = sipResponse(200, 'OK', [
      `SIP/2.0/UDP parley.invalid:${port};branch=z9hG4bKr1;received=198.51.100.7;rport=40000`,
      'SIP/2.0/UDP proxy.example.org:5060;branch=z9hG4bKr0',
    ]);
    await peer.send(text, port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    expect(delivered[0]).toBe(withTopViaLine(text, 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKr1;received=198.51.100.7;rport=40000'));
    expect(mustRead(delivered[0]!).headers.filter((h) => h.name === 'via')[1]?.value).toBe(
      'SIP/2.0/UDP proxy.example.org:5060;branch=z9hG4bKr0',
    );
    expect(seen).toEqual([['198.51.100.7', 40000]]);
  });

  it('delivers a response whose top Via has no port unchanged', async () => {
    const { delivered, port } = await startTransport();
    const peer = await udpPeer();
    const text = sipResponse(202, 'Accepted', ['SIP/2.0/UDP parley.invalid;branch=z9hG4bKr2']);
    await peer.send(text, port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    expect(delivered[0]).toBe(text);
  });

  it('counts garbage and unusable messages as malformed and delivers none of them', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    await peer.send('hello there, not SIP', port);
    await peer.send(Buffer.from([0xff, 0x00, 0x13, 0x37, 0xde, 0xad, 0xbe, 0xef, 0x01]), port);
    await peer.send('SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\n\r\n', port); // response without Via
    await peer.send(sipResponse(200, 'OK', ['SIP/2.0/UDP h;branch=z9hG4bKm'], 'not-a-cseq'), port); // sip.js would throw on it
    await peer.send('MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n', port); // request without Via
    await waitFor(() => transport.stats.malformed === 5, 2000, 'five malformed');
    expect(transport.stats.received).toBe(5);
    expect(delivered).toEqual([]);
    // The transport still works afterwards.
    await peer.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKafter' }), port);
    await waitFor(() => delivered.length === 1, 2000, 'a later good request');
  });

  it('drops a CRLF keep-alive datagram without counting it', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    await peer.send('\r\n\r\n', port);
    await peer.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKka' }), port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    expect(transport.stats.received).toBe(1);
    expect(transport.stats.malformed).toBe(0);
  });

  it('answers a retransmitted request after our response with the same response, without delivering it again', async () => {
    const { transport, delivered, port } = await startTransport();
    transport.onMessage = (text) => {
      delivered.push(text);
      const head = mustRead(text);
      if (head.isRequest) void transport.send(statelessResponse(head, 200, 'OK')!);
    };
    const peer = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port}`,
      via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKabs1;rport`,
      body: 'once',
    });
    await peer.send(text, port);
    const first = await peer.next();
    expect(mustRead(first).status).toBe(200);
    expect(header(mustRead(first), 'call-id')).toBe('call-1@test');
    await peer.send(text, port);
    const second = await peer.next();
    expect(second).toBe(first); // byte-identical: a replay, not a new answer (its To tag is random)
    await peer.send(text, port);
    expect(await peer.next()).toBe(first);
    expect(delivered).toHaveLength(1);
    expect(transport.stats.absorbed).toBe(2);
  });

  it('passes a retransmission that arrives before we answered on to sip.js (its live transaction absorbs it)', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    const text = sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKpend` });
    await peer.send(text, port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    await peer.send(text, port);
    // Not swallowed here: if sip.js dropped the first copy unanswered, this one must get a hearing.
    await waitFor(() => delivered.length === 2, 2000, 'second delivery');
    expect(transport.stats.absorbed).toBe(0);
    expect(peer.received).toEqual([]);
  });

  it('never absorbs ACK, and a new branch is a new request', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    const ack = sipRequest({ method: 'ACK', ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKack' });
    await peer.send(ack, port);
    await peer.send(ack, port);
    const other = sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKnew', cseq: 5 });
    await peer.send(other, port);
    await waitFor(() => delivered.length === 3, 2000, 'three deliveries');
    expect(transport.stats.absorbed).toBe(0);
  });

  it('isolates a throwing onMessage: no crash, a 400 back to the sender of a request, and the next message still flows', async () => {
    const { transport, delivered, port } = await startTransport();
    let fail = true;
    transport.onMessage = (text) => {
      if (fail) throw new TypeError("Cannot read properties of undefined (reading 'method')");
      delivered.push(text);
    };
    const peer = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port}`,
      via: 'SIP/2.0/UDP client.invalid:5999;branch=z9hG4bKthrow;rport',
      cseq: 9,
    });
    await peer.send(text, port);
    const answer = mustRead(await peer.next());
    expect(answer.status).toBe(400);
    expect(answer.startLine).toBe('SIP/2.0 400 Bad Request');
    expect(readCSeq(answer)).toEqual({ seq: 9, method: 'MESSAGE' });
    expect(header(answer, 'call-id')).toBe('call-1@test');
    const via = topVia(answer)!;
    expect(via.params.get('branch')).toBe('z9hG4bKthrow');
    expect(via.params.get('received')).toBe('127.0.0.1');
    expect(via.params.get('rport')).toBe(String(peer.port));
    expect(transport.stats.handlerErrors).toBe(1);
    fail = false;
    await peer.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKok' }), port);
    await waitFor(() => delivered.length === 1, 2000, 'delivery after the throw');
  });

  it('isolates a throwing onMessage for a response without answering it', async () => {
    const { transport, port } = await startTransport();
    transport.onMessage = () => {
      throw new Error('boom');
    };
    const peer = await udpPeer();
    await peer.send(sipResponse(200, 'OK', [`SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKresp`]), port);
    await waitFor(() => transport.stats.handlerErrors === 1, 2000, 'the handler error');
    // Milestone: a request sent after the error arrives first, so no answer went before it.
    await transport.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKafter' }));
    expect(await peer.next()).toContain('branch=z9hG4bKafter');
    expect(peer.received).toHaveLength(1);
  });

  it('answers an oversized datagram request with 513 Message Too Large', async () => {
    const { transport, delivered, port } = await startTransport({ maxMessageBytes: 2000 });
    const peer = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port}`,
      via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKbig`,
      body: 'z'.repeat(2500),
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(2000);
    await peer.send(text, port);
    let answer: string | undefined;
    try {
      answer = await peer.next(500);
    } catch {
      answer = undefined;
    }
    expect(answer && mustRead(answer).startLine).toBe('SIP/2.0 513 Message Too Large');
    expect(transport.stats.tooLarge).toBe(1);
    expect(delivered).toEqual([]);
  });

  it('answers a request whose body has no Content-Type 400 (RFC 3261 §20.15) and drops an untyped ACK or response, delivering none', async () => {
    const { transport, delivered, port } = await startTransport();
    const peer = await udpPeer();
    const untyped = (method: string, branch: string) =>
      sipRequest({
        method,
        ruri: `sip:bob@127.0.0.1:${port}`,
        via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=${branch}`,
        body: 'v=0',
      }).replace('Content-Type: text/plain\r\n', '');
    await peer.send(untyped('INVITE', 'z9hG4bKuntyped'), port);
    expect(mustRead(await peer.next(500)).startLine).toBe('SIP/2.0 400 Missing Content-Type');
    await peer.send(untyped('ACK', 'z9hG4bKack'), port);
    await peer.send(
      sipResponse(200, 'OK', [`SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKours`]).replace('Content-Length: 0', 'Content-Length: 3') +
        'v=0',
      port,
    );
    // A typed one still goes through: the check is about the missing type, nothing else.
    await peer.send(
      sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKtyped`, body: 'hi' }),
      port,
    );
    await expect.poll(() => delivered.length).toBe(1);
    expect(delivered[0]).toContain('branch=z9hG4bKtyped');
    expect(transport.stats.malformed).toBe(3);
  });
});

describe('SipTransport outbound', () => {
  it('sends a request to the Request-URI with the real protocol and our port in the top Via', async () => {
    const { transport, port } = await startTransport();
    const peer = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${peer.port}`,
      via: 'SIP/2.0/TCP parley.invalid;branch=z9hG4bKout1;rport',
      body: 'hi',
    });
    await transport.send(text);
    const got = await peer.next();
    expect(got).toBe(withTopViaLine(text, `SIP/2.0/UDP parley.invalid:${port};branch=z9hG4bKout1;rport`));
    expect(peer.received[0]!.port).toBe(port); // sent from our listening socket
    expect(transport.stats.sent).toBe(1);
  });

  it('sends to a loose-routing top Route rather than the Request-URI', async () => {
    const { transport } = await startTransport();
    const target = await udpPeer();
    const proxy = await udpPeer();
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${target.port}`,
      route: `<sip:127.0.0.1:${proxy.port};lr>`,
      via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKroute;rport',
    });
    await transport.send(text);
    const got = mustRead(await proxy.next());
    expect(got.requestUri).toBe(`sip:bob@127.0.0.1:${target.port}`);
    // Milestone: a request sent to the target afterwards is the first thing it gets.
    await transport.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${target.port}`, via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKdirect' }));
    expect(await target.next()).toContain('branch=z9hG4bKdirect');
    expect(target.received).toHaveLength(1);
  });

  it('sends a request over 1300 bytes over TCP, and a response on that connection comes back', async () => {
    const { transport, delivered, port } = await startTransport();
    const server = await TcpListener.open();
    closers.push(() => server.close());
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${server.port}`,
      via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKbig1;rport',
      body: 'ü'.repeat(800),
    });
    expect(Buffer.byteLength(text)).toBeGreaterThan(UDP_MTU_LIMIT);
    await transport.send(text);
    const expected = withTopViaLine(text, `SIP/2.0/TCP parley.invalid:${port};branch=z9hG4bKbig1;rport`);
    await waitFor(
      () => server.peers[0] !== undefined && server.peers[0].bytes >= Buffer.byteLength(expected),
      2000,
      'the request over TCP',
    );
    const conn = server.peers[0]!;
    expect(conn.text).toBe(expected);
    expect(server.peers).toHaveLength(1);
    await conn.write(
      sipResponse(200, 'OK', [`SIP/2.0/TCP parley.invalid:${port};branch=z9hG4bKbig1;rport=${conn.socket.remotePort};received=127.0.0.1`]),
    );
    await waitFor(() => delivered.length === 1, 2000, 'the response');
    expect(mustTopVia(delivered[0]!).port).toBeUndefined();
    expect(mustRead(delivered[0]!).status).toBe(200);
  });

  it('moves a big request for a name without a port to TCP by asking for the TCP servers of the name (SRV), not port 5060', async () => {
    const server = await TcpListener.open();
    closers.push(() => server.close());
    const asked: [string, number | undefined, string][] = [];
    const resolver = {
      resolve: async (host: string, port: number | undefined, transport: 'udp' | 'tcp' | 'tls') => {
        asked.push([host, port, transport]);
        return { host: '127.0.0.1', port: server.port };
      },
    };
    const { transport } = await startTransport({ resolver });
    const text = sipRequest({
      ruri: 'sip:bob@cluster.invalid',
      via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKbig2;rport',
      body: 'ü'.repeat(800),
    });
    await transport.send(text);
    await waitFor(() => server.peers[0] !== undefined && server.peers[0].text.includes('z9hG4bKbig2'), 2000, 'the request over TCP');
    expect(asked).toEqual([['cluster.invalid', undefined, 'tcp']]);
  });

  it('keeps a request of 1300 bytes or less on UDP', async () => {
    const { transport } = await startTransport();
    const peer = await udpPeer();
    const base = sipRequest({ ruri: `sip:bob@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP p.invalid;branch=z9hG4bKsmall', body: 'x' });
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${peer.port}`,
      via: 'SIP/2.0/UDP p.invalid;branch=z9hG4bKsmall',
      body: 'x'.repeat(1 + UDP_MTU_LIMIT - 10 - Buffer.byteLength(base)),
    });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(UDP_MTU_LIMIT);
    await transport.send(text);
    expect(mustRead(await peer.next()).body.length).toBeGreaterThan(1000);
  });

  it('retransmits an unanswered UDP request: 3 copies within 1.5 s, spaced T1 then 2*T1 (fake clock)', async () => {
    const timers = new FakeTimers(Date.now());
    const { transport } = await startTransport({ timers });
    const peer = await udpPeer();
    const text = sipRequest({ ruri: `sip:bob@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKre1;rport' });
    await transport.send(text);
    await peer.next(); // at 0
    timers.advance(499);
    expect(transport.stats.retransmitted).toBe(0); // not before T1
    timers.advance(1);
    await peer.next(); // at T1 = 500 ms
    timers.advance(999);
    expect(transport.stats.retransmitted).toBe(1); // not before another 2*T1
    timers.advance(1);
    await peer.next(); // at 1500 ms
    const copies = () => peer.received.filter((r) => r.text.includes('branch=z9hG4bKre1'));
    expect(copies()).toHaveLength(3);
    expect(new Set(copies().map((c) => c.text)).size).toBe(1);
    expect(copies()[0]!.text).toBe(withTopViaLine(text, `SIP/2.0/UDP parley.invalid:${transport.listening.udp};branch=z9hG4bKre1;rport`));
    expect(transport.stats.retransmitted).toBeGreaterThanOrEqual(2);
  });

  it('stops retransmitting on a final response, and slows to T2 after a provisional one (fake clock)', async () => {
    const timers = new FakeTimers(Date.now());
    const { transport, delivered, port } = await startTransport({ timers });
    const peer = await udpPeer();
    await transport.send(sipRequest({ ruri: `sip:bob@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP parley.invalid;branch=z9hG4bKfk;rport' }));
    await peer.next();
    timers.advance(500);
    await peer.next();
    const trying = sipResponse(100, 'Trying', [
      `SIP/2.0/UDP parley.invalid:${port};branch=z9hG4bKfk;rport=${peer.port};received=127.0.0.1`,
    ]);
    await peer.send(trying, port);
    await waitFor(() => delivered.length === 1, 2000, 'the 100');
    timers.advance(3999);
    expect(transport.stats.retransmitted).toBe(1); // nothing resent before T2 = 4 s
    expect(peer.received).toHaveLength(2);
    timers.advance(1);
    await peer.next();
    expect(transport.stats.retransmitted).toBe(2);
    await peer.send(trying.replace('100 Trying', '200 OK'), port);
    await waitFor(() => delivered.length === 2, 2000, 'the 200');
    expect(timers.pending).toBe(0);
    timers.advance(60_000);
    expect(transport.stats.retransmitted).toBe(2); // nothing more after the final response
    expect(peer.received).toHaveLength(3);
  });

  it('does not retransmit over TCP', async () => {
    const timers = new FakeTimers(Date.now());
    const { transport } = await startTransport({ timers });
    const server = await TcpListener.open();
    closers.push(() => server.close());
    await transport.send(
      sipRequest({ ruri: `sip:bob@127.0.0.1:${server.port};transport=tcp`, via: 'SIP/2.0/UDP p.invalid;branch=z9hG4bKnoretx' }),
    );
    await waitFor(() => server.peers[0]?.text.includes('SIP/2.0/TCP p.invalid') ?? false, 2000, 'the TCP request');
    // Through Timer F nothing is sent again; only the wait for an answer was timed (and it ends).
    timers.advance(TRANSACTION_TIMEOUT);
    expect(timers.pending).toBe(0);
    expect(server.peers[0]!.text.split('SIP/2.0/TCP p.invalid')).toHaveLength(2);
  });

  it('a stream flow that closes under an unanswered request loses it, told at once; an answered one is not', async () => {
    const { transport } = await startTransport();
    const lost: [string, string][] = [];
    transport.onRequestLost = (branch, method) => lost.push([branch, method]);
    const server = await TcpListener.open();
    closers.push(() => server.close());
    const ruri = `sip:bob@127.0.0.1:${server.port};transport=tcp`;
    await transport.send(sipRequest({ ruri, via: 'SIP/2.0/TCP p.invalid;branch=z9hG4bKanswered', cseq: 1 }));
    await transport.send(sipRequest({ ruri, via: 'SIP/2.0/TCP p.invalid;branch=z9hG4bKdropped', cseq: 2 }));
    await waitFor(() => server.peers[0]?.text.includes('z9hG4bKdropped') ?? false, 2000, 'both requests');
    const peer = server.peers[0]!;
    await peer.write(sipResponse(200, 'OK', [`SIP/2.0/TCP p.invalid:${transport.listening.tcp};branch=z9hG4bKanswered`]));
    await waitFor(() => transport.stats.received === 1, 2000, 'the answer');
    expect(lost).toEqual([]);
    peer.close();
    await waitFor(() => lost.length > 0, 2000, 'the loss');
    expect(lost).toEqual([['z9hG4bKdropped', 'MESSAGE']]);
    expect([transport.wasLost('z9hG4bKdropped'), transport.wasLost('z9hG4bKanswered')]).toEqual([true, false]);
  });

  it('sends a response to received/rport of its top Via', async () => {
    const { transport } = await startTransport();
    const peer = await udpPeer();
    const text = sipResponse(200, 'OK', [`SIP/2.0/UDP client.invalid:5999;branch=z9hG4bKtoRport;rport=${peer.port};received=127.0.0.1`]);
    await transport.send(text);
    expect(await peer.next()).toBe(text);
  });

  it('refuses what it cannot send', async () => {
    const { transport } = await startTransport({ maxMessageBytes: 3000 });
    await expect(transport.send('not sip at all')).rejects.toThrow(/not a SIP message/);
    await expect(transport.send(sipRequest({ ruri: 'tel:+15551234', via: 'SIP/2.0/UDP h;branch=z9hG4bKtel' }))).rejects.toThrow(/no route/);
    const huge = sipRequest({ ruri: 'sip:bob@127.0.0.1:9', via: 'SIP/2.0/UDP h;branch=z9hG4bKhuge', body: 'x'.repeat(4000) });
    await expect(transport.send(huge)).rejects.toThrow(/larger than the 3000-byte limit/);
    expect(transport.stats.tooLarge).toBe(1);
    expect(transport.stats.sent).toBe(0);
  });

  it('sends a CRLF keep-alive to a UDP peer', async () => {
    const { transport } = await startTransport();
    const peer = await udpPeer();
    await transport.keepAlive({ transport: 'udp', host: '127.0.0.1', port: peer.port });
    expect(await peer.next()).toBe('\r\n\r\n');
  });
});

describe('SipTransport inbound over TCP', () => {
  it('answers a CRLFCRLF ping with a CRLF pong, even when the ping arrives in pieces', async () => {
    const { transport, port } = await startTransport();
    const pongs: Peer[] = [];
    transport.listener = { onPong: (peer) => pongs.push(peer) };
    const client = await tcpPeer(port);
    await client.write('\r\n\r\n');
    await waitFor(() => client.text === '\r\n', 2000, 'the pong');
    await client.write('\r\n');
    await client.write('\r\n');
    await waitFor(() => client.text === '\r\n\r\n', 2000, 'the second pong');
    // A connection a peer opened carries pings to us, never pongs.
    expect(pongs).toEqual([]);
  });

  it('stamps rport and received on a request over TCP and sends the response back on the same connection', async () => {
    const { transport, delivered, port } = await startTransport();
    transport.onMessage = (text) => {
      delivered.push(text);
      void transport.send(statelessResponse(mustRead(text), 200, 'OK')!);
    };
    const client = await tcpPeer(port);
    const text = sipRequest({
      ruri: `sip:bob@127.0.0.1:${port};transport=tcp`,
      via: 'SIP/2.0/TCP client.invalid:5060;branch=z9hG4bKtcp1',
      body: 'over tcp',
    });
    await client.write(text);
    await waitFor(() => delivered.length === 1, 2000, 'delivery');
    const via = mustTopVia(delivered[0]!);
    expect(via.params.get('rport')).toBe(String(client.localPort));
    expect(via.params.get('received')).toBe('127.0.0.1');
    await waitFor(() => client.text.endsWith('\r\n\r\n'), 2000, 'the response on the same connection');
    expect(mustRead(client.text).status).toBe(200);
  });

  it('closes only the connection with a framing error', async () => {
    const { transport, delivered, port } = await startTransport();
    const closed: [Peer, string][] = [];
    transport.listener = { onFlowClosed: (peer, reason) => closed.push([peer, reason]) };
    const bad = await tcpPeer(port);
    const good = await tcpPeer(port);
    const badPort = bad.localPort;
    await bad.write('MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bKnolen\r\nCall-ID: c\r\n\r\nno length');
    await waitFor(() => bad.closed, 2000, 'the bad connection to close');
    await waitFor(() => closed.length === 1, 2000, 'onFlowClosed');
    expect(closed[0]![0]).toEqual({ transport: 'tcp', host: '127.0.0.1', port: badPort });
    expect(delivered).toEqual([]);
    expect(good.closed).toBe(false);
    await good.write(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/TCP h;branch=z9hG4bKgood' }));
    await waitFor(() => delivered.length === 1, 2000, 'delivery on the good connection');
    await good.write('\r\n\r\n');
    await waitFor(() => good.text === '\r\n', 2000, 'pong on the good connection');
    expect(good.closed).toBe(false);
  });

  it('closes a connection that sends a message over the size limit', async () => {
    const { delivered, port } = await startTransport({ maxMessageBytes: 2000 });
    const client = await tcpPeer(port);
    await client.write(sipRequest({ ruri: `sip:bob@127.0.0.1:${port}`, via: 'SIP/2.0/TCP h;branch=z9hG4bKhuge', body: 'q'.repeat(3000) }));
    await waitFor(() => client.closed, 2000, 'the connection to close');
    expect(delivered).toEqual([]);
  });
});
