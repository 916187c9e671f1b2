/**
 * Does Parley hold steady over time? Two Parleys through the bundled Kamailio (UDP), each its own
 * process (bench/lib/worker.ts), write to each other and change their status for --minutes; each
 * is the other's contact, so every change is a PUBLISH-free direct-mode NOTIFY through the server.
 *
 *   npm run soak -- [--minutes 10] [--rate 5] [--sample-seconds 30] [--heap]
 *
 * Every --sample-seconds the measured one (alice) reports its RSS, JS heap, the heap still alive
 * after a full collection, and the longest event-loop stall since the last sample: a row each.
 * Growth is read from the samples after the first minute (start-up and JIT warm-up before it): the
 * live heap's least-squares slope in MB per minute (the running heap is a GC sawtooth, whose
 * slope over a few samples says where they fell, not whether anything is kept) and the RSS from the
 * first of them to the last. Checks: every message sent was
 * delivered and received. With --heap, alice writes a heap snapshot at the end of the first minute
 * and at the end, and what the time between added is listed by constructor (what grows, when the
 * live heap does). Writing a snapshot stops alice for seconds and takes memory: the stall and RSS
 * of the samples after it are the snapshot's. A table, then as the last line one JSON object. Aims (issue 12): no
 * growth, no stall over 30 ms.
 */
import { tmpdir } from 'node:os';
import path from 'node:path';
import { flag, numberOption } from './lib/args.js';
import { Harness } from './lib/harness.js';
import { diffHeap, formatHeap, summariseHeap } from './lib/heap-summary.js';
import type { SoakSample } from './lib/soak-part.js';
import { round, table } from './lib/stats.js';
import { WorkerProcess } from './lib/worker-client.js';

const HOST = '127.0.0.1';
const DOMAIN = 'parley.test';
const MINUTES = numberOption('--minutes', 10);
const RATE = numberOption('--rate', 5);
const SAMPLE_S = numberOption('--sample-seconds', 30);
const HEAP = flag('--heap');
const WARM_UP_MS = 60_000;
// The live heap is measured after a full collection, so a tenth of a MB a minute is growth, not noise.
const AIM = { heapSlopeMbPerMin: 0.1, stallMs: 30 };

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

const harness = new Harness('soak', MINUTES * 60_000 + 5 * 60_000);
await harness.main(async () => {
  const server = await harness.kamailio();
  const proxy = `sip:${HOST}:${server.port}`;
  const start = (user: string) => WorkerProcess.start(user, { user, domain: DOMAIN, proxy, transport: 'udp', soak: true });
  const [alice, bob] = await Promise.all([start('alice'), start('bob')]);
  harness.onCleanup(() => alice.stop());
  harness.onCleanup(() => bob.stop());

  console.log(`soak: alice and bob through Kamailio for ${MINUTES} min, ${RATE} messages/s each way, status changes every 5 s and 2 s`);
  await alice.request('soakStart', { to: `sip:bob@${DOMAIN}`, ratePerSecond: RATE, statusEveryMs: 5_000, tag: 'a' });
  await bob.request('soakStart', { to: `sip:alice@${DOMAIN}`, ratePerSecond: RATE, statusEveryMs: 2_000, tag: 'b' });
  const startedAt = Date.now();
  const samples: (SoakSample & { atMs: number })[] = [];
  const rows = [
    ['min', 'RSS MB', 'heap MB', 'live heap MB', 'external MB', 'stall max / p99 ms', 'sent / delivered / received', 'buddy updates'],
  ];
  const heapFile = (name: string) => path.join(tmpdir(), `parley-soak-${startedAt}-${name}.heapsnapshot`);
  let warmSnapshot = false;
  while (Date.now() - startedAt < MINUTES * 60_000) {
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_S * 1000));
    if (HEAP && !warmSnapshot && Date.now() - startedAt >= WARM_UP_MS) {
      warmSnapshot = true;
      await alice.request('heapSnapshot', { file: heapFile('warm') }, 120_000);
    }
    const sample = { ...(await alice.request<SoakSample>('soakSample')), atMs: Date.now() - startedAt };
    samples.push(sample);
    const row = [
      (sample.atMs / 60_000).toFixed(1),
      String(sample.rssMb),
      String(sample.heapUsedMb),
      String(sample.liveHeapMb),
      String(sample.externalMb),
      `${sample.stallMaxMs} / ${sample.stallP99Ms}`,
      `${sample.sent} / ${sample.delivered} / ${sample.received}`,
      String(sample.buddyUpdates),
    ];
    rows.push(row);
    console.log(`  ${row.join('  ')}`);
  }
  await Promise.all([alice.request('soakStop'), bob.request('soakStop')]);
  // What is still in flight settles before the last count.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const last = await alice.request<SoakSample>('soakSample');
  if (HEAP && warmSnapshot) {
    await alice.request('heapSnapshot', { file: heapFile('end') }, 120_000);
    const grown = diffHeap(summariseHeap(heapFile('warm')), summariseHeap(heapFile('end')));
    console.log(formatHeap('What the heap gained after the first minute (self sizes, by constructor)', grown, 20));
    console.log(`snapshots kept: ${heapFile('warm')}, ${heapFile('end')}`);
  }
  const bobLast = await bob.request<SoakSample>('soakSample');

  const steady = samples.filter((s) => s.atMs >= WARM_UP_MS);
  const heapSlope = slope(steady.map((s) => ({ x: s.atMs / 60_000, y: s.liveHeapMb })));
  const rssGrowth = steady.length >= 2 ? steady.at(-1)!.rssMb - steady[0]!.rssMb : 0;
  const worstStall = Math.max(...samples.map((s) => s.stallMaxMs));
  const everyMessage = last.delivered === last.sent && bobLast.received === last.sent && last.received === bobLast.sent;

  console.log('');
  console.log(table(rows));
  console.log('');
  console.log(
    table([
      ['figure', 'value', 'aim'],
      ['live heap slope after the first minute', `${round(heapSlope, 2)} MB/min`, `<= ${AIM.heapSlopeMbPerMin} MB/min`],
      ['RSS first to last sample after the first minute', `${round(rssGrowth, 1)} MB`, ''],
      ['worst event-loop stall', `${worstStall} ms`, `<= ${AIM.stallMs} ms`],
      ['alice sent / delivered; bob received', `${last.sent} / ${last.delivered}; ${bobLast.received}`, 'all'],
      ['bob sent; alice received', `${bobLast.sent}; ${last.received}`, 'all'],
    ]),
  );
  if (!everyMessage) console.log('FAILED: not every message was delivered and received');
  console.log(
    JSON.stringify({
      bench: 'soak',
      minutes: MINUTES,
      rate: RATE,
      samples: samples.map(({ atMs, rssMb, heapUsedMb, liveHeapMb, externalMb, stallMaxMs }) => ({
        atMs,
        rssMb,
        heapUsedMb,
        liveHeapMb,
        externalMb,
        stallMaxMs,
      })),
      liveHeapSlopeMbPerMin: round(heapSlope, 3),
      rssGrowthMb: round(rssGrowth, 1),
      worstStallMs: worstStall,
      messages: {
        aliceSent: last.sent,
        aliceDelivered: last.delivered,
        bobReceived: bobLast.received,
        bobSent: bobLast.sent,
        aliceReceived: last.received,
      },
      everyMessage,
      aim: { ...AIM, met: everyMessage && heapSlope <= AIM.heapSlopeMbPerMin && worstStall <= AIM.stallMs },
    }),
  );
  return everyMessage ? 0 : 1;
});
