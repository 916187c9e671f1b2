/**
 * The contact list on the server (docs/DESIGN.md#the-contact-list-on-the-server), with real
 * Parley cores (each with its own data directory, as two devices or a reinstall) and the bundled
 * Kamailio's XCAP server with digest auth: a list written by one device is read by another of the
 * same account; edits made on two devices from the same version are merged through the ETag
 * (If-Match, 412, re-read); a hostile document on the server changes nothing local.
 */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import type { AccountConfig, SequencedEvent } from '../../../../shared/ipc.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import { decodeResourceLists, RESOURCE_LISTS_CONTENT_TYPE, type ContactList } from '../../../sip/xcap/resource-lists.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { presenceWorld } from '../testing/presence-test-helpers.js';

const PASSWORD = 'alice-secret';
const BOB = 'sip:bob@parley.test';
const CAROL = 'sip:carol@parley.test';

function account(server: RunningServer): AccountConfig {
  return { aor: `sip:alice@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600, xcapRoot: server.xcapRoot() };
}

/** alice's document as the server has it now (read with her credentials). */
async function serverList(server: RunningServer): Promise<ContactList | undefined> {
  const client = new XcapClient({ root: server.xcapRoot(), xui: `sip:alice@${server.domain}`, username: 'alice', password: PASSWORD });
  const read = await client.get('resource-lists');
  return read.found ? decodeResourceLists(read.body) : undefined;
}

const rosterWith = (test: (contacts: ContactList['contacts']) => boolean) => (event: SequencedEvent) =>
  event.type === 'roster' && test(event.contacts);

describe('the contact list on the server (XCAP)', () => {
  const world = presenceWorld();

  async function device(server: RunningServer): Promise<TestCore> {
    const core = world.add(await startCore({ account: account(server), password: PASSWORD }));
    await core.waitFor(isRegistration('registered'));
    return core;
  }

  const authServer = () =>
    world.server({
      auth: true,
      users: [
        { user: 'alice', password: PASSWORD },
        { user: 'bob', password: 'x' },
      ],
    });

  it('a list written by one device is read by another device of the same account', async () => {
    const server = await authServer();
    const first = await device(server);
    await first.core.commands.saveGroup({ id: 'friends', name: 'Friends' });
    await first.core.commands.saveContact({ aor: BOB, name: 'Bob', groups: ['friends'] });
    await first.core.commands.saveContact({ aor: CAROL, groups: [] });
    await expect.poll(async () => (await serverList(server))?.contacts.length, { timeout: 15_000 }).toBe(2);

    const second = await device(server);
    await second.waitFor(rosterWith((contacts) => contacts.length === 2));
    const snapshot = await second.core.commands.getSnapshot({});
    expect(snapshot.presence.groups).toEqual([{ id: 'friends', name: 'Friends' }]);
    expect(snapshot.presence.contacts.find((c) => c.aor === BOB)).toEqual({ aor: BOB, name: 'Bob', groups: ['friends'] });
    expect(snapshot.presence.contacts.map((c) => c.aor).sort()).toEqual([BOB, CAROL]);
  });

  it('edits made on two devices from the same version are both kept (If-Match, 412, merge)', async () => {
    const server = await authServer();
    const first = await device(server);
    await first.core.commands.saveContact({ aor: BOB, name: 'Bob', groups: [] });
    await expect.poll(async () => (await serverList(server))?.contacts.length, { timeout: 15_000 }).toBe(1);
    const second = await device(server);
    await second.waitFor(rosterWith((contacts) => contacts.some((c) => c.aor === BOB)));

    // both now hold the same version; the first renames bob, then the second (still on the old
    // version, which it writes over) adds carol: its write is refused, it reads the first's, merges
    await first.core.commands.saveContact({ aor: BOB, name: 'Robert', groups: [] });
    await expect.poll(async () => (await serverList(server))?.contacts[0]?.name, { timeout: 15_000 }).toBe('Robert');
    await second.core.commands.saveContact({ aor: CAROL, name: 'Carol', groups: [] });

    await expect
      .poll(async () => (await serverList(server))?.contacts.map((c) => `${c.aor}=${c.name}`).sort(), { timeout: 15_000 })
      .toEqual([`${BOB}=Robert`, `${CAROL}=Carol`]);
    // the second device took the first's rename from the server into its own list
    await second.waitFor(rosterWith((contacts) => contacts.some((c) => c.aor === BOB && c.name === 'Robert')));
  });

  it('a hostile document on the server is refused with a notice, and the local list is kept', async () => {
    const server = await authServer();
    const client = new XcapClient({ root: server.xcapRoot(), xui: `sip:alice@${server.domain}`, username: 'alice', password: PASSWORD });
    // an internal entity (the server's libxml2 takes it; an external one it refuses with 500)
    const hostile = `<?xml version="1.0"?><!DOCTYPE resource-lists [<!ENTITY x "sip:mallory@evil.test">]><resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists"><list name="buddies"><entry uri="&x;"/></list></resource-lists>`;
    expect((await client.put('resource-lists', hostile, RESOURCE_LISTS_CONTENT_TYPE, undefined)).ok).toBe(true);

    const core = world.add(await startCore({ account: account(server), password: PASSWORD }));
    await core.core.commands.saveContact({ aor: BOB, groups: [] });
    const notice = await core.waitFor(
      (e) => e.type === 'notice' && e.level === 'warning' && /contact list on the server cannot be read/.test(e.text),
    );
    expect(notice.type).toBe('notice');
    const snapshot = await core.core.commands.getSnapshot({});
    expect(snapshot.presence.contacts.map((c) => c.aor)).toEqual([BOB]);
    // the server's document is left as it was
    const read = await client.get('resource-lists');
    expect(read.found && read.body).toBe(hostile);
  });
});
