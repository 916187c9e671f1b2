/**
 * Location privacy through the bundled Kamailio (docs/DESIGN.md#nobody-learns-where-you-are):
 * what a watcher and a chat peer actually receive, captured on the wire, never names the device.
 * Alice's Parley listens on 127.0.0.2, an address nothing else in the test uses, so "the
 * device's address is absent" means something; the server, the watchers and the peer are on
 * 127.0.0.1. Run with the device on UDP, TCP and TLS.
 *
 * And a blocked watcher cannot tell blocked from offline (docs/DESIGN.md#blocked-or-offline):
 * mallory, blocked while alice is online, and dave, watching alice after she quit, receive the
 * same answer: same status, same headers, same body, the NOTIFY in the same exchange.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import type { SequencedEvent } from '../../shared/ipc.js';
import { composePresence, decodePidf } from '../sip/presence/index.js';
import { isRegistration, startCore, type TestCore } from '../testing/cores.js';
import { startSipp } from '../testing/sipp.js';
import { RawWatcher, tagOf, type RawMessage } from './presence/notifier/testing/raw-watcher.js';
import { readTrace } from './presence/notifier/testing/sipp-watcher.js';

const DEVICE_HOST = '127.0.0.2';
const CHAT_PEER = path.join(import.meta.dirname, 'scenarios', 'chat-peer.xml');

/**
 * What identifies an answer's kind, without what differs per dialog (tags, branches, Call-ID,
 * the watcher's own address): the start line, the header names in order, and the values of the
 * headers that say what the answer is.
 */
function shape(message: RawMessage): unknown {
  const kept = [
    'subscription-state',
    'event',
    'content-type',
    'contact',
    'expires',
    'server',
    'user-agent',
    'max-forwards',
    'content-length',
  ];
  return {
    startLine: message.startLine.replace(/^NOTIFY \S+/, 'NOTIFY <watcher>'),
    names: [...message.headers.keys()],
    // a response's Via is the watcher's own; a request's are the server's
    vias: message.startLine.startsWith('SIP/')
      ? message.headers.get('via')?.length
      : message.headers.get('via')?.map((via) => via.replace(/;branch=[^;]+/, '')),
    recordRoute: message.headers.get('record-route')?.map((rr) => rr.replace(/;ftag=[^;>]+/, '')),
    values: Object.fromEntries(kept.map((name) => [name, message.headers.get(name)])),
    body: message.body,
  };
}

/** The answers to a watcher's SUBSCRIBE: its final response and its NOTIFYs, as shapes. */
function answers(watcher: RawWatcher): { response: unknown; notifies: unknown[] } {
  const response = watcher.finalResponse();
  return { response: response && shape(response), notifies: watcher.notifies().map(shape) };
}

/** Until a NOTIFY says open (the server has frank's publication). */
async function waitForOpen(watcher: RawWatcher): Promise<void> {
  await watcher.notified(1);
  await expect
    .poll(() => watcher.notifies().some((n) => n.body.includes('<basic>open</basic>')), { timeout: 15_000, interval: 50 })
    .toBe(true);
}

