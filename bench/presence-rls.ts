/**
 * Presence at scale through the bundled server's resource list server (issue 13 point 8): the
 * roster of bench/presence.ts, but as a user of the bundled Kamailio would have it.
 *
 *   npm run bench -- presence --rls [--count N]
 *
 *  - Kamailio (server/kamailio.ts) with its resource list server, topology hiding off (as the other
 *    benchmarks), a TCP read buffer big enough for the list document.
 *  - Every buddy sip:buddy<n>@parley.test PUBLISHes round 1 of the roster (bench/lib/presence-roster.ts)
 *    from sipp (bench/scenarios/presence-publish.xml) before Parley starts.
 *  - The contact list is on the server already (resource-lists and rls-services documents, written
 *    here over XCAP as another device of the account would have), and in Parley's database: the
 *    login of a user with 5,000 contacts whose list lives on the server.
 *  - Parley (a bench worker, bench/lib/worker.ts) registers over TCP with the account's XCAP root;
 *    timed from just before its core is created until every buddy's `buddy` event shows round 1
 *    with the subscription active: one SUBSCRIBE for the list and its NOTIFYs (a full state split
 *    into several by the server, then partial ones) instead of 5,000 SUBSCRIBEs.
 *  - Then every buddy PUBLISHes round 2: timed from the first PUBLISH until all show it.
 * A table, then one JSON object as the last line. Exit code 1 only when a state is missing or wrong.
 * Its figures depend on Kamailio on db_text (every back-end NOTIFY is a row of rls_presentity).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKamailio } from '../server/kamailio.js';
import { putContactList } from '../electron/sip/testing/contact-list-on-server.js';
import { XcapClient } from '../electron/sip/xcap/xcap-client.js';
import { numberOption } from './lib/args.js';
import { Harness } from './lib/harness.js';
import type { PhaseResult, SnapshotCheck } from './lib/presence-bench.js';
import { buddyAor } from './lib/presence-roster.js';
import { publishRound, writeRoster } from './lib/presence-sipp.js';
import { table, thousands } from './lib/stats.js';
import { WorkerProcess } from './lib/worker-client.js';

const COUNT = Math.floor(numberOption('--count', 5000));
const WAIT_MS = 5 * 60_000;

const harness = new Harness('presence --rls', 15 * 60_000, 60_000);
const ms = (value: number | undefined) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(1));

harness.main(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-presence-rls-'));
  harness.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  writeRoster(dir, COUNT);
  const server = await startKamailio({ topologyHiding: false, tcpReadBufferBytes: 4 * 1024 * 1024, debug: 1 });
  harness.onCleanup(() => server.stop());
  const proxy = `${server.host}:${server.port}`;
  console.log(`presence --rls: ${COUNT} buddies at the bundled Kamailio ${proxy}, Parley over TCP with its list on the server ...`);

  // the buddies' addresses as the worker stores them (bench/lib/presence-bench.ts seedRoster):
  // sip:buddy<n>@parley.test, the presentities the PUBLISHes make (no port: the server names its
  // resources by presentity in the list's NOTIFYs)
  const roster = { count: COUNT, host: server.domain, port: 0 };
  const watcher = `sip:watcher@${server.domain}`;
  const xcap = new XcapClient({ root: server.xcapRoot(), xui: watcher });
  const contacts = Array.from({ length: COUNT }, (_, n) => ({
    aor: buddyAor(n, roster.host, roster.port),
    name: `Buddy ${n}`,
    groups: [],
  }));
  await putContactList(xcap, watcher, { groups: [], contacts });

  await publishRound({ proxy, domain: server.domain, dir, round: 1, count: COUNT });
  console.log('round 1 published; starting Parley ...');
  const worker = await WorkerProcess.start(
    'watcher',
    { user: 'watcher', domain: server.domain, proxy: server.uri('tcp'), transport: 'tcp', xcapRoot: server.xcapRoot(), roster },
    60_000,
  );
  harness.onCleanup(() => worker.stop());
  await harness.awaitQuiet();

  await worker.request('presenceStart', {});
  const initial = await worker.request<PhaseResult>('presenceWait', { round: 1, timeoutMs: WAIT_MS }, WAIT_MS + 30_000);
  console.log(`all known: ${initial.known}/${COUNT}; every buddy publishes round 2 ...`);
  const stormStart = Date.now();
  await publishRound({ proxy, domain: server.domain, dir, round: 2, count: COUNT });
  const published = Date.now();
  const storm = await worker.request<PhaseResult>('presenceWait', { round: 2, timeoutMs: WAIT_MS }, WAIT_MS + 30_000);
  const snapshot = await worker.request<SnapshotCheck>('presenceSnapshot', { round: 2 });
  await worker.stop();

  const knownMs = initial.doneAt !== undefined ? initial.doneAt - initial.startedAt : undefined;
  const stormMs = storm.doneAt !== undefined ? storm.doneAt - stormStart : undefined;
  const rate = (elapsed: number | undefined) => (elapsed ? (COUNT * 1000) / elapsed : NaN);
  const complete = initial.known === COUNT && storm.known === COUNT && snapshot.buddies === COUNT && snapshot.correct === COUNT;

  console.log('');
  console.log(`Presence of ${COUNT} buddies through the bundled Kamailio's resource list server (TCP, no auth)`);
  const row = (label: string, phase: PhaseResult, elapsed: number | undefined) => [
    label,
    `${phase.known}/${COUNT}`,
    ms(elapsed),
    thousands(rate(elapsed)),
    ms(phase.loop.maxDelayMs),
    ms(phase.loop.maxTickGapMs),
    ms(phase.memory.rssMb),
    String(phase.events),
  ];
  console.log(
    table([
      ['phase', 'known', 'time ms', 'buddies/s', 'max loop delay ms', 'max 5 ms tick gap ms', 'RSS MB', 'buddy events'],
      row('Parley: start -> all known (one list SUBSCRIBE)', initial, knownMs),
      row('every buddy re-PUBLISHes -> all updated', storm, stormMs),
    ]),
  );
  console.log(`Round 2 PUBLISHes took ${published - stormStart} ms at sipp. Snapshot: ${snapshot.correct}/${snapshot.buddies} correct.`);
  if (snapshot.wrong.length) console.log(`Wrong or missing: ${snapshot.wrong.join(', ')}`);
  console.log(JSON.stringify({ bench: 'presence-rls', count: COUNT, knownMs, stormMs, initial, storm, snapshot, complete }));
  return complete ? 0 : 1;
});
