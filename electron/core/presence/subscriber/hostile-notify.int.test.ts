/**
 * Hostile presence documents from a watched peer (a raw SIP peer over TCP; direct presence):
 * external entities, billion laughs, deep nesting, a non-XML body, a body over the transport's
 * limit. Each is answered and dropped: the buddy keeps what it had, the subscription lives on,
 * and a good NOTIFY afterwards (on a new connection) still updates the buddy.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answer } from '../../conversations/testing/raw-sip.js';
import { TcpListener, TcpPeer, waitFor } from '../../../sip/testing/raw-peers.js';
import { startCore } from '../../../testing/cores.js';
import { headerOf, isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const pidf = (note: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:carol@127.0.0.1"><tuple id="t"><status><basic>open</basic></status><note>${note}</note></tuple></presence>`;

const billionLaughs = (() => {
  const lines = ['<?xml version="1.0"?>', '<!DOCTYPE presence [', '<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) lines.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  lines.push(
    ']>',
    '<presence xmlns="urn:ietf:params:xml:ns:pidf"><tuple id="t"><status><basic>open</basic></status><note>&lol9;</note></tuple></presence>',
  );
  return lines.join('\n');
})();

const HOSTILE: Record<string, string> = {
  'external entity': `<?xml version="1.0"?>\n<!DOCTYPE presence [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${pidf('&xxe;').replace(/^<\?xml[^>]*>\n/, '')}`,
  'billion laughs': billionLaughs,
  'deep nesting': `<presence xmlns="urn:ietf:params:xml:ns:pidf">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</presence>`,
  'not XML': '<<presence>> & <<tuple',
  'too large': pidf('x'.repeat(200 * 1024)),
};

describe('hostile NOTIFY bodies', () => {
  const world = presenceWorld();

  it('are dropped with the buddy unchanged, and the process keeps serving the subscription', async () => {
    const listener = await TcpListener.open();
    world.add({ stop: () => listener.close() });
    const carol = `sip:carol@127.0.0.1:${listener.port};transport=tcp`;
    const parley = world.add(await startCore({ listen: '127.0.0.1:0' }));
    await parley.core.commands.saveContact({ aor: carol, groups: [] });

    await waitFor(() => listener.peers[0]?.text.includes('\r\n\r\n') ?? false, 10_000, 'the SUBSCRIBE');
    const peer = listener.peers[0]!;
    const subscribe = peer.text.slice(0, peer.text.indexOf('\r\n\r\n') + 4);
    expect(subscribe).toMatch(/^SUBSCRIBE sip:carol@127\.0\.0\.1/);
    await peer.write(answer(subscribe, 200, 'OK', ['Expires: 600', `Contact: <sip:carol@127.0.0.1:${listener.port};transport=tcp>`]));

    const target = /<([^>]+)>/.exec(headerOf(subscribe, 'Contact')!)![1]!;
    let cseq = 0;
    const notify = (via: TcpPeer, body: string) => {
      cseq++;
      const bytes = Buffer.byteLength(body);
      const head = [
        `NOTIFY ${target} SIP/2.0`,
        `Via: SIP/2.0/TCP 127.0.0.1:${listener.port};branch=z9hG4bK${randomBytes(8).toString('hex')}`,
        'Max-Forwards: 70',
        `From: <sip:carol@127.0.0.1>;tag=peer`,
        `To: ${headerOf(subscribe, 'From')}`,
        `Call-ID: ${headerOf(subscribe, 'Call-ID')}`,
        `CSeq: ${cseq} NOTIFY`,
        `Contact: <sip:carol@127.0.0.1:${listener.port};transport=tcp>`,
        'Event: presence',
        'Subscription-State: active;expires=600',
        'Content-Type: application/pidf+xml',
        `Content-Length: ${bytes}`,
        '',
        '',
      ].join('\r\n');
      return via.write(head + body);
    };
    const answered = (via: TcpPeer, n: number) =>
      waitFor(() => new RegExp(`SIP/2\\.0 200[^]*?CSeq: ${n} NOTIFY`).test(via.text), 5000, `200 to NOTIFY ${n}`);

    await notify(peer, pidf('safe'));
    await answered(peer, cseq);
    await parley.waitFor(isBuddy(carol, (b) => b.view?.note === 'safe' && b.subscription === 'active'));

    for (const [name, body] of Object.entries(HOSTILE)) {
      if (name === 'too large') continue;
      await notify(peer, body);
      await answered(peer, cseq);
    }
    // Over the transport's limit: the connection is cut before any of it reaches the presence code.
    await notify(peer, HOSTILE['too large']!);
    await peer.closedPromise;

    // Still alive, still subscribed: a good NOTIFY on a fresh connection updates the buddy.
    const snapshot = await parley.core.commands.getSnapshot({});
    expect(snapshot.presence.buddies).toEqual([
      expect.objectContaining({ aor: carol, subscription: 'active', view: expect.objectContaining({ note: 'safe' }) }),
    ]);
    const tcp = snapshot.listening.find((l) => l.transport === 'tcp')!;
    const again = await TcpPeer.connect(tcp.port);
    await notify(again, pidf('still here'));
    await parley.waitFor(isBuddy(carol, (b) => b.view?.note === 'still here'));
    again.close();

    const notes = parley.events.flatMap((e) => (e.type === 'buddy' && e.buddy.view ? [e.buddy.view.note] : []));
    expect(new Set(notes)).toEqual(new Set(['safe', 'still here']));
  });
});
