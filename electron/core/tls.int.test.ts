/**
 * SIP over TLS against the bundled Kamailio with its self-signed certificate: registration with
 * the certificate trusted, refusal (with the reason) without it or under a name the certificate
 * does not carry, and MESSAGE both ways between a TLS client and a UDP client through the server
 * (the server reaches the TLS client over the connection the client opened).
 */
import dns from 'node:dns/promises';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordReason } from '../../shared/words/word-reason.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import type { AccountConfig } from '../../shared/ipc.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../testing/cores.js';
import { sipUri } from '../sip/user-agent.js';
import { silentLogger } from '../support/logger.js';
import { Endpoint } from './account/endpoint.js';

let server: RunningServer;
let trust: string;
const cores: TestCore[] = [];
const endpoints: Endpoint[] = [];
const closers: (() => Promise<void>)[] = [];

const tlsAccount = (user: string, extra: Partial<AccountConfig> = {}): AccountConfig => ({
  aor: `sip:${user}@${server.domain}`,
  proxy: server.uri('tls'),
  transport: 'tls',
  registerExpires: 600,
  ...extra,
});

async function core(account: AccountConfig, password = 'secret'): Promise<TestCore> {
  const started = await startCore({ account, password });
  cores.push(started);
  return started;
}

/** An Endpoint alone, and the status of an OPTIONS sent through its proxy (503 = transport error). */
async function probe(account: AccountConfig): Promise<{ endpoint: Endpoint; status: number }> {
  const endpoint = new Endpoint({ account, password: 'secret', listen: '127.0.0.1:0', logger: silentLogger }, { onMessage: () => {} });
  endpoints.push(endpoint);
  await endpoint.start();
  const core = endpoint.ua.userAgentCore;
  const target = sipUri(`sip:${server.domain}`)!;
  const from = sipUri(account.aor)!;
  const status = await new Promise<number>((resolve) => {
    core.request(core.makeOutgoingRequestMessage('OPTIONS', target, from, from, {}), {
      onAccept: (r) => resolve(r.message.statusCode ?? 0),
      onReject: (r) => resolve(r.message.statusCode ?? 0),
    });
  });
  return { endpoint, status };
}

/** A TCP relay on another loopback address to the server's TLS port: same server, another name. */
/** Facts about this machine's loopback that some cases need, decided once and named in their titles. */
const localhostIsIPv4 = (await dns.lookup('localhost')).address === '127.0.0.1';
const hasLoopback2 = await new Promise<boolean>((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => resolve(false));
  probe.listen(0, '127.0.0.2', () => probe.close(() => resolve(true)));
});

async function relayOn(host: string, port: number): Promise<number | undefined> {
  const relay = net.createServer((inbound) => {
    const outbound = net.connect(port, '127.0.0.1');
    inbound.pipe(outbound).pipe(inbound);
    const close = () => (inbound.destroy(), outbound.destroy());
    inbound.on('error', close);
    outbound.on('error', close);
  });
  const ok = await new Promise<boolean>((resolve) => {
    relay.once('error', () => resolve(false));
    relay.listen(0, host, () => resolve(true));
  });
  if (!ok) return undefined;
  closers.push(() => new Promise<void>((resolve) => relay.close(() => resolve())));
  return (relay.address() as net.AddressInfo).port;
}

beforeAll(async () => {
  server = await startKamailio({
    tls: true,
    auth: true,
    users: [
      { user: 'alice', password: 'secret' },
      { user: 'bob', password: 'secret' },
      { user: 'carol', password: 'secret' },
    ],
  });
  trust = fs.readFileSync(server.certFile!, 'utf8');
});

afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop().catch(() => {})));
  await Promise.all(endpoints.map((e) => e.stop().catch(() => {})));
  await Promise.all(closers.map((close) => close().catch(() => {})));
  await server?.stop();
});

