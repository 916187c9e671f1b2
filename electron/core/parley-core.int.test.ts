/**
 * The core against a real Kamailio (the bundled configuration) and peer to peer: registration
 * over UDP and TCP, a wrong password, MESSAGE both ways through the server, direct mode.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { wordReason } from '../../shared/words/word-reason.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../testing/cores.js';

describe('core with the bundled Kamailio (auth on)', () => {
  let server: RunningServer;
  const cores: TestCore[] = [];
  const account = (user: string, transport: 'udp' | 'tcp' = 'udp') => ({
    aor: `sip:${user}@${server.domain}`,
    proxy: server.uri(),
    transport,
    registerExpires: 600,
  });

  beforeAll(async () => {
    server = await startKamailio({
      auth: true,
      users: [
        { user: 'alice', password: 'secret' },
        { user: 'bob', password: 'secret' },
      ],
    });
  });
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.stop().catch(() => {})));
    await server?.stop();
  });

  async function core(user: string, password: string, transport: 'udp' | 'tcp' = 'udp') {
    const started = await startCore({ account: account(user, transport), password });
    cores.push(started);
    return started;
  }

  it('registers over UDP with digest auth and reports the granted expiry and public address', async () => {
    const alice = await core('alice', 'secret');
    const registered = await alice.waitFor(isRegistration('registered'));
    expect(registered).toMatchObject({ state: 'registered', aor: 'sip:alice@parley.test' });
    expect(registered.type === 'registration' && registered.expires).toBeGreaterThan(0);
    expect(registered.type === 'registration' && registered.publicAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const snapshot = await alice.core.commands.getSnapshot({});
    expect(snapshot.registration.state).toBe('registered');
    expect(snapshot.account?.hasPassword).toBe(true);
  });

  it('registers over TCP', async () => {
    const bob = await core('bob', 'secret', 'tcp');
    await bob.waitFor(isRegistration('registered'));
  });

  it('refreshes the registration before it runs out (half of a 30 s grant)', { timeout: 30_000 }, async () => {
    const short = await startCore({ account: { ...account('bob', 'tcp'), registerExpires: 30 }, password: 'secret' });
    cores.push(short);
    const first = await short.waitFor(isRegistration('registered'));
    const count = () => short.events.filter(isRegistration('registered')).length;
    const refreshed = await short.waitFor((e) => isRegistration('registered')(e) && count() >= 2, 25_000);
    expect(refreshed.type === 'registration' && refreshed.expiresAt).toBeGreaterThan(first.type === 'registration' ? first.expiresAt! : 0);
    expect(
      short.events.some(
        (e) => e.type === 'registration' && e.state !== 'registered' && short.events.indexOf(e) > short.events.indexOf(first),
      ),
    ).toBe(false);
  });

  it('explains a wrong password and does not keep retrying', async () => {
    const wrong = await core('alice', 'not-the-password');
    const failed = await wrong.waitFor(isRegistration('failed'));
    expect(failed).toMatchObject({ reason: { code: 'register.bad-password', params: { user: 'alice' } } });
    expect(failed.type === 'registration' && wordReason(failed.reason!)).toMatch(/refused the password/);
    expect(failed.type === 'registration' && failed.code).toBe(401);
    expect(wrong.events.some((e) => e.type === 'registration' && e.state === 'retrying')).toBe(false);
  });

  it('delivers MESSAGE both ways through the server, threading the reply into the same Call-ID', async () => {
    const alice = cores.find((c) =>
      c.events.some((e) => e.type === 'registration' && e.state === 'registered' && e.aor?.includes('alice')),
    )!;
    const bob = cores.find((c) => c.events.some((e) => e.type === 'registration' && e.state === 'registered' && e.aor?.includes('bob')))!;
    const sent = await alice.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'hello bob' });
    await alice.waitFor(isDelivery(sent.id, 'delivered'));
    const got = await bob.waitFor(isIncoming('hello bob'));
    expect(got).toMatchObject({ from: 'sip:alice@parley.test', callId: sent.callId });
    // bob replies over TCP with a body too large for UDP: it must still arrive, in the same window at alice.
    const long = 'é'.repeat(1000);
    const reply = await bob.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: long });
    await bob.waitFor(isDelivery(reply.id, 'delivered'));
    const back = await alice.waitFor(isIncoming(long));
    expect(back.type === 'message' && back.conversationId).toBe(sent.conversationId);
  });

  it('reports an unknown user as a failure a person understands', async () => {
    const alice = cores[0]!;
    const sent = await alice.core.commands.sendMessage({ to: 'sip:nobody@parley.test', body: 'anyone?' });
    const failed = await alice.waitFor(isDelivery(sent.id, 'failed'));
    expect(failed).toMatchObject({
      reason: { code: expect.stringMatching(/^delivery\.(unknown-user|offline)$/), params: { peer: 'sip:nobody@parley.test' } },
    });
    expect(failed.type === 'delivery' && wordReason(failed.reason!)).toMatch(/not a known user|offline/);
  });

  it('unregisters on stop', async () => {
    const carol = await startCore({ account: account('bob', 'udp'), password: 'secret' });
    await carol.waitFor(isRegistration('registered'));
    const port = (await carol.core.commands.getSnapshot({})).listening[0]!.port;
    expect(await server.rpc('ul.dump')).toContain(`127.0.0.1:${port}`);
    await carol.core.stop();
    expect(carol.events.some(isRegistration('unregistered'))).toBe(true);
    expect(await server.rpc('ul.dump')).not.toContain(`127.0.0.1:${port}`);
  });
});

describe('direct mode (no server)', () => {
  it('sends a MESSAGE peer to peer to the address the other side shows', async () => {
    const a = await startCore();
    const b = await startCore();
    try {
      const bSnapshot = await b.core.commands.getSnapshot({});
      expect(bSnapshot.registration.state).toBe('direct');
      const udp = bSnapshot.listening.find((l) => l.transport === 'udp')!;
      expect(udp.uri).toMatch(/^sip:[^@]+@127\.0\.0\.1:\d+$/);
      const sent = await a.core.commands.sendMessage({ to: udp.uri, body: 'direct hello' });
      await a.waitFor(isDelivery(sent.id, 'delivered'));
      const got = await b.waitFor(isIncoming('direct hello'));
      expect(got.type === 'message' && got.callId).toBe(sent.callId);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('core with the bundled Kamailio (no auth)', () => {
  it('registers over UDP and TCP, exchanges MESSAGEs both ways, and unregisters', async () => {
    const server = await startKamailio({
      users: [
        { user: 'alice', password: 'x' },
        { user: 'bob', password: 'x' },
      ],
    });
    onTestFinished(() => server.stop()); // also when the test fails before its own stop
    const alice = await startCore({
      account: { aor: `sip:alice@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
    });
    const bob = await startCore({
      account: { aor: `sip:bob@${server.domain}`, proxy: server.uri(), transport: 'tcp', registerExpires: 600 },
    });
    try {
      await alice.waitFor(isRegistration('registered'));
      await bob.waitFor(isRegistration('registered'));
      const there = await alice.core.commands.sendMessage({ to: 'bob', body: 'no password needed' });
      await alice.waitFor(isDelivery(there.id, 'delivered'));
      // No challenge, so the CSeq arrives as the window took it.
      expect(await bob.waitFor(isIncoming('no password needed'))).toMatchObject({ cseq: there.cseq, callId: there.callId });
      const back = await bob.core.commands.sendMessage({ to: 'alice', body: 'and back' });
      await bob.waitFor(isDelivery(back.id, 'delivered'));
      await alice.waitFor(isIncoming('and back'));
    } finally {
      await alice.stop();
      await bob.stop();
    }
    expect(await server.rpc('ul.dump')).not.toMatch(/alice|bob/);
    await server.stop();
  });
});
