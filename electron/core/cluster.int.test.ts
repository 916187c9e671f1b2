/**
 * Parley against a two-node cluster of the bundled Kamailio (server/cluster/start-cluster.ts) found
 * through DNS SRV (dnsmasq): alice's account names only the domain, whose SRV records give node A
 * first and node B second; bob's proxy is node B. Offline messages stored by one node are handed
 * out by the other, messages and presence cross between the nodes, and when node A is killed
 * alice registers at node B by SRV failover within 5 s, with nothing sent to her lost: a message
 * sent to her as node A dies is relayed through node A (her old registration's Path), stored when
 * that times out, and handed out at her REGISTER a Timer F (and a margin) after the move. Over UDP (node A's
 * death seen by the sentinel) and TCP (the connection closing).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../server/cluster/start-cluster.js';
import { clusterRecords } from '../../server/cluster/srv-records.js';
import { DNSMASQ, startDnsmasq } from '../../server/dnsmasq.js';
import type { RunningServer } from '../../server/kamailio.js';
import type { AccountConfig } from '../../shared/ipc.js';
import { isBuddy, started } from './presence/testing/presence-test-helpers.js';
import { isIncoming, isRegistration, startCore, type TestCore } from '../testing/cores.js';
import { serverUsers, USER_PASSWORD } from '../testing/kamailio-users.js';

const DOMAIN = 'parley.test';
const ALICE = `sip:alice@${DOMAIN}`;
const BOB = `sip:bob@${DOMAIN}`;

describe.skipIf(!DNSMASQ)('a cluster of two Kamailio nodes behind DNS SRV (needs dnsmasq-base, kamailio-sqlite-modules)', () => {
  const running = started();
  let cluster: RunningCluster;
  let nodeA: RunningServer;
  let nodeB: RunningServer;
  let dnsBefore: string | undefined;

  beforeEach(async () => {
    cluster = running.add(await startCluster({ auth: true, users: serverUsers(['alice', 'bob']) }));
    [nodeA, nodeB] = cluster.nodes as [RunningServer, RunningServer];
    const dns = running.add(await startDnsmasq(clusterRecords(DOMAIN, cluster.nodes)));
    // Parley's resolver asks this server (electron/sip/transport/resolver.ts)
    dnsBefore = process.env.PARLEY_DNS_SERVERS;
    process.env.PARLEY_DNS_SERVERS = dns.server;
  });
  afterEach(async () => {
    if (dnsBefore === undefined) delete process.env.PARLEY_DNS_SERVERS;
    else process.env.PARLEY_DNS_SERVERS = dnsBefore;
    await running.stopAll();
  });

  /** A Parley for `user` whose proxy is `proxy`, once registered. */
  async function parley(
    user: string,
    proxy: string,
    options: { presenceMode?: AccountConfig['presenceMode']; transport?: AccountConfig['transport'] } = {},
  ): Promise<TestCore> {
    const { presenceMode, transport = 'udp' } = options;
    const core = running.add(
      await startCore({
        account: { aor: `sip:${user}@${DOMAIN}`, proxy, transport, registerExpires: 600, ...(presenceMode ? { presenceMode } : {}) },
        password: USER_PASSWORD,
      }),
    );
    await core.waitFor(isRegistration('registered'));
    return core;
  }

  it.each(['udp', 'tcp'] as const)(
    'messages, presence and offline messages cross the nodes; alice fails over to node B within 5 s when node A dies (%s)',
    async (transport) => {
      const bob = await parley('bob', nodeB.uri(), { transport });
      // alice is offline: node B stores bob's message in the database the nodes share
      const stored = await bob.core.commands.sendMessage({ to: ALICE, body: 'stored by node B' });
      const storedDelivery = await bob.waitFor((e) => e.type === 'delivery' && e.id === stored.id && e.state !== 'sending');
      expect(storedDelivery).toMatchObject({ state: 'stored' });

      // alice's account names only the domain: SRV gives node A; node A hands out what node B stored
      const alice = await parley('alice', `sip:${DOMAIN}`, { transport });
      await alice.waitFor(isIncoming('stored by node B'));
      expect(await nodeA.rpc('ul.dump')).toMatch(/alice/);
      // node B knows alice's binding too (dmq_usrloc) ...
      expect(await nodeB.rpc('ul.dump')).toMatch(/alice/);

      // ... so messages cross the nodes both ways
      await alice.core.commands.sendMessage({ to: BOB, body: 'hello from node A' });
      await bob.waitFor(isIncoming('hello from node A'));
      await bob.core.commands.sendMessage({ to: ALICE, body: 'hello from node B' });
      await alice.waitFor(isIncoming('hello from node B'));

      // presence both ways (each serves its own, direct mode: node B learns from node A that
      // alice's device answers for her, the htable replicated over DMQ)
      await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
      await alice.core.commands.saveContact({ aor: BOB, groups: [] });
      await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'On node A', activities: [] }, until: 'cleared' });
      await bob.core.commands.setStatus({ view: { availability: 'away', note: 'On node B', activities: [] }, until: 'cleared' });
      await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'busy' && b.view.note === 'On node A'));
      await alice.waitFor(isBuddy(BOB, (b) => b.view?.availability === 'away' && b.view.note === 'On node B'));

      // node A dies
      const before = alice.events.length;
      process.kill(-nodeA.pid, 'SIGKILL');
      const killedAt = Date.now();
      // a message sent to alice meanwhile reaches her (node B has her binding)
      await bob.core.commands.sendMessage({ to: ALICE, body: 'during the failover' });
      await alice.waitFor((e) => isRegistration('retrying')(e) && alice.events.indexOf(e) >= before, 10_000);
      await alice.waitFor((e) => isRegistration('registered')(e) && alice.events.indexOf(e) >= before, 10_000);
      // registered again, and only node B is there to have said 200
      const took = Date.now() - killedAt;
      expect(took).toBeLessThan(5000);
      expect(await nodeA.exited).toBe('SIGKILL');
      // node B relays it through node A, the way to alice it learnt from her REGISTER there: the
      // relay times out, node B stores it, and hands it out at alice's REGISTER after Timer F and a margin
      await alice.waitFor(isIncoming('during the failover'), 60_000);

      // after the failover: both ways through node B, presence too
      await bob.core.commands.sendMessage({ to: ALICE, body: 'after the failover' });
      await alice.waitFor(isIncoming('after the failover'));
      await alice.core.commands.sendMessage({ to: BOB, body: 'still here' });
      await bob.waitFor(isIncoming('still here'));
      const afterMove = bob.events.length;
      await alice.core.commands.setStatus({ view: { availability: 'online', note: 'On node B now', activities: [] }, until: 'cleared' });
      await bob.waitFor((e) => isBuddy(ALICE, (b) => b.view?.note === 'On node B now')(e) && bob.events.indexOf(e) >= afterMove);
    },
    120_000,
  );

  it('what a user PUBLISHes at one node, a watcher at the other sees (presence replicated over DMQ)', async () => {
    const alice = await parley('alice', nodeA.uri(), { presenceMode: 'server' });
    const bob = await parley('bob', nodeB.uri(), { presenceMode: 'server' });
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'Published at node A', activities: [] }, until: 'cleared' });
    // node B's presence server answers bob's SUBSCRIBE with what alice PUBLISHed at node A
    await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'busy' && b.view.note === 'Published at node A'));
    // and each later PUBLISH at node A reaches bob's subscription at node B
    await alice.core.commands.setStatus({ view: { availability: 'away', note: 'Still at node A', activities: [] }, until: 'cleared' });
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'away' && b.view.note === 'Still at node A'));
  });
});
