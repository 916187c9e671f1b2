/**
 * Presence between Parley and linphonec (liblinphone 5.1) through the bundled Kamailio.
 *  - linphonec watching Parley: Parley registers as serving its own presence, so Kamailio relays
 *    linphonec's SUBSCRIBE to Parley. An unknown watcher sees Offline until allowed, then Parley's
 *    state as liblinphone reads it from our PIDF/RPID, and Offline again once blocked.
 *  - Parley watching linphonec: linphonec PUBLISHes to Kamailio's presence server, which notifies
 *    Parley (linphonec has no command to pick a state: it publishes "online" while it runs; on quit
 *    it leaves its publication to expire, so "offline" comes only when the server lets it go).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../server/free-port.js';
import { startKamailio, type RunningServer } from '../../../../server/kamailio.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import { startLinphonec, type RunningLinphonec } from '../../../testing/linphonec.js';

const users = [
  { user: 'alice', password: 'secret' },
  { user: 'carol', password: 'secret' },
];

describe('linphonec watching Parley', () => {
  let server: RunningServer;
  let alice: TestCore;
  let carol: RunningLinphonec;
  beforeAll(async () => {
    server = await startKamailio({ auth: true, users, port: await freePort() });
    alice = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
    await alice.waitFor(isRegistration('registered'));
    carol = await startLinphonec({ user: 'carol', password: 'secret', domain: server.domain, proxy: server.uri() });
  });
  afterAll(async () => {
    await carol?.stop();
    await alice?.stop();
    await server?.stop();
  });

  it('sees Offline while pending, Busy once allowed, Offline again once blocked', async () => {
    // linphonec subscribes through its proxy, so it must be registered there first.
    await expect.poll(async () => server.rpc('ul.dump'), { timeout: 15_000, interval: 200 }).toMatch(/carol/);
    const friend = (state: string) => new RegExp(`Friend "alice" <sip:alice@parley\\.test> is ${state}$`);
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'in a meeting', activities: [] }, until: 'cleared' });
    carol.send('friend add alice sip:alice@parley.test');

    const asked = await alice.waitFor((e) => e.type === 'watcher' && e.watcher.aor === 'sip:carol@parley.test');
    expect(asked).toMatchObject({ watcher: { status: 'pending', source: 'direct', subscribed: true } });
    const pendingFrom = carol.program.lines.length;
    await carol.program.waitForLine(friend('Offline'));

    await alice.core.commands.answerWatcher({ aor: 'sip:carol@parley.test', decision: 'allow' });
    await carol.program.waitForLine(friend('Busy'), { from: pendingFrom });
    const allowedFrom = carol.program.lines.length;

    await alice.core.commands.answerWatcher({ aor: 'sip:carol@parley.test', decision: 'block' });
    await carol.program.waitForLine(friend('Offline'), { from: allowedFrom });
  });
});

describe('Parley watching linphonec', () => {
  let server: RunningServer;
  let alice: TestCore;
  let dave: RunningLinphonec;
  beforeAll(async () => {
    server = await startKamailio({ auth: true, users: [...users, { user: 'dave', password: 'secret' }], port: await freePort() });
    dave = await startLinphonec({ user: 'dave', password: 'secret', domain: server.domain, proxy: server.uri(), publish: true });
    alice = await startCore({
      account: { aor: 'sip:alice@parley.test', proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
    await alice.waitFor(isRegistration('registered'));
  });
  afterAll(async () => {
    await dave?.stop();
    await alice?.stop();
    await server?.stop();
  });

  it('shows linphonec online, from its PUBLISH as Kamailio composes it', async () => {
    const buddy = (availability: string) => (e: Parameters<Parameters<TestCore['waitFor']>[0]>[0]) =>
      e.type === 'buddy' &&
      e.buddy.aor === 'sip:dave@parley.test' &&
      e.buddy.subscription === 'active' &&
      e.buddy.view?.availability === availability;
    await alice.core.commands.saveContact({ aor: 'sip:dave@parley.test', groups: [] });
    const seen = await alice.waitFor(buddy('online'));
    expect(seen).toMatchObject({ buddy: { stale: false } });
  });
});
