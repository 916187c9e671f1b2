/**
 * Can a standard presence server give each group its own view? (issue 13 point 4,
 * docs/DESIGN.md#views-per-group-through-the-server). Tried against the bundled Kamailio with
 * pres-rules enforced: alice's presence is PUBLISHed as two tuples marked with RPID classes
 * (RFC 4480 <class>), "friends" and "work", and her pres-rules give bob only the "friends" class and
 * carol only "work" (RFC 5025 provide-services by class). Each watcher's Parley shows only its own
 * tuple: presence_xml applies the transformation per watcher. The PUBLISH is sent by hand (a
 * bare UDP request, no auth on this server) because Parley's publisher sends one view for all.
 */
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';
const BOB = 'sip:bob@parley.test';
const CAROL = 'sip:carol@parley.test';

const PIDF = `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${ALICE}">
<tuple id="tfriends"><status><basic>open</basic></status><rpid:class>friends</rpid:class><note>for friends</note></tuple>
<tuple id="twork"><status><basic>open</basic></status><rpid:class>work</rpid:class><note>for work</note></tuple>
</presence>`;

const classRule = (id: string, watcher: string, cls: string): string =>
  `<cr:rule id="${id}"><cr:conditions><cr:identity><cr:one id="${watcher}"/></cr:identity></cr:conditions>` +
  `<cr:actions><sub-handling>allow</sub-handling></cr:actions>` +
  `<cr:transformations><provide-services><class>${cls}</class></provide-services></cr:transformations></cr:rule>`;

const RULES =
  `<?xml version="1.0" encoding="UTF-8"?><cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" xmlns="urn:ietf:params:xml:ns:pres-rules">` +
  `${classRule('friends', BOB, 'friends')}${classRule('work', CAROL, 'work')}</cr:ruleset>`;

/** One PUBLISH over UDP; resolves with the status line of the answer. */
async function publishByHand(host: string, port: number, body: string): Promise<string> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const local = socket.address().port;
    const request = [
      `PUBLISH ${ALICE} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-classes-${local};rport`,
      'Max-Forwards: 70',
      `From: <${ALICE}>;tag=classes`,
      `To: <${ALICE}>`,
      `Call-ID: classes-${local}@127.0.0.1`,
      'CSeq: 1 PUBLISH',
      'Event: presence',
      'Expires: 600',
      'Content-Type: application/pidf+xml',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ].join('\r\n');
    const answer = new Promise<string>((resolve) => socket.once('message', (m) => resolve(m.toString().split('\r\n')[0]!)));
    socket.send(request, port, host);
    return await answer;
  } finally {
    socket.close();
  }
}

describe('views per group through the server (RPID class and pres-rules)', () => {
  const world = presenceWorld();

  it('each watcher gets only the tuple of the class its rule provides', async () => {
    const server = await world.server({ presRules: true });
    const client = new XcapClient({ root: server.xcapRoot(), xui: ALICE });
    expect((await client.put('pres-rules', RULES, 'application/auth-policy+xml', undefined)).ok).toBe(true);
    expect(await publishByHand(server.host, server.port, PIDF)).toBe('SIP/2.0 200 OK');

    const bob = await world.parley(server, 'bob', { presenceMode: 'server' });
    const carol = await world.parley(server, 'carol', { presenceMode: 'server' });
    for (const watcher of [bob, carol]) await watcher.core.commands.saveContact({ aor: ALICE, groups: [] });
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.note === 'for friends'));
    await carol.waitFor(isBuddy(ALICE, (b) => b.view?.note === 'for work'));
    const notes = (core: typeof bob) => core.events.flatMap((e) => (e.type === 'buddy' && e.buddy.view?.note ? [e.buddy.view.note] : []));
    expect(notes(bob)).not.toContain('for work');
    expect(notes(carol)).not.toContain('for friends');
  });
});
