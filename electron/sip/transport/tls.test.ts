/**
 * SIP over TLS on real sockets: SipTransport as the client against small Node TLS servers with
 * the static test certificates. Verification is always on: these tests show what is refused
 * (self-signed, unknown CA, wrong name) and what a user's trust makes work (the server's own
 * certificate, its CA, a leaf alone), and that the name checked is the one the user gave.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { wordReason } from '../../../shared/words/word-reason.js';
import { silentLogger } from '../../support/logger.js';
import { readHead } from '../wire/headers.js';
import { topVia } from '../wire/via.js';
import { CA_CERT, LEAF_CERT, LEAF_KEY, SELF_SIGNED_CERT, SELF_SIGNED_KEY } from '../testing/tls-fixtures.js';
import { waitFor } from '../testing/raw-peers.js';
import { StreamFramer } from './framing.js';
import type { Resolver } from './resolver.js';
import { SipTransport, TransportFailureError, type SipTransportOptions } from './sip-transport.js';

// ---- a TLS server that records what arrives ----

interface ServerConnection {
  socket: tls.TLSSocket;
  messages: string[];
  pings: number;
  servername: string | false | null;
}

class TlsServer {
  readonly connections: ServerConnection[] = [];
  private constructor(private readonly server: tls.Server) {}

  static async start(cert: string, key: string): Promise<TlsServer> {
    const server = tls.createServer({ cert, key });
    const self = new TlsServer(server);
    server.on('secureConnection', (socket) => {
      const connection: ServerConnection = { socket, messages: [], pings: 0, servername: socket.servername };
      const framer = new StreamFramer(undefined, true);
      socket.on('data', (chunk: Buffer) => {
        for (const item of framer.push(chunk)) {
          if (item.kind === 'message') connection.messages.push(item.text);
          else if (item.kind === 'ping') {
            connection.pings++;
            socket.write('\r\n');
          }
        }
      });
      socket.on('error', () => {});
      self.connections.push(connection);
    });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return self;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get messages(): string[] {
    return this.connections.flatMap((c) => c.messages);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Every name resolves to 127.0.0.1, so a test can address the server by any name it likes. */
const loopbackResolver: Resolver = {
  resolve: async (_host, port, transport) => ({ host: '127.0.0.1', port: port ?? (transport === 'tls' ? 5061 : 5060) }),
};

const CONTACT_USER = 'c0ffee00d00d';

