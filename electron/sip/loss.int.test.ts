/**
 * Exactly-once MESSAGE delivery over lossy UDP, between two real Parley cores in direct mode.
 *
 * 1. In user space: a seeded lossy relay on 127.0.0.1 (testing/lossy-relay.ts) drops 20% of the
 *    datagrams each way, duplicates and reorders a few. Core A sends 1,000 MESSAGEs, 32 in flight.
 * 2. In the kernel: two network namespaces joined by a veth pair, one core per namespace in a
 *    child process (testing/netns.ts), with `netem loss 10%` on both veth ends; and, because some
 *    kernels (this CI VM's among them) lack netem, once more with a token-bucket shaper whose short
 *    queue tail-drops real packets. Each needs root, iproute2 and its qdisc, or it is skipped
 *    with the reason found on the machine.
 *
 * Both prove: every message is delivered (A sees one final `delivered` per message), B shows each
 * body exactly once, none missing. The relay also proves it at the transport level: every
 * response B sent for a transaction is byte-identical (sip.js picks a fresh To tag for each
 * request it handles, so a second, different 200 would mean the request got through twice).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startCore, type TestCore } from '../testing/cores.js';
import { LossyUdpRelay } from './testing/lossy-relay.js';
import { netnsSupport, NetnsPair, tcDrops } from './testing/netns.js';
import { InboxTally, numberedBodies, sendMany } from '../testing/traffic.js';

const COUNT = 1000;
const CONCURRENCY = 32;
const SEED = Number(process.env.PARLEY_LOSS_SEED ?? 0x5eed1055);

const sum = (xs: Iterable<number>) => [...xs].reduce((a, b) => a + b, 0);

describe('MESSAGE over a lossy UDP relay (20% loss each way, duplicates, reordering)', () => {
  const cores: TestCore[] = [];
  let relay: LossyUdpRelay | undefined;
  afterAll(async () => {
    await relay?.close();
    await Promise.all(cores.map((c) => c.stop().catch(() => {})));
  });

  it(`delivers ${COUNT} MESSAGEs, ${CONCURRENCY} in flight, each exactly once`, { timeout: 110_000 }, async () => {
    const b = await startCore();
    cores.push(b);
    // One conversation carries them all: its send window opened to the test's 32 (chat's default is 8).
    const a = await startCore({ sendWindow: CONCURRENCY });
    cores.push(a);
    const bUdp = (await b.core.commands.getSnapshot({})).listening.find((l) => l.transport === 'udp')!;
    relay = await LossyUdpRelay.open(
      { host: '127.0.0.1', port: bUdp.port },
      { seed: SEED, dropRate: 0.2, duplicateRate: 0.02, reorderRate: 0.05, maxDelayMs: 30, maxDropsPerTransaction: 6 },
    );
    const bodies = numberedBodies(COUNT);
    const inbox = new InboxTally(b.core, (body) => body.startsWith('msg-'));

    const report = await sendMany(a.core, `sip:bob@127.0.0.1:${relay.port}`, bodies, CONCURRENCY);

    const notDelivered = report.outcomes.filter((o) => o.state !== 'delivered');
    expect(notDelivered.map((o) => `${o.body}: ${o.state} ${o.code ?? ''} ${o.reason ?? ''}`)).toEqual([]);
    const extraFinals = [...report.finalEventsPerId].filter(([, n]) => n !== 1);
    expect(extraFinals).toEqual([]);

    // Let every held-back datagram land, then push one MESSAGE past the relay: B's socket handles
    // datagrams in order, so once this one is delivered B has seen everything the relay sent it.
    await relay.idle();
    const sentinel = await a.core.commands.sendMessage({ to: `sip:bob@127.0.0.1:${bUdp.port}`, body: 'sentinel' });
    await a.waitFor((e) => e.type === 'delivery' && e.id === sentinel.id && e.state === 'delivered');
    await inbox.waitForCount(COUNT);

    expect(inbox.check(bodies)).toEqual({ missing: [], duplicated: [], unexpected: [] });
    expect(inbox.received).toBe(COUNT);

    // Transport-level exactly-once: per transaction, B answered with one and the same response.
    const messages = [...relay.transactions.values()].filter((t) => t.method === 'MESSAGE');
    expect(messages).toHaveLength(COUNT);
    const answeredTwice = messages.filter((t) => new Set(t.responsesFromServer).size !== 1);
    expect(answeredTwice.map((t) => `${t.branch}: ${t.responsesFromServer.map((r) => /^To:.*$/im.exec(r)?.[0]).join(' | ')}`)).toEqual([]);
    expect(messages.every((t) => t.responsesFromServer[0]!.startsWith('SIP/2.0 200'))).toBe(true);

    const retransmissions = sum(messages.map((t) => t.requestsFromClient - 1));
    const copiesAtServer = sum(messages.map((t) => t.requestsToServer - 1));
    const replays = sum(messages.map((t) => t.responsesFromServer.length - 1));
    const figures = {
      seed: SEED,
      elapsedMs: report.elapsedMs,
      lossToServer: relay.lossRate('toServer').toFixed(3),
      lossToClient: relay.lossRate('toClient').toFixed(3),
      dropped: relay.stats.toServer.dropped + relay.stats.toClient.dropped,
      sparedByCap: relay.stats.toServer.spared + relay.stats.toClient.spared,
      duplicated: relay.stats.toServer.duplicated + relay.stats.toClient.duplicated,
      delayed: relay.stats.toServer.delayed + relay.stats.toClient.delayed,
      retransmissionsByA: retransmissions,
      extraCopiesAbsorbedByB: copiesAtServer,
      responsesReplayedByB: replays,
      slowestMs: Math.max(...report.outcomes.map((o) => o.ms)),
    };
    console.info('[loss] relay', JSON.stringify(figures));
    // The harness really was lossy, and the transport really had to work for it.
    expect(relay.lossRate('toServer')).toBeGreaterThan(0.15);
    expect(relay.lossRate('toClient')).toBeGreaterThan(0.15);
    expect(retransmissions).toBeGreaterThan(COUNT * 0.2);
    expect(copiesAtServer).toBeGreaterThan(0);
    expect(replays).toBeGreaterThan(0);
  });
});

const NETEM = ['netem', 'loss', '10%'] as const;
// Where netem is missing (some VM kernels ship only a few qdiscs), a token-bucket shaper with a
// short queue drops real packets in the kernel too: tail drops whenever the 32 in flight burst.
const TBF = ['tbf', 'rate', '1mbit', 'burst', '3000', 'limit', '4500'] as const;

describe.each([
  { name: 'netem loss 10% each way', qdisc: NETEM },
  { name: 'tbf 1 Mbit/s, 3 kB burst, 4.5 kB queue each way (tail drops)', qdisc: TBF },
])('MESSAGE across two network namespaces, kernel loss by $name', ({ qdisc }) => {
  const support = netnsSupport(qdisc);
  let pair: NetnsPair | undefined;
  afterAll(async () => {
    const names = pair ? [pair.ns.a, pair.ns.b] : [];
    await pair?.destroy();
    for (const name of names) expect(await NetnsPair.exists(name)).toBe(false);
  });

  it.skipIf(!support.ok)(
    `delivers ${COUNT} MESSAGEs exactly once between namespaces${support.ok ? '' : ` (skipped: ${support.reason})`}`,
    { timeout: 90_000 },
    async () => {
      pair = await NetnsPair.create({ qdisc });
      const receiver = await pair.startPeer('b');
      const sender = await pair.startPeer('a');
      const result = await sender.request({
        cmd: 'send',
        to: `sip:bob@${receiver.address}:${receiver.port}`,
        count: COUNT,
        concurrency: CONCURRENCY,
      });
      const inbox = await receiver.request({ cmd: 'report', expect: COUNT });
      const qdiscA = await tcDrops(pair.ns.a, pair.dev.a);
      const qdiscB = await tcDrops(pair.ns.b, pair.dev.b);
      const retransmissionsByA = qdiscA.sentPackets + qdiscA.dropped - (COUNT + 1);
      console.info(
        `[loss] netns ${qdisc.join(' ')}`,
        JSON.stringify({ elapsedMs: result.elapsedMs, slowestMs: result.slowestMs, qdiscA, qdiscB, retransmissionsByA }),
      );
      expect(result.notDelivered).toEqual([]);
      expect(result.delivered).toBe(COUNT);
      expect(result.extraFinals).toBe(0);
      expect(result.sentinel).toBe('delivered');
      expect({ missing: inbox.missing, duplicated: inbox.duplicated, unexpected: inbox.unexpected }).toEqual({
        missing: [],
        duplicated: [],
        unexpected: [],
      });
      expect(inbox.received).toBe(COUNT);
      // The kernel really dropped packets on the way (requests leave A through A's qdisc).
      expect(qdiscA.dropped).toBeGreaterThan(0);
      if (qdisc === NETEM) expect(qdiscB.dropped).toBeGreaterThan(0);
      // Every datagram A queued beyond one per message was a retransmission (no ARP: static neighbours).
      expect(retransmissionsByA).toBeGreaterThanOrEqual(qdiscA.dropped);
    },
  );
});
