// The bundled Kamailio's XCAP server and resource list server, through real HTTP (Parley's own
// XCAP client) and raw SIP over UDP. Every server is stopped in afterAll / onTestFinished.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startKamailio, type RunningServer } from './kamailio.js';
import { RawWatcher } from '../electron/core/presence/notifier/testing/raw-watcher.js';
import { UdpPeer } from '../electron/sip/testing/raw-peers.js';
import { XcapClient, XcapError } from '../electron/sip/xcap/xcap-client.js';
import { encodeResourceLists, RESOURCE_LISTS_CONTENT_TYPE } from '../electron/sip/xcap/resource-lists.js';
import { contactListUri, encodeRlsServices, RLS_SERVICES_CONTENT_TYPE } from '../electron/sip/xcap/rls-services.js';

const DOMAIN = 'parley.test';
const aor = (user: string) => `sip:${user}@${DOMAIN}`;

function client(server: RunningServer, user: string, password?: string): XcapClient {
  return new XcapClient({ root: server.xcapRoot(), xui: aor(user), username: user, password });
}

const LIST = encodeResourceLists({
  groups: [{ id: 'friends', name: 'Friends' }],
  contacts: [
    { aor: aor('bob'), name: 'Bob', groups: ['friends'] },
    { aor: aor('carol'), groups: [] },
  ],
});

/** Stores alice's contact list and the rls-services document naming it. */
async function writeAliceList(xcap: XcapClient): Promise<void> {
  expect(await xcap.put('resource-lists', LIST, RESOURCE_LISTS_CONTENT_TYPE, undefined)).toMatchObject({ ok: true });
  const services = encodeRlsServices(contactListUri(aor('alice'))!, xcap.documentUrl('resource-lists'));
  expect(await xcap.put('rls-services', services, RLS_SERVICES_CONTENT_TYPE, undefined)).toMatchObject({ ok: true });
}