function register(host: string, port: number, branch = 'z9hG4bKtls1'): string {
  return [
    `REGISTER sip:parley.test SIP/2.0`,
    `Via: SIP/2.0/TLS 127.0.0.1;branch=${branch};rport`,
    `Route: <sip:${host.includes(':') ? `[${host}]` : host}:${port};lr;transport=tls>`,
    'Max-Forwards: 70',
    'From: <sip:alice@parley.test>;tag=f1',
    'To: <sip:alice@parley.test>',
    `Call-ID: reg-${branch}@test`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:${CONTACT_USER}@127.0.0.1:5060;transport=tls>;expires=600`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

const transports: SipTransport[] = [];
const servers: TlsServer[] = [];

async function client(extra: Partial<SipTransportOptions> = {}) {
  const transport = new SipTransport({
    listenHost: '127.0.0.1',
    listenPort: 0,
    defaultTransport: 'tls',
    logger: silentLogger,
    resolver: loopbackResolver,
    contactUser: CONTACT_USER,
    ...extra,
  });
  transports.push(transport);
  const delivered: string[] = [];
  transport.onMessage = (text) => delivered.push(text);
  await transport.connect();
  return { transport, delivered };
}

async function server(cert: string, key: string): Promise<TlsServer> {
  const started = await TlsServer.start(cert, key);
  servers.push(started);
  return started;
}

/** The failure a send ends with (it must fail). */
async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportFailureError);
  return (error as TransportFailureError).failure;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((t) => t.disconnect()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('TLS: certificate verification is on by default', () => {
  it('refuses a self-signed server with a human reason, its fingerprint, and remembers why', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport } = await client();
    const failure = await failureOf(transport.send(register('127.0.0.1', tlsServer.port)));
    expect(failure.kind).toBe('self-signed');
    expect(failure.retry).toBe(false);
    expect(wordReason(failure.reason)).toMatch(
      /^The server's certificate is not trusted \(self-signed\)\. Trust it in the account settings\./,
    );
    expect(failure.certificate?.subject).toBe('parley.test');
    expect(failure.certificate?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(failure.reason).toEqual({ code: 'connect.self-signed', params: { fingerprint: failure.certificate!.fingerprint256 } });
    expect(wordReason(failure.reason)).toContain(failure.certificate!.fingerprint256);
    expect(transport.failureFor('127.0.0.1', 'tls')).toEqual(failure);
    expect(tlsServer.messages).toEqual([]);
  });

  it('refuses a server whose CA is unknown', async () => {
    const tlsServer = await server(LEAF_CERT, LEAF_KEY);
    const { transport } = await client();
    const failure = await failureOf(transport.send(register('sip.parley.test', tlsServer.port)));
    expect(failure.kind).toBe('untrusted');
    expect(failure.reason).toEqual({ code: 'connect.unknown-ca', params: { issuer: 'Parley Test CA' } });
    expect(wordReason(failure.reason)).toMatch(/not trusted \(issued by an authority Parley does not know: "Parley Test CA"\)/);
  });

  it('tells the listeners of a failure', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport } = await client();
    const seen: string[] = [];
    transport.listener = { onConnectFailure: (f) => seen.push(f.kind) };
    await failureOf(transport.send(register('127.0.0.1', tlsServer.port)));
    expect(seen).toEqual(['self-signed']);
  });
});

describe('TLS: what a user may trust', () => {
  it("connects when the server's own certificate is trusted; Via and Contact name the connection's port", async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport } = await client({ tls: { ca: [SELF_SIGNED_CERT] } });
    expect(transport.listening.tls).toBeUndefined(); // no certificate of ours: no TLS listener
    await transport.send(register('127.0.0.1', tlsServer.port));
    await waitFor(() => tlsServer.messages.length === 1, 2000, 'the REGISTER');
    const conn = tlsServer.connections[0]!;
    const localPort = conn.socket.remotePort!;
    const head = readHead(conn.messages[0]!)!;
    const via = topVia(head)!;
    expect(via.protocol).toBe('TLS');
    expect(via.port).toBe(localPort);
    expect(head.headers.find((h) => h.name === 'contact')?.value).toBe(
      `<sip:${CONTACT_USER}@127.0.0.1:${localPort};transport=tls>;expires=600`,
    );
    expect(conn.servername || undefined).toBeUndefined(); // an IP address is never sent as SNI
    expect(transport.failureFor('127.0.0.1', 'tls')).toBeUndefined();
  });

  it('a success clears the failure remembered for that server', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const refused = await client();
    await failureOf(refused.transport.send(register('127.0.0.1', tlsServer.port)));
    expect(refused.transport.failureFor('127.0.0.1', 'tls')?.kind).toBe('self-signed');
    const trusting = await client({ tls: { ca: [SELF_SIGNED_CERT] } });
    await failureOf(trusting.transport.send(register('wrong.example', tlsServer.port)));
    await trusting.transport.send(register('127.0.0.1', tlsServer.port, 'z9hG4bKok'));
    expect(trusting.transport.failureFor('wrong.example', 'tls')?.kind).toBe('wrong-name');
    expect(trusting.transport.failureFor('127.0.0.1', 'tls')).toBeUndefined();
  });

  it('connects when the issuing CA is trusted, verifying the DNS name (and sending it as SNI)', async () => {
    const tlsServer = await server(LEAF_CERT, LEAF_KEY);
    const { transport } = await client({ tls: { ca: [CA_CERT] } });
    await transport.send(register('sip.parley.test', tlsServer.port));
    await waitFor(() => tlsServer.messages.length === 1, 2000, 'the REGISTER');
    expect(tlsServer.connections[0]!.servername).toBe('sip.parley.test');
  });

  it('connects when only the leaf certificate is trusted (it is a trust anchor by itself)', async () => {
    const tlsServer = await server(LEAF_CERT, LEAF_KEY);
    const { transport } = await client({ tls: { ca: [LEAF_CERT] } });
    await transport.send(register('sip.parley.test', tlsServer.port));
    await waitFor(() => tlsServer.messages.length === 1, 2000, 'the REGISTER');
  });

  it('trusting one certificate does not trust another', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport } = await client({ tls: { ca: [CA_CERT] } });
    const failure = await failureOf(transport.send(register('127.0.0.1', tlsServer.port)));
    expect(failure.kind).toBe('self-signed');
  });
});

describe('TLS: the name checked is the one the user gave', () => {
  it('refuses a trusted certificate when the server is addressed by a name it does not carry', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport } = await client({ tls: { ca: [SELF_SIGNED_CERT] } });
    const failure = await failureOf(transport.send(register('wrong.example', tlsServer.port)));
    expect(failure.kind).toBe('wrong-name');
    expect(failure.retry).toBe(false);
    expect(failure.reason).toEqual({
      code: 'connect.wrong-name',
      params: { name: 'wrong.example', names: ['parley.test', 'localhost', '127.0.0.1', '0:0:0:0:0:0:0:1'] },
    });
    expect(wordReason(failure.reason)).toBe(
      `The server's certificate is not valid for "wrong.example" (it is for "parley.test", "localhost", "127.0.0.1", "0:0:0:0:0:0:0:1"). ` +
        'Address the server by a name its certificate carries, or check that this is the right server.',
    );
    expect(tlsServer.messages).toEqual([]);
  });

  it('checks IP addresses against the IP entries of the certificate', async () => {
    const tlsServer = await server(LEAF_CERT, LEAF_KEY); // sip.parley.test only
    const { transport } = await client({ tls: { ca: [CA_CERT] } });
    const failure = await failureOf(transport.send(register('127.0.0.1', tlsServer.port)));
    expect(failure.kind).toBe('wrong-name');
    expect(failure.reason).toEqual({ code: 'connect.wrong-name', params: { name: '127.0.0.1', names: ['sip.parley.test'] } });
    expect(wordReason(failure.reason)).toContain('not valid for "127.0.0.1" (it is for "sip.parley.test")');
  });

  it('a keep-alive that reopens a dropped flow verifies the name the flow was first opened with', async () => {
    const tlsServer = await server(LEAF_CERT, LEAF_KEY);
    const { transport } = await client({ tls: { ca: [CA_CERT] } });
    await transport.send(register('sip.parley.test', tlsServer.port));
    await waitFor(() => tlsServer.messages.length === 1, 2000, 'the REGISTER');
    const peer = { transport: 'tls' as const, host: '127.0.0.1', port: tlsServer.port };
    let closed = false;
    transport.listener = { onFlowClosed: () => (closed = true) };
    tlsServer.connections[0]!.socket.destroy();
    await waitFor(() => closed, 2000, 'the client to see the flow close');
    // The address alone (127.0.0.1) is not in this certificate: only the remembered name passes.
    await transport.keepAlive(peer);
    await waitFor(() => tlsServer.connections.length === 2 && tlsServer.connections[1]!.pings === 1, 2000, 'the ping on the new flow');
    expect(tlsServer.connections[1]!.servername).toBe('sip.parley.test');
  });

  it('a keep-alive towards a server that now refuses reports the reason', async () => {
    const { transport } = await client();
    const closed = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as net.AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const error = await transport.keepAlive({ transport: 'tls', host: '127.0.0.1', port: closed }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportFailureError);
    expect((error as TransportFailureError).failure.kind).toBe('refused');
    const reason = transport.failureFor('127.0.0.1', 'tls')!.reason;
    expect(reason).toEqual({ code: 'connect.refused', params: { server: `127.0.0.1:${closed}`, transport: 'TLS' } });
    expect(wordReason(reason)).toMatch(/^Nothing accepts TLS connections at 127\.0\.0\.1:\d+ \(connection refused\)/);
    expect((error as TransportFailureError).message).toBe(wordReason(reason));
  });
});