describe('TLS with the server certificate trusted', () => {
  it('registers; the binding names our TLS connection, so the server can come back over it', async () => {
    const alice = await core(tlsAccount('alice', { tlsTrust: trust }));
    const registered = await alice.waitFor(isRegistration('registered'));
    const publicAddress = registered.type === 'registration' ? registered.publicAddress : undefined;
    expect(publicAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const localPort = publicAddress!.split(':')[1];
    // No TLS listener of ours (no certificate): the Contact is the connection's own address.
    expect((await alice.core.commands.getSnapshot({})).listening.some((l) => l.transport === 'tls')).toBe(false);
    const dump = await server.rpc('ul.dump');
    expect(dump).toMatch(new RegExp(`Address: sip:[0-9a-f]+@127\\.0\\.0\\.1:${localPort};transport=tls`));
    expect(dump).toContain(`Socket: tls:127.0.0.1:${server.tlsPort}`);
  });

  it('carries MESSAGE both ways between a TLS client and a UDP client through the server', async () => {
    const alice = cores[0]!;
    const bob = await core({ aor: `sip:bob@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 });
    await bob.waitFor(isRegistration('registered'));

    const toAlice = await bob.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'over udp, to tls' });
    expect(await bob.waitFor(isDelivery(toAlice.id, 'delivered', 'stored', 'failed'))).toMatchObject({ state: 'delivered' });
    const got = await alice.waitFor(isIncoming('over udp, to tls'));
    expect(got).toMatchObject({ from: 'sip:bob@parley.test', callId: toAlice.callId });

    const toBob = await alice.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'over tls, to udp' });
    expect(await alice.waitFor(isDelivery(toBob.id, 'delivered', 'stored', 'failed'))).toMatchObject({ state: 'delivered' });
    expect(await bob.waitFor(isIncoming('over tls, to udp'))).toMatchObject({ from: 'sip:alice@parley.test' });
  });

  it('registers with a sips: proxy URI too (sips: Contact)', async () => {
    const carol = await core(tlsAccount('carol', { proxy: `sips:127.0.0.1:${server.tlsPort}`, transport: 'udp', tlsTrust: trust }));
    await carol.waitFor(isRegistration('registered'));
    expect(await server.rpc('ul.dump')).toMatch(/Address: sips:[0-9a-f]+@127\.0\.0\.1:\d+/);
    const bob = cores[1]!;
    const sent = await bob.core.commands.sendMessage({ to: 'sip:carol@parley.test', body: 'to a sips contact' });
    expect(await bob.waitFor(isDelivery(sent.id, 'delivered', 'stored', 'failed'))).toMatchObject({ state: 'delivered' });
    await carol.waitFor(isIncoming('to a sips contact'));
  });

  it.skipIf(!localhostIsIPv4)(
    'verifies a DNS name the certificate carries ("localhost"; skipped where localhost is not 127.0.0.1)',
    async () => {
      const { endpoint, status } = await probe(
        tlsAccount('alice', { proxy: `sip:localhost:${server.tlsPort};transport=tls`, tlsTrust: trust }),
      );
      expect(status).toBe(200);
      expect(endpoint.proxyFailure()).toBeUndefined();
    },
  );
});

describe('TLS refusals, explained', () => {
  it('without trust: the transport refuses the self-signed certificate and the endpoint says why', async () => {
    const { endpoint, status } = await probe(tlsAccount('alice'));
    expect(status).toBe(503); // what sip.js makes of any transport error
    const failure = endpoint.proxyFailure();
    expect(failure).toMatchObject({ kind: 'self-signed', retry: false, name: '127.0.0.1', port: server.tlsPort });
    expect(failure?.reason.code).toBe('connect.self-signed');
    expect(wordReason(failure!.reason)).toMatch(
      /^The server's certificate is not trusted \(self-signed\)\. Trust it in the account settings\./,
    );
    expect(failure?.certificate?.pem).toBe(new (await import('node:crypto')).X509Certificate(trust).toString());
  });

  it.skipIf(!hasLoopback2)(
    'with trust, under a name the certificate does not carry: refused as the wrong server (needs 127.0.0.2 on loopback)',
    async () => {
      const port = (await relayOn('127.0.0.2', server.tlsPort!))!;
      const { endpoint, status } = await probe(tlsAccount('alice', { proxy: `sip:127.0.0.2:${port};transport=tls`, tlsTrust: trust }));
      expect(status).toBe(503);
      expect(endpoint.proxyFailure()).toMatchObject({ kind: 'wrong-name', retry: false, name: '127.0.0.2' });
      expect(endpoint.proxyFailure()?.reason).toMatchObject({
        code: 'connect.wrong-name',
        params: { name: '127.0.0.2', names: expect.arrayContaining(['parley.test', 'localhost', '127.0.0.1']) },
      });
      expect(wordReason(endpoint.proxyFailure()!.reason)).toMatch(
        /^The server's certificate is not valid for "127\.0\.0\.2" \(it is for "parley\.test", "localhost", "127\.0\.0\.1"\)/,
      );
    },
  );

  it('a trusted certificate does not help a TLS client on the plain SIP port', async () => {
    const { endpoint, status } = await probe(tlsAccount('alice', { proxy: `sip:127.0.0.1:${server.port};transport=tls`, tlsTrust: trust }));
    expect(status).toBe(503);
    // Kamailio's TCP port waits for SIP and never answers the ClientHello: the handshake times out.
    expect(endpoint.proxyFailure()?.reason.code).toMatch(/^connect\.(tls-timeout|not-tls|tls-closed)$/);
    expect(wordReason(endpoint.proxyFailure()!.reason)).toMatch(
      /accepted the connection but never answered the TLS handshake|does not speak TLS|closed the connection/,
    );
  });

  // These two read the reason in the registration state: they need Registration to ask
  // Endpoint.proxyFailure() when sip.js reports its header-less 503 (see the wiring note).
  it('a core without trust does not register, and its registration state gives the certificate reason', async () => {
    const denied = await core(tlsAccount('alice'));
    const state = await denied.waitFor((e) => e.type === 'registration' && (e.state === 'failed' || e.state === 'retrying'));
    expect(state).toMatchObject({ reason: { code: 'connect.self-signed' } });
    expect(state.type === 'registration' && wordReason(state.reason!)).toMatch(
      /^The server's certificate is not trusted \(self-signed\)\. Trust it in the account settings\./,
    );
    expect(denied.events.some(isRegistration('registered'))).toBe(false);
  });

  it.skipIf(!hasLoopback2)(
    'a core addressing the server by a name not in its certificate does not register, and says so (needs 127.0.0.2 on loopback)',
    async () => {
      const port = (await relayOn('127.0.0.2', server.tlsPort!))!;
      const denied = await core(tlsAccount('alice', { proxy: `sip:127.0.0.2:${port};transport=tls`, tlsTrust: trust }));
      const state = await denied.waitFor((e) => e.type === 'registration' && (e.state === 'failed' || e.state === 'retrying'));
      expect(state).toMatchObject({ reason: { code: 'connect.wrong-name', params: { name: '127.0.0.2' } } });
      expect(state.type === 'registration' && wordReason(state.reason!)).toMatch(/certificate is not valid for "127\.0\.0\.2"/);
    },
  );
});
