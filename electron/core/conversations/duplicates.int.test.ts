/**
 * Duplicates bounded in time (issue 11), through the bundled Kamailio: a client (sipp,
 * scenarios/restart-same-ids.xml) sends "hi", the same request again (a resend within the window:
 * absorbed, answered 200), "marker", then restarts and says "hi" again with the same Call-ID,
 * From tag and CSeq: by then the receiver's clock is past the window (moved on when "marker" is
 * shown, before its 200 can reach the client), so that "hi" is a new message and shown. A message
 * the client names with a CPIM/IMDN Message-ID is known by that name under other ids too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import type { Clock } from '../../support/clock.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { runSippClient } from './testing/sipp-client.js';
import { DUPLICATE_WINDOW_MS } from './messaging.js';

/** The case: the restarted client's "hi" came 37 s after the first. */
const RESTART_AFTER_MS = 37_000;

describe('duplicates are bounded in time', () => {
  let server: RunningServer;
  let bob: TestCore;
  /** bob's clock: real time plus a jump the test makes. */
  let skew = 0;
  const clock: Clock = {
    now: () => Date.now() + skew,
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  beforeAll(async () => {
    server = await startKamailio();
    bob = await startCore({
      account: { aor: `sip:bob@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
      clock,
    });
    await bob.waitFor(isRegistration('registered'));
  });
  afterAll(async () => {
    await bob?.stop();
    await server?.stop();
  });

  it('absorbs a resend within the window, shows a restarted client\'s same "hi" after it, and knows a named message by its name', async () => {
    expect(RESTART_AFTER_MS).toBeGreaterThan(DUPLICATE_WINDOW_MS);
    // Synchronous with the event: "marker" is emitted as it is answered, so the clock has moved
    // before the client can have its 200 and send the restarted "hi".
    const unsubscribe = bob.core.subscribe((event) => {
      if (event.type === 'message' && event.body.trim() === 'marker') skew += RESTART_AFTER_MS;
    });
    try {
      await runSippClient(server, 'restart-same-ids.xml', 'bob', 'restarting@elsewhere.test');
    } finally {
      unsubscribe();
    }
    // Every MESSAGE was answered 200 once stored (or absorbed): the last one is on record.
    await bob.waitFor((e) => e.type === 'message' && e.body.trim() === 'the end');
    const shown = bob.events.filter(
      (e): e is ChatMessage & { type: 'message'; seq: number } => e.type === 'message' && e.direction === 'in',
    );
    expect(shown.map((m) => m.body.trim())).toEqual(['hi', 'marker', 'hi', 'named hello', 'the end']);
    const [first, , again] = shown;
    expect([again!.callId, again!.cseq]).toEqual([first!.callId, first!.cseq]);
    expect(again!.at - first!.at).toBeGreaterThanOrEqual(RESTART_AFTER_MS);
    const page = await bob.core.commands.getMessages({ conversationId: first!.conversationId, limit: 100 });
    expect(page.map((m) => m.body.trim())).toEqual(['hi', 'marker', 'hi', 'named hello', 'the end']);
  });
});
