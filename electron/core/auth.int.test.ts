/**
 * Digest against the bundled Kamailio: SHA-256 challenges (RFC 8760) are answered, and
 * credentials the proxy accepted are reused so the next MESSAGE is not challenged again —
 * visible at the receiver: a challenged MESSAGE arrives with CSeq + 1, a pre-authorised one
 * with the CSeq its window took. (Which request of alice's is challenged first depends on what
 * she sends at login: the watcher-info SUBSCRIBE may be.)
 */
import { afterAll, describe, expect, it } from 'vitest';
import { wordReason } from '../../shared/words/word-reason.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../testing/cores.js';

const users = [
  { user: 'alice', password: 'secret' },
  { user: 'bob', password: 'secret' },
];

/** alice and bob, each a core registered at `server` over UDP; added to `cores` for clean-up. */
async function registeredPair(server: RunningServer, cores: TestCore[]): Promise<{ alice: TestCore; bob: TestCore }> {
  const account = (user: string) => ({
    aor: `sip:${user}@${server.domain}`,
    proxy: server.uri(),
    transport: 'udp' as const,
    registerExpires: 600,
  });
  const alice = await startCore({ account: account('alice'), password: 'secret' });
  const bob = await startCore({ account: account('bob'), password: 'secret' });
  cores.push(alice, bob);
  await alice.waitFor(isRegistration('registered'));
  await bob.waitFor(isRegistration('registered'));
  return { alice, bob };
}

for (const algorithm of ['SHA-256', 'MD5'] as const) {
  describe(`digest ${algorithm} with the bundled Kamailio`, () => {
    let server: RunningServer;
    const cores: TestCore[] = [];
    afterAll(async () => {
      await Promise.all(cores.map((c) => c.stop()));
      await server?.stop();
    });

    it('registers, and reuses the proxy credentials for the next MESSAGE', async () => {
      server = await startKamailio({ auth: true, authAlgorithm: algorithm, users });
      const { alice, bob } = await registeredPair(server, cores);

      const first = await alice.core.commands.sendMessage({ to: `sip:bob@${server.domain}`, body: 'first' });
      await alice.waitFor(isDelivery(first.id, 'delivered'));
      const second = await alice.core.commands.sendMessage({ to: `sip:bob@${server.domain}`, body: 'second' });
      await alice.waitFor(isDelivery(second.id, 'delivered'));
      const got1 = await bob.waitFor(isIncoming('first'));
      const got2 = await bob.waitFor(isIncoming('second'));
      // The first went out unsigned, was challenged (407) and resent with CSeq + 1; or it went out
      // signed already, when alice's watcher-info SUBSCRIBE at login was challenged before it
      // (the proxy's credentials are cached from any request).
      if (got1.type !== 'message') throw new Error('not a message');
      expect([first.cseq, first.cseq + 1]).toContain(got1.cseq);
      // The second was signed before sending with the cached credentials: no challenge, no bump.
      expect(got2.type === 'message' && got2.cseq).toBe(second.cseq);
      expect(second.cseq).toBeGreaterThan(first.cseq + 1);
    });

    it('a wrong password is still a clear failure', async () => {
      const wrong = await startCore({
        account: { aor: `sip:alice@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
        password: 'nope',
      });
      cores.push(wrong);
      const failed = await wrong.waitFor(isRegistration('failed'));
      expect(failed).toMatchObject({ reason: { code: 'register.bad-password', params: { user: 'alice' } } });
      expect(failed.type === 'registration' && wordReason(failed.reason!)).toMatch(/refused the password/);
    });
  });
}

describe('a stale nonce (RFC 2617 stale=true)', () => {
  let server: RunningServer;
  const cores: TestCore[] = [];
  afterAll(async () => {
    await Promise.all(cores.map((c) => c.stop()));
    await server?.stop();
  });

  it('is answered again with the new nonce, without failing the message or the registration', async () => {
    server = await startKamailio({ auth: true, users, nonceExpire: 1 });
    const { alice, bob } = await registeredPair(server, cores);
    const first = await alice.core.commands.sendMessage({ to: `sip:bob@${server.domain}`, body: 'fresh' });
    await alice.waitFor(isDelivery(first.id, 'delivered'));
    // The cached nonce must go stale on the server's clock: there is no event to wait for.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const second = await alice.core.commands.sendMessage({ to: `sip:bob@${server.domain}`, body: 'after the nonce expired' });
    await alice.waitFor(isDelivery(second.id, 'delivered'));
    const got = await bob.waitFor(isIncoming('after the nonce expired'));
    // Sent with the stale cached credentials, challenged with stale=true, resent once with CSeq + 1.
    expect(got.type === 'message' && got.cseq).toBe(second.cseq + 1);
    expect(alice.events.some((e) => e.type === 'registration' && e.state === 'failed')).toBe(false);
  });
});
