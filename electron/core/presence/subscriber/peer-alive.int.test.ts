/**
 * A buddy who is offline: the server holds our SUBSCRIBE (docs/DESIGN.md#held-subscriptions); a
 * MESSAGE from them shows they are back, and the held subscription is refreshed at once
 * (PresenceSubscriber.peerIsAlive): the server answers 481, and the new SUBSCRIBE reaches their
 * device. The core runs on a clock whose long timers (1 s and more) are stretched a thousandfold,
 * so no refresh or back-off can fire during the test: only the MESSAGE can bring the device's state.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../support/clock.js';
import { rawMessage } from '../../conversations/testing/raw-sip.js';
import { UdpPeer } from '../../../sip/testing/raw-peers.js';
import { isBuddy, presenceWorld, sippDevice } from '../testing/presence-test-helpers.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'presence-device.xml');
const CAROL = 'sip:carol@parley.test';
const MAX_TIMER_MS = 2 ** 31 - 1;

const stretched: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms >= 1000 ? Math.min(ms * 1000, MAX_TIMER_MS) : ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

describe('retry at once when the buddy shows signs of life', () => {
  const world = presenceWorld();

  it('a MESSAGE from a buddy whose subscription is retrying re-subscribes at once', async () => {
    const server = await world.server();
    await server.setPresenceMode('carol', 'direct');
    const parley = await world.parley(server, 'bob', { clock: stretched });
    await parley.core.commands.saveContact({ aor: CAROL, groups: [] });
    // carol has no device registered: Kamailio holds the SUBSCRIBE itself (active, no state yet).
    const held = await parley.waitFor(isBuddy(CAROL, (b) => b.subscription === 'active'));
    expect(held).toMatchObject({ buddy: { view: null } });

    const device = world.add(
      await sippDevice(
        server,
        'carol',
        SCENARIO,
        { device: 'laptop', tuple: '<note>Back online</note>', person: '' },
        { timeoutSeconds: 30 },
      ),
    );

    const udp = await UdpPeer.open();
    world.add({ stop: () => udp.close() });
    await udp.send(
      rawMessage({ port: udp.port, from: CAROL, to: 'sip:bob@parley.test', contentType: 'text/plain', body: Buffer.from('I am back') }),
      server.port,
      server.host,
    );
    const back = await parley.waitFor(isBuddy(CAROL, (b) => b.subscription === 'active' && b.view?.note === 'Back online'));
    expect(back.type === 'buddy' && back.buddy.view?.availability).toBe('online');

    // Quit while carol's device is still there: it takes the un-SUBSCRIBE and its final NOTIFY is
    // answered 200 (the scenario fails on anything else). Left to the clean-up, the device would be
    // gone first and the un-SUBSCRIBE wait for the proxy's timeout on this stretched clock.
    await parley.stop();
    expect(await device.program.exited, device.program.output()).toBe(0);
  });
});
