/**
 * Kamailio killed and restarted: Parley notices (connection closed, the server's UDP port closed, or keep-alives unanswered),
 * says it is reconnecting, and is registered again within 5 s of the server coming back,
 * without user action.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { wordReason } from '../../shared/words/word-reason.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { freePort } from '../../server/free-port.js';
import { isRegistration, startCore, type TestCore } from '../testing/cores.js';

const users = [{ user: 'alice', password: 'secret' }];

describe('reconnection after a server restart', () => {
  let server: RunningServer | undefined;
  let parley: TestCore | undefined;
  afterEach(async () => {
    await parley?.stop();
    await server?.stop();
  });

  for (const transport of ['tcp', 'udp'] as const) {
    it(`registers again within 5 s of the server coming back (${transport})`, async () => {
      const port = await freePort();
      server = await startKamailio({ auth: true, users, port });
      parley = await startCore({
        account: { aor: 'sip:alice@parley.test', proxy: server.uri(), transport, registerExpires: 600 },
        password: 'secret',
        // Default keep-alive timing: over TCP the connection closes; over UDP the sentinel sees the
        // server's port closed.
      });
      await parley.waitFor(isRegistration('registered'));
      const before = parley.events.length;

      await server.stop();
      const lost = await parley.waitFor(
        (e) => e.type === 'registration' && e.state === 'retrying' && parley!.events.indexOf(e) >= before,
        15_000,
      );
      expect(lost).toMatchObject({ reason: { code: expect.stringMatching(/^(connection|connect|register)\./) } });
      expect(lost.type === 'registration' && wordReason(lost.reason!)).toMatch(/lost|answer|reach/i);

      const afterLoss = parley.events.length;
      server = await startKamailio({ auth: true, users, port });
      const back = Date.now();
      await parley.waitFor((e) => e.type === 'registration' && e.state === 'registered' && parley!.events.indexOf(e) >= afterLoss, 10_000);
      const took = Date.now() - back;
      expect(took).toBeLessThan(5000);
      // The new server really has the binding.
      expect(await server.rpc('ul.dump')).toMatch(/alice/);
    });
  }

  it('over UDP notices a quick restart it never saw go down (the registrar forgot us) and registers again', async () => {
    const port = await freePort();
    server = await startKamailio({ auth: true, users, port });
    parley = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      password: 'secret',
      // Noticed within one probe interval (5 min by default; 2 s here to keep the test short).
      keepAlive: { intervalMs: 2000 },
    });
    await parley.waitFor(isRegistration('registered'));
    const registeredCount = () => parley!.events.filter(isRegistration('registered')).length;
    const before = registeredCount();
    await server.stop();
    server = await startKamailio({ auth: true, users, port });
    const back = Date.now();
    expect(await server.rpc('ul.dump')).not.toMatch(/alice/);
    await parley.waitFor((e) => isRegistration('registered')(e) && registeredCount() > before, 10_000);
    expect(Date.now() - back).toBeLessThan(5000);
    expect(await server.rpc('ul.dump')).toMatch(/alice/);
  });

  it('waking from sleep or a network change registers again without user action', async () => {
    server = await startKamailio({ auth: true, users });
    parley = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: server.uri(), transport: 'tcp', registerExpires: 600 },
      password: 'secret',
    });
    await parley.waitFor(isRegistration('registered'));
    const registeredCount = () => parley!.events.filter(isRegistration('registered')).length;
    const before = registeredCount();
    parley.core.onResume?.();
    await parley.waitFor((e) => isRegistration('registered')(e) && registeredCount() > before);
    const afterResume = registeredCount();
    await parley.core.onNetworkChange?.();
    await parley.waitFor((e) => isRegistration('registered')(e) && registeredCount() > afterResume);
    expect(await server.rpc('ul.dump')).toMatch(/alice/);
  });
});
