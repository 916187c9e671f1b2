/**
 * PUBLISH against a scripted presence server (sipp): the publication is refreshed with
 * SIP-If-Match before the granted Expires runs out, a 412 (the server forgot the entity tag) is
 * answered with a fresh PUBLISH carrying the state, a change is sent as a modify, and quitting
 * removes the publication (Expires: 0 with the current tag).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../../server/free-port.js';
import { waitFor } from '../../../sip/testing/raw-peers.js';
import { isRegistration, startCore } from '../../../testing/cores.js';
import { headerOf, requests, presenceWorld } from '../testing/presence-test-helpers.js';
import { startSipp } from '../../../testing/sipp.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'fake-presence-server.xml');

describe('PUBLISH entity tags (RFC 3903)', () => {
  const world = presenceWorld();

  it('refreshes with If-Match before expiry, recovers from 412 with a fresh PUBLISH, modifies, and removes on quit', async () => {
    const port = await freePort();
    // No need to wait for sipp's socket: Parley retransmits its REGISTER over UDP until answered.
    const sipp = world.add(await startSipp({ scenario: SCENARIO, port, calls: 'unlimited', timeoutSeconds: 60, trace: true }));
    const parley = world.add(
      await startCore({
        account: {
          aor: 'sip:alice@parley.test',
          proxy: `sip:127.0.0.1:${port}`,
          transport: 'udp',
          presenceMode: 'server',
          registerExpires: 600,
        },
      }),
    );
    await parley.waitFor(isRegistration('registered'));
    const publishes = () => requests(sipp.messages(), 'PUBLISH');

    // initial (etag-1, 3 s) -> refresh with If-Match etag-1 -> 412 -> fresh PUBLISH -> etag-2
    await waitFor(() => publishes().length >= 3, 15_000, 'three PUBLISHes');
    const [initial, refresh, fresh] = publishes();
    expect(headerOf(initial!, 'SIP-If-Match')).toBeUndefined();
    expect(initial).toContain('<basic>open</basic>');
    expect(headerOf(refresh!, 'SIP-If-Match')).toBe('etag-1');
    expect(headerOf(refresh!, 'Content-Length')).toBe('0');
    expect(headerOf(fresh!, 'SIP-If-Match')).toBeUndefined();
    expect(fresh).toContain('<basic>open</basic>');

    await parley.core.commands.setStatus({ view: { availability: 'busy', note: 'On a call', activities: [] }, until: 'cleared' });
    await waitFor(() => publishes().length >= 4, 5000, 'the modify');
    const modify = publishes()[3]!;
    expect(headerOf(modify, 'SIP-If-Match')).toBe('etag-2');
    expect(modify).toContain('On a call');
    expect(modify).toContain('<rpid:busy/>');

    await parley.stop();
    const remove = publishes()[4];
    expect(remove).toBeDefined();
    expect(headerOf(remove!, 'SIP-If-Match')).toBe('etag-2');
    expect(headerOf(remove!, 'Expires')).toBe('0');
    expect(publishes()).toHaveLength(5);
  });
});