/** PUBLISH an open PIDF with `note` for `user` (no auth) and wait for its 200. */
async function publish(server: RunningServer, user: string, note: string): Promise<void> {
  const peer = await UdpPeer.open();
  try {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${aor(user)}"><tuple id="t1"><status><basic>open</basic></status></tuple><note>${note}</note></presence>`;
    const request = [
      `PUBLISH ${aor(user)} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      `From: <${aor(user)}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <${aor(user)}>`,
      `Call-ID: ${randomBytes(8).toString('hex')}`,
      'CSeq: 1 PUBLISH',
      'Max-Forwards: 70',
      'Event: presence',
      'Expires: 120',
      'Content-Type: application/pidf+xml',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    await peer.send(request, server.port);
    let answer = await peer.next(10_000);
    while (/^SIP\/2\.0 1/.test(answer)) answer = await peer.next(10_000);
    expect(answer).toMatch(/^SIP\/2\.0 200/);
  } finally {
    await peer.close();
  }
}

/** A list SUBSCRIBE from `from` to `list`; resolves with its final answer's status line (no NOTIFY follows). */
async function listAnswer(server: RunningServer, from: string, list: string, eventList = true): Promise<string | undefined> {
  const watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from, to: list, domain: DOMAIN, eventList });
  onTestFinished(() => watcher.close());
  await expect.poll(() => watcher.finalResponse()?.startLine, { timeout: 10_000 }).toBeDefined();
  expect(watcher.notifies()).toHaveLength(0);
  return watcher.finalResponse()?.startLine;
}

describe('XCAP with digest auth', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startKamailio({
      auth: true,
      users: [
        { user: 'alice', password: 'alice-pw' },
        { user: 'bob', password: 'bob-pw' },
      ],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("stores a user's document under their credentials, with ETags, and keeps everyone else out", async () => {
    const alice = client(server, 'alice', 'alice-pw');
    expect(await alice.get('resource-lists')).toEqual({ found: false });
    const first = await alice.put('resource-lists', LIST, RESOURCE_LISTS_CONTENT_TYPE, null);
    expect(first.ok).toBe(true);
    const etag = first.ok ? first.etag : undefined;
    expect(etag).toMatch(/^".+"$/);
    expect(await alice.get('resource-lists')).toEqual({ found: true, etag, body: LIST });

    // a write against another version is refused
    expect(await alice.put('resource-lists', LIST, RESOURCE_LISTS_CONTENT_TYPE, '"not-the-etag"')).toEqual({ ok: false, conflict: true });
    const second = await alice.put('resource-lists', LIST, RESOURCE_LISTS_CONTENT_TYPE, etag);
    expect(second.ok && second.etag !== etag).toBe(true);

    // bob, with his own good credentials, reaches neither alice's document nor a missing one of hers
    const bobAtAlice = new XcapClient({ root: server.xcapRoot(), xui: aor('alice'), username: 'bob', password: 'bob-pw' });
    await expect(bobAtAlice.get('resource-lists')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(bobAtAlice.get('rls-services')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(bobAtAlice.put('resource-lists', '<x/>', RESOURCE_LISTS_CONTENT_TYPE, undefined)).rejects.toBeInstanceOf(XcapError);
    // a wrong password, or none, gets nothing
    await expect(client(server, 'alice', 'wrong').get('resource-lists')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(client(server, 'alice').get('resource-lists')).rejects.toMatchObject({ code: 'unauthorized' });
    // and alice's document is as she left it
    expect((await alice.get('resource-lists')).found).toBe(true);
  });
});

describe('resource list server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startKamailio();
    await writeAliceList(client(server, 'alice'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("serves the owner's list with one subscription: full state, then a member's change", async () => {
    const watcher = await RawWatcher.subscribe({
      host: server.host,
      port: server.port,
      from: 'alice',
      to: 'alice+buddies',
      domain: DOMAIN,
      eventList: true,
    });
    onTestFinished(() => watcher.close());
    await watcher.notified(1);
    const answer = watcher.finalResponse()!;
    expect(answer.startLine).toMatch(/^SIP\/2\.0 200/);
    expect(answer.headers.get('require')?.[0]).toBe('eventlist');
    const [full] = watcher.notifies();
    expect(full!.headers.get('content-type')?.[0]).toMatch(/^multipart\/related;.*type="application\/rlmi\+xml"/);
    expect(full!.body).toMatch(/fullState="true"/);
    expect(full!.body).toContain('uri="sip:bob@parley.test"');
    expect(full!.body).toContain('uri="sip:carol@parley.test"');

    await publish(server, 'bob', 'at lunch');
    const hasNote = () => watcher.notifies().some((n) => n.body.includes('at lunch'));
    await expect.poll(hasNote, { timeout: 20_000 }).toBe(true);
    const partial = watcher.notifies().find((n) => n.body.includes('at lunch'))!;
    expect(partial.body).toMatch(/fullState="false"/);
    expect(partial.body).toMatch(/Content-Type: application\/pidf\+xml/i);
  });

  it('refuses a list to anyone but its owner, and answers a list it does not have 404', async () => {
    expect(await listAnswer(server, 'bob', 'alice+buddies')).toMatch(/^SIP\/2\.0 403/);
    expect(await listAnswer(server, 'bob', 'bob+buddies')).toMatch(/^SIP\/2\.0 404/);
  });

  it('answers 404 to a list SUBSCRIBE without "Supported: eventlist"', async () => {
    expect(await listAnswer(server, 'alice', 'alice+buddies', false)).toMatch(/^SIP\/2\.0 404/);
  });
});

describe('a server without RLS (rls: false)', () => {
  it('keeps XCAP and answers a list SUBSCRIBE 404', async () => {
    const server = await startKamailio({ rls: false });
    onTestFinished(() => server.stop());
    expect(server.rls).toBe(false);
    await writeAliceList(client(server, 'alice'));
    expect(await listAnswer(server, 'alice', 'alice+buddies')).toMatch(/^SIP\/2\.0 404/);
  });
});
