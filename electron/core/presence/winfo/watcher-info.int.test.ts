/**
 * Watcher information in server mode: a watcher (sipp) subscribing to Parley's presence at the
 * bundled Kamailio receives the state Parley published, and Parley learns of that watcher through
 * its presence.winfo subscription: it appears as a pending watcher (source 'server').
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { presenceWorld } from '../testing/presence-test-helpers.js';
import { startSipp } from '../../../testing/sipp.js';

const SCENARIO = path.join(import.meta.dirname, 'scenarios', 'presence-watcher.xml');

describe('watcher information (presence.winfo) in server mode', () => {
  const world = presenceWorld();

  it('a watcher at the server gets what Parley published and appears in Parley as pending', async () => {
    const server = await world.server();
    const parley = await world.parley(server, 'alice', { presenceMode: 'server' });
    await parley.core.commands.setStatus({ view: { availability: 'away', note: 'Back at three', activities: [] }, until: 'cleared' });

    const sipp = world.add(
      await startSipp({
        target: `${server.host}:${server.port}`,
        scenario: SCENARIO,
        service: 'alice',
        keys: { watcher: 'carol', domain: server.domain, expect: 'Back at three' },
        timeoutSeconds: 20,
        trace: true,
      }),
    );
    expect(await sipp.program.exited, sipp.program.output()).toBe(0);
    const notify = sipp.messages().find((m) => m.includes('NOTIFY sip:') && m.includes('Back at three'));
    expect(notify).toMatch(/<rpid:away\/>/);

    const seen = await parley.waitFor((e) => e.type === 'watcher' && e.watcher.aor === 'sip:carol@parley.test');
    expect(seen.type === 'watcher' && seen.watcher).toMatchObject({ status: 'pending', source: 'server', subscribed: true });
    const snapshot = await parley.core.commands.getSnapshot({});
    expect(snapshot.presence.watchers).toEqual([
      expect.objectContaining({ aor: 'sip:carol@parley.test', status: 'pending', source: 'server' }),
    ]);
  });
});
