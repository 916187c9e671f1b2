/**
 * Presence from registration (docs/DESIGN.md#presence-from-registration): dave's client only
 * REGISTERs (sipp, no PUBLISH); the bundled Kamailio, told dave is such a user, derives his
 * presence from his registration (pua_usrloc), and Parley watching him shows him online while he
 * is registered and offline once he unregisters.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import { startSipp } from '../../../testing/sipp.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'register-only.xml');
const DAVE = 'sip:dave@parley.test';

/** dave's REGISTER-only client: one REGISTER of `contact` with `expires`. */
async function registerDave(server: RunningServer, contact: string, expires: number): Promise<void> {
  const sipp = await startSipp({
    name: 'register-only client',
    target: `${server.host}:${server.port}`,
    scenario: SCENARIO,
    timeoutSeconds: 10,
    keys: { user: 'dave', domain: server.domain, contact, expires: String(expires) },
  });
  try {
    expect(await sipp.program.exited, sipp.program.output()).toBe(0);
  } finally {
    await sipp.stop();
  }
}

describe('presence derived from registration', () => {
  const world = presenceWorld();

  it('shows a REGISTER-only client online while registered and offline once it unregisters', async () => {
    const server = await world.server();
    await server.setPresenceMode('dave', 'registration');
    const alice = await world.parley(server, 'alice');
    await alice.core.commands.saveContact({ aor: DAVE, groups: [] });
    const before = await alice.waitFor(isBuddy(DAVE, (b) => b.subscription === 'active'));
    expect(before.type === 'buddy' && before.buddy.view?.availability).not.toBe('online');

    const contact = 'sip:dave@127.0.0.1:5999';
    await registerDave(server, contact, 600);
    await alice.waitFor(isBuddy(DAVE, (b) => b.view?.availability === 'online'));

    await registerDave(server, contact, 0);
    await alice.waitFor(isBuddy(DAVE, (b) => b.view?.availability === 'offline'));
  });
});