describe.each(['udp', 'tcp', 'tls'] as const)(
  'what watchers and chat peers receive through the bundled Kamailio (device on %s)',
  (transport) => {
    let server: RunningServer;
    let alice: TestCore | undefined;
    /** host:port strings that name alice's device: its listener and what the registrar saw. */
    let device: string[];
    /** Over TLS: the server's self-signed certificate, trusted by the device. */
    let tlsTrust: string | undefined;
    const watchers: RawWatcher[] = [];

    const watch = async (from: string, to = 'alice') => {
      const watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from, to, domain: server.domain });
      watchers.push(watcher);
      return watcher;
    };
    const expectNoDevice = (texts: string[], addresses = device) => {
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) {
        expect(text).not.toContain(DEVICE_HOST);
        for (const address of addresses) expect(text).not.toContain(address);
      }
    };
    /** A Parley on the device's address, registered as `user`; and the addresses the registrar saw. */
    const startDevice = async (user: string, presenceMode: 'direct' | 'server' = 'direct', over = transport) => {
      const core = await startCore({
        listen: `${DEVICE_HOST}:0`,
        account: {
          aor: `sip:${user}@parley.test`,
          proxy: server.uri(over),
          transport: over,
          registerExpires: 600,
          listen: `${DEVICE_HOST}:0`,
          presenceMode,
          ...(tlsTrust ? { tlsTrust } : {}),
        },
      });
      await core.waitFor(isRegistration('registered'));
      // The registrar's view of the device: its Contact and the source address it came from.
      const bindings = String(await server.rpc('ul.lookup', 'location', user));
      const addresses = [...new Set(bindings.match(/\d+\.\d+\.\d+\.\d+:\d+/g) ?? [])].filter((a) => !a.startsWith(`${server.host}:`));
      expect(
        addresses.some((a) => a.startsWith(`${DEVICE_HOST}:`)),
        bindings,
      ).toBe(true);
      return { core, addresses };
    };

    beforeAll(async () => {
      server = await startKamailio({ tls: transport === 'tls' });
      tlsTrust = transport === 'tls' ? readFileSync(server.certFile!, 'utf8') : undefined;
      const started = await startDevice('alice');
      alice = started.core;
      device = started.addresses;
    });
    afterEach(() => {
      for (const watcher of watchers.splice(0)) watcher.close();
    });
    afterAll(async () => {
      await alice?.stop();
      await server?.stop();
    });

    it('a watcher, pending, allowed and un-subscribed, never sees the device', async () => {
      const bob = await watch('bob');
      await bob.notified(1);
      const bobAor = `sip:bob@${server.domain}`;
      await alice!.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === bobAor && e.watcher.status === 'pending');
      await alice!.core.commands.answerWatcher({ aor: bobAor, decision: 'allow' });
      await bob.notified(2);
      // The un-SUBSCRIBE, in the dialog, goes to the server's opaque Contact and reaches alice,
      // who answers it with her final NOTIFY. Over TLS too: this test's device claims 127.0.0.2 in
      // its Contact while its TLS connection comes from 127.0.0.1, but its Contact in the dialog is
      // its temp-gruu, which the server takes to the binding the REGISTER made (its connection).
      await bob.unsubscribe();
      const notifies = bob.notifies();
      expect(notifies.map((n) => n.headers.get('subscription-state')?.[0])).toEqual([
        'pending;expires=600',
        expect.stringMatching(/^active;/),
        'terminated;reason=timeout',
      ]);
      expect(composePresence([decodePidf(notifies[1]!.body)]).availability).toBe('online');
      expect(bob.finalResponse()!.headers.get('contact')?.[0]).toMatch(new RegExp(`^<sip:[^@>]+@${server.host}:${server.port}[;>]`));
      expectNoDevice(bob.received.map((m) => m.text));
    });

    it('a watcher of a user on two devices: the forked dialogs name neither device, and refreshes and un-SUBSCRIBEs reach each', async () => {
      // erin's second device on another transport: its NOTIFY's 200 goes back over UDP by the
      // address the server saw, over TCP/TLS by the device's connection
      const desk = await startDevice('erin');
      let phone: Awaited<ReturnType<typeof startDevice>> | undefined;
      try {
        phone = await startDevice('erin', 'direct', transport === 'udp' ? 'tcp' : 'udp');
        const bob = await watch('bob', 'erin');
        // each device answers the forked SUBSCRIBE in its own dialog
        await expect.poll(() => bob.dialogTags().length, { timeout: 15_000, interval: 50 }).toBe(2);
        await bob.notified(2);
        const bobAor = `sip:bob@${server.domain}`;
        for (const device of [desk, phone]) {
          await device.core.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === bobAor);
          await device.core.core.commands.answerWatcher({ aor: bobAor, decision: 'allow' });
        }
        const tags = bob.dialogTags();
        const stateOf = (tag: string) =>
          bob
            .notifies()
            .filter((n) => tagOf(n.headers.get('from')?.[0]) === tag)
            .map((n) => n.headers.get('subscription-state')?.[0] ?? '');
        for (const tag of tags) {
          await expect.poll(() => stateOf(tag).some((state) => state.startsWith('active;')), { timeout: 15_000, interval: 50 }).toBe(true);
        }
        // The refresh of each dialog is answered by the device of that dialog (another device
        // would answer 481: it has no such subscription), and so is the un-SUBSCRIBE, whose
        // final NOTIFY comes in the same dialog.
        for (const tag of tags) {
          const answer = await bob.refresh(15_000, tag);
          expect(answer.startLine).toMatch(/^SIP\/2\.0 20[02] /);
          expect(tagOf(answer.headers.get('to')?.[0])).toBe(tag);
        }
        for (const tag of tags) await bob.unsubscribe(15_000, tag);
        for (const tag of tags) expect(stateOf(tag).at(-1)).toMatch(/^terminated/);
        // what the server kept of each device's dialog went with its final NOTIFY
        const kept = await server.rpc('htable.dump', 'forks');
        for (const tag of tags) expect(kept).not.toContain(`;${tag}`);
        // bob's 200s reached the devices: no NOTIFY came again (a UDP notifier retransmits one
        // that is not answered; a TCP/TLS notifier whose 200 got lost would time its dialog out)
        const notifyKeys = bob.notifies().map((n) => `${n.headers.get('from')?.[0]} ${n.headers.get('cseq')?.[0]}`);
        expect(new Set(notifyKeys).size).toBe(notifyKeys.length);
        expectNoDevice(
          bob.received.map((m) => m.text),
          [...desk.addresses, ...phone.addresses],
        );
      } finally {
        await phone?.core.stop();
        await desk.core.stop();
      }
    });

    it('a watcher of a user in server mode: the document the server composes names no device either', async () => {
      const frank = await startDevice('frank', 'server');
      try {
        const watcher = await watch('bob', 'frank');
        await waitForOpen(watcher);
        await watcher.unsubscribe();
        expectNoDevice(
          watcher.received.map((m) => m.text),
          frank.addresses,
        );
      } finally {
        await frank.core.stop();
      }
    });

    it('a chat peer: the answer to its MESSAGE and the MESSAGE alice sends never name the device', async () => {
      const carol = await startSipp({
        name: 'sipp chat peer',
        target: `${server.host}:${server.port}`,
        scenario: CHAT_PEER,
        timeoutSeconds: 30,
        trace: true,
        keys: { user: 'carol', to: 'alice', domain: server.domain },
      });
      try {
        const hello = await alice!.waitFor(
          (e: SequencedEvent) => e.type === 'message' && e.direction === 'in' && e.body.trim() === 'hello from carol',
        );
        if (hello.type !== 'message') throw new Error('not a message');
        // The peer has the answer to its MESSAGE before alice's comes (chat-peer.xml takes them in that order).
        await expect
          .poll(
            () =>
              readTrace(readFileSync(carol.traceFile)).some(
                (m) =>
                  m.direction === 'received' && m.startLine.startsWith('SIP/2.0 200') && /MESSAGE/.test(m.headers.get('cseq')?.[0] ?? ''),
              ),
            { timeout: 10_000, interval: 20 },
          )
          .toBe(true);
        await alice!.core.commands.sendMessage({
          to: `sip:carol@${server.domain}`,
          body: 'hello carol',
          conversationId: hello.conversationId,
        });
        expect(await carol.program.exited, carol.program.output()).toBe(0);
        const got = readTrace(readFileSync(carol.traceFile)).filter((m) => m.direction === 'received');
        // in CPIM, as Parley sends to a peer that has not refused it (receipts.ts)
        expect(got.some((m) => m.startLine.startsWith('MESSAGE ') && m.body.includes('hello carol'))).toBe(true);
        expectNoDevice(
          got.map((m) => [m.startLine, ...[...m.headers].map(([name, values]) => `${name}: ${values.join(', ')}`), '', m.body].join('\n')),
        );
      } finally {
        await carol.stop();
      }
    });

    it('a blocked watcher gets what the watcher of an offline user gets, and neither sees the device', async () => {
      await alice!.core.commands.answerWatcher({ aor: `sip:mallory@${server.domain}`, decision: 'block' });
      const mallory = await watch('mallory');
      await mallory.notified(1);
      const malloryRefresh = await mallory.refresh();
      await mallory.unsubscribe();

      await alice!.stop(); // alice quits: unregistered, offline
      alice = undefined;
      const dave = await watch('dave');
      await dave.notified(1);
      const daveRefresh = await dave.refresh();
      await dave.unsubscribe();
      expect(malloryRefresh.startLine).toBe('SIP/2.0 481 Subscription Does Not Exist');
      expect(shape(malloryRefresh)).toEqual(shape(daveRefresh));

      const blocked = answers(mallory);
      expect(blocked.response).toMatchObject({ startLine: 'SIP/2.0 200 OK' });
      expect(blocked.notifies).toHaveLength(2);
      expect(blocked).toEqual(answers(dave));
      // Held by the server for at most 300 s, and not refreshed: the next SUBSCRIBE is a new one.
      expect(mallory.notifies()[0]!.headers.get('subscription-state')).toEqual(['active;expires=300']);
      expectNoDevice([...mallory.received, ...dave.received].map((m) => m.text));
    });
  },
);
