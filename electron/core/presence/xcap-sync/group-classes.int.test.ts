/**
 * Can a standard presence server give each group its own view? (issue 13 point 4,
 * docs/DESIGN.md#views-per-group-through-the-server). Tried against the bundled Kamailio with
 * pres-rules enforced: alice's presence is PUBLISHed by hand (a bare UDP request, no auth on this
 * server) as tuples marked with RPID classes (RFC 4480 <class>), "friends" and "work", and her
 * pres-rules give bob only the "friends" class and carol only "work" (RFC 5025 provide-services by
 * class). What each watcher receives is read byte for byte (raw watchers).
 *
 * The server filters the first NOTIFY of a watcher it has not seen before and every NOTIFY a
 * PUBLISH causes; but a watcher's refresh, and a new SUBSCRIBE from a watcher it already knows,
 * get the whole document, every class: presence/subscribe.c reads the rules only for a watcher new
 * to its watchers table, and notify.c sends the body unfiltered without them. Every watcher
 * refreshes, so every watcher would see every group's view: Parley keeps per-group views in
 * direct mode. (When this test fails because the server filters every NOTIFY, per-group views
 * through it can be built.)
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import { waitFor } from '../../../sip/testing/raw-peers.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { RawWatcher } from '../notifier/testing/raw-watcher.js';
import { presenceWorld } from '../testing/presence-test-helpers.js';

const DOMAIN = 'parley.test';
const ALICE = `sip:alice@${DOMAIN}`;

const tuple = (id: string, cls: string, note: string) =>
  `<tuple id="${id}"><status><basic>open</basic></status><rpid:class>${cls}</rpid:class><note>${note}</note></tuple>`;
const document = (tuples: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${ALICE}">\n${tuples}\n</presence>`;

const classRule = (id: string, watcher: string, cls: string): string =>
  `<cr:rule id="${id}"><cr:conditions><cr:identity><cr:one id="${watcher}"/></cr:identity></cr:conditions>` +
  `<cr:actions><sub-handling>allow</sub-handling></cr:actions>` +
  `<cr:transformations><provide-services><class>${cls}</class></provide-services></cr:transformations></cr:rule>`;

const RULES =
  `<?xml version="1.0" encoding="UTF-8"?><cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" xmlns="urn:ietf:params:xml:ns:pres-rules">` +
  `${classRule('friends', `sip:bob@${DOMAIN}`, 'friends')}${classRule('work', `sip:carol@${DOMAIN}`, 'work')}</cr:ruleset>`;

let publications = 0;

/** One PUBLISH over UDP (a publication of its own); resolves with the status line of the answer. */
async function publishByHand(server: RunningServer, body: string): Promise<string> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const local = socket.address().port;
    const n = ++publications;
    const request = [
      `PUBLISH ${ALICE} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-classes-${local}-${n};rport`,
      'Max-Forwards: 70',
      `From: <${ALICE}>;tag=classes${n}`,
      `To: <${ALICE}>`,
      `Call-ID: classes-${local}-${n}@127.0.0.1`,
      'CSeq: 1 PUBLISH',
      'Event: presence',
      'Expires: 600',
      'Content-Type: application/pidf+xml',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    const answer = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString().split('\r\n')[0]!)));
    socket.send(request, server.port, server.host);
    return await answer;
  } finally {
    socket.close();
  }
}

/** The notes in a body. */
const notesIn = (body: string): string[] => [...body.matchAll(/<note>([^<]*)<\/note>/g)].map((m) => m[1]!).sort();

describe('views per group through the server (RPID class and pres-rules)', () => {
  const world = presenceWorld();

  async function setUp() {
    const server = await world.server({ presRules: true });
    const client = new XcapClient({ root: server.xcapRoot(), xui: ALICE });
    expect((await client.put('pres-rules', RULES, 'application/auth-policy+xml', undefined)).ok).toBe(true);
    // two devices' publications, each a friends and a work tuple
    expect(await publishByHand(server, document(tuple('d1f', 'friends', 'friends-1') + tuple('d1w', 'work', 'work-1')))).toBe(
      'SIP/2.0 200 OK',
    );
    expect(await publishByHand(server, document(tuple('d2f', 'friends', 'friends-2') + tuple('d2w', 'work', 'work-2')))).toBe(
      'SIP/2.0 200 OK',
    );
    const watch = async (user: string) => {
      const watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from: user, to: 'alice', domain: DOMAIN });
      world.add({ stop: async () => watcher.close() });
      await watcher.notified(1);
      return watcher;
    };
    return { server, watch };
  }

  const last = (watcher: RawWatcher): string[] => notesIn(watcher.notifies().at(-1)?.body ?? '');

  it("a new watcher's first NOTIFY and the NOTIFYs a PUBLISH causes carry only the classes its rule provides", async () => {
    const { server, watch } = await setUp();
    const bob = await watch('bob');
    const carol = await watch('carol');
    expect(last(bob)).toEqual(['friends-1', 'friends-2']);
    expect(last(carol)).toEqual(['work-1', 'work-2']);

    // a third device publishes: each watcher is told, filtered
    expect(await publishByHand(server, document(tuple('d3f', 'friends', 'friends-3') + tuple('d3w', 'work', 'work-3')))).toBe(
      'SIP/2.0 200 OK',
    );
    await waitFor(() => last(bob).includes('friends-3') && last(carol).includes('work-3'), 10_000, 'the NOTIFYs of the new publication');
    expect(last(bob)).toEqual(['friends-1', 'friends-2', 'friends-3']);
    expect(last(carol)).toEqual(['work-1', 'work-2', 'work-3']);
  });

  it('a refresh, and a new SUBSCRIBE from a watcher the server knows, get every class', async () => {
    const { watch } = await setUp();
    const bob = await watch('bob');
    expect(last(bob)).toEqual(['friends-1', 'friends-2']);
    const before = bob.notifies().length;
    expect((await bob.refresh()).startLine).toMatch(/^SIP\/2\.0 200/);
    await waitFor(() => bob.notifies().length > before, 10_000, "the refresh's NOTIFY");
    expect(last(bob)).toEqual(['friends-1', 'friends-2', 'work-1', 'work-2']);

    // bob again, from another dialog (another device of his, or after his subscription ended)
    const again = await watch('bob');
    expect(last(again)).toEqual(['friends-1', 'friends-2', 'work-1', 'work-2']);
  });
});
