/**
 * A peer (sipp, scenarios/cseq-restart.xml) that keeps one Call-ID and From tag and restarts its
 * CSeq at 1 after a pause, through the bundled Kamailio: every MESSAGE is answered 200 and
 * stored once, in one window, in the order it was sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { runSippClient } from './testing/sipp-client.js';

describe('a peer that restarts its CSeq on the same Call-ID', () => {
  let server: RunningServer;
  let bob: TestCore;
  beforeAll(async () => {
    server = await startKamailio({ auth: true, users: [{ user: 'bob', password: 'secret' }] });
    bob = await startCore({
      account: { aor: `sip:bob@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
    await bob.waitFor(isRegistration('registered'));
  });
  afterAll(async () => {
    await bob?.stop();
    await server?.stop();
  });

  it('gets every message, once, in send order', async () => {
    await runSippClient(server, 'cseq-restart.xml', 'bob', 'sipp@elsewhere.test');
    // sipp ends each body with a line break.
    await bob.waitFor((e) => e.type === 'message' && e.body.trim() === 'second run two');
    const got = bob.events.filter((e): e is ChatMessage & { type: 'message'; seq: number } => e.type === 'message' && e.direction === 'in');
    const bodies = ['first run one', 'first run two', 'first run three', 'second run one', 'second run two'];
    expect(got.map((m) => m.body.trim())).toEqual(bodies);
    expect(new Set(got.map((m) => m.conversationId)).size).toBe(1);
    expect(new Set(got.map((m) => m.callId)).size).toBe(1);
    expect(got.map((m) => m.cseq)).toEqual([1, 2, 3, 1, 2]);
    const page = await bob.core.commands.getMessages({ conversationId: got[0]!.conversationId, limit: 100 });
    expect(page.map((m) => m.body.trim())).toEqual(bodies);
  });
});