describe('TLS: requests from the server come over the flow we opened', () => {
  it('delivers a request the server sends on our connection and answers on the same connection', async () => {
    const tlsServer = await server(SELF_SIGNED_CERT, SELF_SIGNED_KEY);
    const { transport, delivered } = await client({ tls: { ca: [SELF_SIGNED_CERT] } });
    await transport.send(register('127.0.0.1', tlsServer.port));
    await waitFor(() => tlsServer.connections.length === 1, 2000, 'the connection');
    const conn = tlsServer.connections[0]!;
    const localPort = conn.socket.remotePort!;
    const message = [
      `MESSAGE sip:${CONTACT_USER}@127.0.0.1:${localPort};transport=tls SIP/2.0`,
      `Via: SIP/2.0/TLS 127.0.0.1:${tlsServer.port};branch=z9hG4bKsrv1`,
      'Max-Forwards: 69',
      'From: <sip:bob@parley.test>;tag=b1',
      'To: <sip:alice@parley.test>',
      'Call-ID: m1@test',
      'CSeq: 1 MESSAGE',
      'Content-Type: text/plain',
      'Content-Length: 5',
      '',
      'hello',
    ].join('\r\n');
    conn.socket.write(message);
    await waitFor(() => delivered.some((m) => m.startsWith('MESSAGE ')), 2000, 'the MESSAGE');
    const received = readHead(delivered.find((m) => m.startsWith('MESSAGE '))!)!;
    expect(topVia(received)?.params.get('rport')).toBe(String(tlsServer.port));
    const response = [
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/TLS 127.0.0.1:${tlsServer.port};branch=z9hG4bKsrv1;rport=${tlsServer.port};received=127.0.0.1`,
      'From: <sip:bob@parley.test>;tag=b1',
      'To: <sip:alice@parley.test>;tag=a1',
      'Call-ID: m1@test',
      'CSeq: 1 MESSAGE',
      `Contact: <sip:${CONTACT_USER}@127.0.0.1:5060;transport=tls>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    await transport.send(response);
    await waitFor(() => conn.messages.some((m) => m.startsWith('SIP/2.0 200')), 2000, 'the 200 on the same connection');
    expect(tlsServer.connections).toHaveLength(1);
    const answer = readHead(conn.messages.find((m) => m.startsWith('SIP/2.0 200'))!)!;
    expect(answer.headers.find((h) => h.name === 'contact')?.value).toBe(`<sip:${CONTACT_USER}@127.0.0.1:${localPort};transport=tls>`);
  });
});
