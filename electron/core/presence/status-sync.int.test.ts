/**
 * One status across two Parley devices of one account (alice's laptop and phone) through the
 * bundled Kamailio (docs/DESIGN.md#one-status-across-devices): a status set on the laptop is the
 * phone's too within a second, and bob, who watches alice, sees it from both (each device answers
 * him with its own tuple, and they agree); cleared on the phone, it is cleared on the laptop; a
 * device that was offline takes the change made meanwhile at its next login; a note forged by
 * someone else is refused and changes nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../../shared/ipc.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers, testAccount, USER_PASSWORD } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { rawMessage, statusOf } from '../conversations/testing/raw-sip.js';
import { STATUS_NOTE_TYPE } from './status-sync.js';
import { isBuddy } from './testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';

/** A `status` event after everything `core` has seen so far whose manual status satisfies `test`. */
const nextStatus = (core: TestCore, test: (note: string | undefined) => boolean) => {
  const after = core.events.at(-1)?.seq ?? 0;
  return (e: SequencedEvent) => e.seq > after && e.type === 'status' && test(e.status.manual?.view.note);
};

describe('one status across the devices of one account', () => {
  const env = kamailioWithUsers(['alice', 'bob', 'mallory']);
  let laptop: TestCore;
  let phone: TestCore;
  let bob: TestCore;
  beforeAll(async () => {
    laptop = await env.parley('alice');
    phone = await env.parley('alice');
    bob = await env.parley('bob');
  });

  it('set on the laptop, the phone has it and bob sees it; cleared on the phone, the laptop clears it', { timeout: 60_000 }, async () => {
    await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
    // alice's devices each ask her about bob: allowed on the laptop (the decision is the laptop's own here)
    for (const device of [laptop, phone]) {
      await device.waitFor((e) => e.type === 'watcher' && e.watcher.aor.includes('bob'), 20_000);
      await device.core.commands.answerWatcher({ aor: 'sip:bob@parley.test', decision: 'allow' });
    }
    await bob.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'online'),
      20_000,
    );

    const phoneHears = phone.waitFor(
      nextStatus(phone, (note) => note === 'On a train'),
      5_000,
    );
    await laptop.core.commands.setStatus({ view: { availability: 'away', note: 'On a train', activities: [] }, until: 'cleared' });
    await phoneHears;
    expect((await phone.core.commands.getSnapshot({})).presence.status.manual?.view).toMatchObject({
      availability: 'away',
      note: 'On a train',
    });
    const seen = await bob.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'away'),
      10_000,
    );
    expect(seen.type === 'buddy' && seen.buddy.view?.note).toBe('On a train');

    const laptopHears = laptop.waitFor(
      nextStatus(laptop, (note) => note === undefined),
      5_000,
    );
    await phone.core.commands.clearStatus({});
    await laptopHears;
    expect((await laptop.core.commands.getSnapshot({})).presence.status.manual).toBeNull();
    await bob.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'online'),
      10_000,
    );
  });

  it('a device that was offline takes the change made meanwhile at its next login', { timeout: 60_000 }, async () => {
    const account = testAccount(env.server, 'alice');
    const first = await startCore({ account, password: USER_PASSWORD });
    await first.waitFor(isRegistration('registered'));
    await first.core.stop();
    await laptop.core.commands.setStatus({ view: { availability: 'busy', note: 'Writing', activities: [] }, until: 'cleared' });

    const tablet = env.add(await startCore({ account, password: USER_PASSWORD, dataDir: first.dataDir }));
    await tablet.waitFor((e) => e.type === 'status' && e.status.manual?.view.note === 'Writing', 30_000);
    expect((await tablet.core.commands.getSnapshot({})).presence.status.manual?.view.availability).toBe('busy');
  });

  it(
    'a status note sent straight to a device, not through alice’s server, is refused and changes nothing',
    { timeout: 30_000 },
    async () => {
      const mallory = await UdpPeer.open();
      try {
        const before = (await phone.core.commands.getSnapshot({})).presence.status;
        const phoneUdp = (await phone.core.commands.getSnapshot({})).listening.find((l) => l.transport === 'udp')!;
        const manual = { view: { availability: 'offline', activities: [] }, until: 'cleared', setAt: Date.now() };
        const forged = rawMessage({
          port: env.server.port,
          from: ALICE,
          to: ALICE,
          contentType: STATUS_NOTE_TYPE,
          body: Buffer.from(JSON.stringify({ v: 1, manual, changedAt: Date.now() + 60_000 })),
        });
        await mallory.send(forged, phoneUdp.port);
        let answer = '';
        while (!(statusOf(answer) ?? 0)) answer = await mallory.next(10_000);
        expect(answer).toMatch(/^SIP\/2\.0 403 /);
        expect((await phone.core.commands.getSnapshot({})).presence.status).toEqual(before);
      } finally {
        await mallory.close();
      }
    },
  );
});
