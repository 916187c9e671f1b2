/**
 * Watching the whole contact list with one subscription (RFC 4662; docs/DESIGN.md#resource-lists):
 * real Parley cores and the bundled Kamailio with its resource list server. alice keeps her list on
 * the server (XCAP); her buddies' states reach her through the list's multipart NOTIFYs, first the
 * full state and then a change; a list whose full state the server splits over several NOTIFYs
 * is covered whole; against a server without RLS every buddy is watched by itself.
 */
import { describe, expect, it } from 'vitest';
import { seedContacts } from '../../../../bench/lib/presence-bench.js';
import type { RunningServer } from '../../../../server/kamailio.js';
import type { BuddyPresence } from '../../../../shared/domain/presence.js';
import type { AccountConfig } from '../../../../shared/ipc.js';
import { putContactList } from '../../../sip/testing/contact-list-on-server.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import type { Logger } from '../../../support/logger.js';
import { isRegistration, startCore, tempDir, type TestCore } from '../../../testing/cores.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const BOB = 'sip:bob@parley.test';
const CAROL = 'sip:carol@parley.test';

/** A logger that keeps the AORs of the buddy documents that came through the resource list. */
function listLog(): { logger: Logger; listed: string[] } {
  const listed: string[] = [];
  const ignore = () => {};
  return {
    listed,
    logger: {
      debug: (message, fields) => {
        if (message === 'resource list document') listed.push(String(fields?.aor));
      },
      info: ignore,
      warn: ignore,
      error: ignore,
    },
  };
}

describe('resource lists', () => {
  const world = presenceWorld();

  async function alice(server: RunningServer, logger: Logger, dataDir?: string): Promise<TestCore> {
    const account: AccountConfig = {
      aor: `sip:alice@${server.domain}`,
      proxy: server.uri(),
      transport: 'udp',
      registerExpires: 600,
      xcapRoot: server.xcapRoot(),
    };
    const core = world.add(await startCore({ account, logger, ...(dataDir ? { dataDir } : {}) }));
    await core.waitFor(isRegistration('registered'));
    return core;
  }

  it('one SUBSCRIBE for the list: full state, then a change, reach the buddy list', async () => {
    const server = await world.server();
    const bob = await world.parley(server, 'bob', { presenceMode: 'server' });
    await bob.core.commands.setStatus({ view: { availability: 'busy', note: 'In a meeting', activities: [] }, until: 'cleared' });

    const log = listLog();
    const parley = await alice(server, log.logger);
    await parley.core.commands.saveContact({ aor: BOB, groups: [] });
    await parley.core.commands.saveContact({ aor: CAROL, groups: [] });

    await parley.waitFor(
      isBuddy(BOB, (b) => b.view?.note === 'In a meeting'),
      30_000,
    );
    await expect.poll(() => log.listed.includes(BOB), { timeout: 30_000 }).toBe(true);
    // carol never published: covered by the list, she shows no state (and is not watched by herself)
    const count = log.listed.length;

    await bob.core.commands.setStatus({ view: { availability: 'online', note: 'Back', activities: [] }, until: 'cleared' });
    await parley.waitFor(
      isBuddy(BOB, (b) => b.view?.note === 'Back' && b.subscription === 'active'),
      30_000,
    );
    expect(log.listed.length).toBeGreaterThan(count);
    expect(log.listed.slice(count)).toContain(BOB);
  });

  it('covers every member of a list whose full state the server splits over several NOTIFYs', async () => {
    // The bundled server sends a full state in NOTIFYs of at most 60,000 bytes, some 1,000
    // resources each before their documents come: 2,500 members take three, the first of them
    // fullState="true" and the rest partial. None of the members may be watched by itself.
    const members = Array.from({ length: 2500 }, (_, n) => `sip:member${n}@parley.test`);
    const lines: string[] = [];
    const server = await world.server({ tcpReadBufferBytes: 1024 * 1024, onLog: (line) => lines.push(line) });
    const owner = `sip:alice@${server.domain}`;
    // the list on the server (as another of alice's devices left it) and in alice's database
    const xcap = new XcapClient({ root: server.xcapRoot(), xui: owner });
    const contacts = members.map((aor) => ({ aor, groups: [] }));
    await putContactList(xcap, owner, { groups: [], contacts });
    const dataDir = tempDir();
    seedContacts(dataDir, members.length, (n) => members[n]!);

    const parley = await alice(server, listLog().logger, dataDir);
    const active = () => {
      const state = new Map<string, BuddyPresence['subscription']>();
      for (const event of parley.events) if (event.type === 'buddy') state.set(event.buddy.aor, event.buddy.subscription);
      return members.filter((aor) => state.get(aor) === 'active').length;
    };
    await expect.poll(active, { timeout: 60_000, interval: 250 }).toBe(members.length);
    // the presence server NOTIFYs alice's own device only for subscriptions alice made herself
    // (the list's come through the resource list server, sip:rls@...)
    const own = lines.filter((line) => /NOTIFY sip:alice@\S+ via (?!sip:rls@)\S+ on behalf of sip:member/.test(line));
    expect(own).toEqual([]);
  });

  it('falls back to one subscription per buddy where the server has no resource list server', async () => {
    const server = await world.server({ rls: false });
    const bob = await world.parley(server, 'bob', { presenceMode: 'server' });
    await bob.core.commands.setStatus({ view: { availability: 'busy', note: 'Elsewhere', activities: [] }, until: 'cleared' });

    const log = listLog();
    const parley = await alice(server, log.logger);
    await parley.core.commands.saveContact({ aor: BOB, groups: [] });
    await parley.waitFor(
      isBuddy(BOB, (b) => b.view?.note === 'Elsewhere' && b.subscription === 'active'),
      30_000,
    );
    expect(log.listed).toEqual([]);
  });
});
