/**
 * A peer that never answers an INVITE (a raw UDP peer that takes MESSAGEs only): the first
 * message waits out the set-up time, then goes by paging mode; the peer is remembered, so the
 * next message goes by paging mode at once, with no INVITE before it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { isDelivery, startCore, type TestCore } from '../../testing/cores.js';
import { answer } from '../conversations/testing/raw-sip.js';
import { SETUP_TIMEOUT_MS } from './chat-sessions.js';
import { refusedPeers } from './testing/refused-peers.js';

const started: TestCore[] = [];
const peers: UdpPeer[] = [];
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
});

const method = (request: string) => /^(\w+) /.exec(request)?.[1];

describe('a peer that does not answer the INVITE', () => {
  it('gets the message by paging mode after the set-up time, and the next one at once', async () => {
    const alice = await startCore();
    started.push(alice);
    await alice.core.commands.setChatSettings({ preferSessionMode: true });
    const peer = await UdpPeer.open();
    peers.push(peer);
    const to = `sip:x@127.0.0.1:${peer.port}`;
    const seen: string[] = [];
    // Answers MESSAGEs 200; lets everything else (INVITE, its retransmissions, CANCEL) go unanswered.
    let running = true;
    const serve = (async () => {
      while (running) {
        const request = await peer.next(60_000).catch(() => undefined);
        if (!request) continue;
        seen.push(method(request) ?? '?');
        if (method(request) !== 'MESSAGE') continue;
        const via = /^Via: SIP\/2\.0\/UDP [^:]+:(\d+)/m.exec(request)!;
        await peer.send(answer(request, 200, 'OK'), Number(via[1]));
      }
    })();
    try {
      const first = await alice.core.commands.sendMessage({ to, body: 'anyone there?' });
      await alice.waitFor(isDelivery(first.id, 'delivered'), SETUP_TIMEOUT_MS + 15_000);
      expect(seen[0]).toBe('INVITE');
      expect(seen.filter((m) => m === 'MESSAGE')).toHaveLength(1);
      const invitesBefore = seen.filter((m) => m === 'INVITE').length;
      const second = await alice.core.commands.sendMessage({ to, body: 'plainly now' });
      await alice.waitFor(isDelivery(second.id, 'delivered'));
      expect(seen.filter((m) => m === 'MESSAGE')).toHaveLength(2);
      expect(seen.filter((m) => m === 'INVITE')).toHaveLength(invitesBefore);
      expect(alice.events.some((e) => e.type === 'chat-mode')).toBe(false);
      // Remembered in settings, so it holds across restarts too.
      expect(refusedPeers(alice)).toEqual([`sip:x@127.0.0.1:${peer.port}`]);
    } finally {
      running = false;
      await peer.send('bye', peer.port); // wakes the loop
      await serve;
    }
  }, 60_000);
});
