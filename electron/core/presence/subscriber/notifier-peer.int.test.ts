/**
 * Parley watching a scripted notifier (sipp as carol's device, direct presence relayed by the
 * bundled Kamailio), scenarios/notifier-acts.xml:
 *   - a NOTIFY without expires: the subscription is refreshed in time from the 200's Expires
 *     (the buddy never turns stale);
 *   - terminated;reason=deactivated: Parley subscribes again at once (new Call-ID);
 *   - 481 to a refresh: a new subscription;
 *   - quitting un-SUBSCRIBEs (Expires: 0) in the dialog.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../../../shared/ipc.js';
import { headerOf, isBuddy, presenceWorld, requests, sippDevice } from '../testing/presence-test-helpers.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'notifier-acts.xml');
const CAROL = 'sip:carol@parley.test';

describe('subscribing to a scripted notifier through Kamailio', () => {
  const world = presenceWorld();

  it('refreshes from the 200 Expires, re-subscribes after deactivated and after 481, and un-subscribes on quit', async () => {
    const server = await world.server();
    const sipp = world.add(await sippDevice(server, 'carol', SCENARIO, {}, { calls: 'unlimited', timeoutSeconds: 60 }));
    await server.setPresenceMode('carol', 'direct');

    const parley = await world.parley(server, 'alice');
    await parley.core.commands.saveContact({ aor: CAROL, groups: [] });

    const noteIs = (note: string) => isBuddy(CAROL, (b) => b.subscription === 'active' && b.view?.note === note && !b.stale);
    const first = await parley.waitFor(noteIs('first'));
    const second = await parley.waitFor(noteIs('second'), 20_000);
    await parley.waitFor(noteIs('third'), 20_000);
    // Act 1 only ends after its refresh, so "second" proves the refresh came; timed from the 200's
    // Expires (4 s, the NOTIFY named none), it came before expiry: never stale before "second".
    const between = parley.events.filter((e: SequencedEvent) => e.seq > first.seq && e.seq < second.seq && e.type === 'buddy');
    expect(between.filter((e) => e.type === 'buddy' && e.buddy.stale)).toEqual([]);

    await parley.stop();
    const subscribes = requests(sipp.messages(), 'SUBSCRIBE');
    const callIds = subscribes.map((s) => headerOf(s, 'Call-ID'));
    const toTagged = subscribes.map((s) => /;tag=/.test(headerOf(s, 'To') ?? ''));
    // act 1: initial + refresh; act 2: initial + refresh (481); act 3: initial + un-SUBSCRIBE.
    // In-dialog requests go through the proxy (the 200's Record-Route), so each came once.
    expect(toTagged).toEqual([false, true, false, true, false, true]);
    expect(callIds[1]).toBe(callIds[0]);
    expect(callIds[3]).toBe(callIds[2]);
    expect(callIds[5]).toBe(callIds[4]);
    expect(new Set([callIds[0], callIds[2], callIds[4]]).size).toBe(3);
    expect(subscribes.map((s) => headerOf(s, 'Expires'))).toEqual(['3600', '3600', '3600', '3600', '3600', '0']);
    expect(subscribes.every((s) => headerOf(s, 'Accept') === 'application/pidf+xml' && headerOf(s, 'Event') === 'presence')).toBe(true);
  });
});
