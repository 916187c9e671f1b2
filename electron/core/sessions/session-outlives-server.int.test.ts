/**
 * Once a session is open its messages and typing notifications go between the two Parleys alone:
 * with the bundled Kamailio stopped, paging mode could carry nothing, and the session still does.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SequencedEvent } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { freePort } from '../../../server/free-port.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';

let server: RunningServer | undefined;
const started: TestCore[] = [];

afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
});

async function parley(user: string): Promise<TestCore> {
  const core = await startCore({
    account: { aor: `sip:${user}@${server!.domain}`, proxy: server!.uri(), transport: 'udp', registerExpires: 600 },
    password: 'secret',
  });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  return core;
}

describe('a session without the server', () => {
  it('carries messages and typing both ways after Kamailio stopped', async () => {
    server = await startKamailio({
      auth: true,
      users: ['alice', 'bob'].map((user) => ({ user, password: 'secret' })),
      port: await freePort(),
    });
    const alice = await parley('alice');
    const bob = await parley('bob');
    await alice.core.commands.setChatSettings({ preferSessionMode: true });
    const first = await alice.core.commands.sendMessage({ to: 'bob', body: 'opening' });
    await alice.waitFor(isDelivery(first.id, 'delivered'));
    const got = (await bob.waitFor(isIncoming('opening'))) as unknown as ChatMessage;

    await server.stop();
    server = undefined;

    expect(await bob.core.commands.setComposing({ conversationId: got.conversationId, active: true })).toEqual({ sent: true });
    await alice.waitFor((e: SequencedEvent) => e.type === 'composing' && e.conversationId === first.conversationId && e.active);
    const reply = await bob.core.commands.sendMessage({ to: 'alice', body: 'no server needed' });
    await bob.waitFor(isDelivery(reply.id, 'delivered'));
    await alice.waitFor(isIncoming('no server needed'));
    // Bob's message ended his typing at alice's, as in paging mode.
    await alice.waitFor((e: SequencedEvent) => e.type === 'composing' && e.conversationId === first.conversationId && !e.active);
    const more = await alice.core.commands.sendMessage({ to: 'bob', body: 'still here' });
    await alice.waitFor(isDelivery(more.id, 'delivered'));
    await bob.waitFor(isIncoming('still here'));
  });
});
