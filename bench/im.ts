/**
 * Chat end to end through the bundled Kamailio on loopback (issue: paging-mode chat):
 *
 *   npm run bench -- im [--count N] [--rate R] [--flood F] [--runs R] [--profile]
 *
 *  - Parley -> Kamailio -> Parley, each Parley its own OS process (bench/lib/worker.ts), UDP:
 *    a burst of N messages (default 1,000) into one chat window, all handed to sendMessage at once
 *    (the core's send window decides how many are in flight), then N paced at R per second
 *    (default 100). Every message must arrive exactly once and be shown in the sender's order
 *    (sorted by the `order` the receiving core gave it): checked, exit code 1 otherwise.
 *    Figures: messages/s of the burst (first send to last 2xx), send-to-receive latency (sender's
 *    sendMessage call to the receiver's message event, same machine clock) and round trip (to the
 *    2xx back at the sender), p50/p99.
 *  - sipp -> Kamailio -> sipp as the reference: the burst as N MESSAGEs with as many in flight as
 *    Parley's window (bench/scenarios/message-loop-uac.xml), and N at R per second, one per call
 *    (bench/scenarios/message-rate-uac.xml), round trip from microsecond timestamps.
 *  - The receiving client a user might pick instead, on the same work: a flood of F MESSAGEs
 *    (default 1,000) from a sipp UAC with 64 in flight through the same Kamailio, received in turn
 *    by Parley (a worker, storing every message), baresip and linphonec (the real programs, where
 *    installed); each takes a warm-up flood and then --runs R measured ones (default 3). Figures:
 *    the rate sipp saw, the client's CPU per message (/proc), its memory after the runs, whether
 *    every message reached it; median and range over the runs, and Parley/peer ratios.
 *    With --profile, Parley's last burst and its paced run (both sides) and its last measured flood run are
 *    CPU-profiled (sampling, so slower than unprofiled) and the busiest functions are printed
 *    after the table.
 * A table, then as the last line one JSON object with the figures and the ratios
 * (burst rate Parley/sipp; paced p99 round trip Parley/sipp; flood rate and CPU Parley/peer).
 * Aims: Parley's p99 send-to-receive under 20 ms at 100 messages/s; the burst at 3,000 messages/s
 * or more (median of --runs bursts; the latencies shown are the median run's); as the receiving
 * client at least as fast as baresip on the same flood.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../server/free-port.js';
import type { RunningServer } from '../server/kamailio.js';
import { flag, numberOption } from './lib/args.js';
import { formatSummary, summarise, type CpuProfile } from './lib/cpuprofile.js';
import { Harness, kamailioCpu, kamailioHeadroom } from './lib/harness.js';
import { flood, type FloodRun } from './lib/flood.js';
import { cpuSeconds } from './lib/procstat.js';
import type { ArrivalsResult, BurstResult, Quantiles } from './lib/im-bench.js';
import { missing, residentMb, startReceivingClient, type ClientName } from './lib/receiving-clients.js';
import { killGroup, register, runRateUac, runUac, startUas } from './lib/sipp.js';
import { quantile, round, spread, spreadText, table, thousands, type Spread } from './lib/stats.js';
import { runWorkersFromSources, WorkerProcess } from './lib/worker-client.js';

const HOST = '127.0.0.1';
const DOMAIN = 'parley.test';
/** What Parley's chat keeps in flight per conversation by default (electron/core/conversations). */
const SEND_WINDOW = 8;
const AIM_P99_MS = 20;
const KAMAILIO_TX_BUDGET = 3500;
const WARMUP = 200;

const COUNT = Math.floor(numberOption('--count', 1000));
const RATE = numberOption('--rate', 100);
const FLOOD = Math.floor(numberOption('--flood', 1000));
const FLOOD_IN_FLIGHT = 64;
const RUNS = Math.max(1, Math.floor(numberOption('--runs', 3)));
const PROFILE = flag('--profile');
if (PROFILE) runWorkersFromSources(); // a profile names each function's file only from the sources
const PROFILE_INTERVAL_US = 500;
const AIM_FLOOD_RATE_VS_BARESIP = 1;
/** Issue 12: the burst into one chat (the window of 8, receipts asked) at this many messages/s. */
const AIM_BURST_RATE = 3000;
for (const [name, n] of [
  ['--count', COUNT],
  ['--flood', FLOOD],
] as const)
  if (n > KAMAILIO_TX_BUDGET - WARMUP) throw new Error(`${name} ${n} is more than the bundled Kamailio can hold at once`);

const harness = new Harness('im', 10 * 60_000, 60_000);
const headroom = (server: RunningServer, needed: number) => kamailioHeadroom(server, needed, KAMAILIO_TX_BUDGET);

interface ParleyCase {
  sent: BurstResult;
  received: ArrivalsResult;
  exactlyOnceInOrder: boolean;
  /** CPU µs per message of the sending and receiving Parley and of Kamailio over the case. */
  cpuUsPerMessage: { sender: number; receiver: number; kamailio: number };
}

async function parleyCase(
  server: RunningServer,
  tx: WorkerProcess,
  rx: WorkerProcess,
  to: string,
  tag: string,
  rate?: number,
  profiles?: string[],
): Promise<ParleyCase> {
  await headroom(server, COUNT);
  await harness.awaitQuiet();
  if (profiles) await Promise.all([tx, rx].map((w) => w.request('profileStart', { intervalUs: PROFILE_INTERVAL_US })));
  const cpu0 = [cpuSeconds(tx.pid), cpuSeconds(rx.pid), kamailioCpu(server)];
  const sent = await tx.request<BurstResult>('burst', { to, count: COUNT, tag, ...(rate ? { ratePerSecond: rate } : {}) }, 300_000);
  const received = await rx.request<ArrivalsResult>('arrivals', { tag, expected: COUNT, timeoutMs: 10_000 });
  // Read when the last 2xx is back: the receiver's receipts for the last messages may still be on their way.
  const [sender, receiver, kamailio] = [cpuSeconds(tx.pid), cpuSeconds(rx.pid), kamailioCpu(server)].map((s, k) =>
    Math.round(((s - cpu0[k]!) * 1e6) / COUNT),
  );
  if (profiles) {
    for (const [side, worker] of [
      ['sending', tx],
      ['receiving', rx],
    ] as const) {
      const file = path.join(tmpdir(), `parley-bench-im-${tag}-${side}-${Date.now()}.cpuprofile`);
      await worker.request('profileStop', { file });
      const title = `Parley ${side} ${rate ? `at ${rate}/s` : 'the last burst'} (sampling every ${PROFILE_INTERVAL_US} µs)`;
      profiles.push(
        `${formatSummary(title, summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 25))}\nprofile kept in ${file}`,
      );
    }
  }
  const exactlyOnceInOrder =
    sent.delivered === COUNT && received.distinct === COUNT && received.duplicates === 0 && received.inDisplayOrder;
  return { sent, received, exactlyOnceInOrder, cpuUsPerMessage: { sender: sender!, receiver: receiver!, kamailio: kamailio! } };
}

interface SippFigures {
  burst: { messagesPerSecond: number; inFlight: number };
  paced: { rate: number; roundTripMs: Quantiles; messagesPerSecond: number };
}

async function sippReference(server: RunningServer, dir: string): Promise<SippFigures> {
  const port = await freePort(HOST);
  const uas = await startUas({ transport: 'udp', host: HOST, port, dir });
  harness.onCleanup(() => uas.stop());
  const user = 'sipp-im-rx';
  await register({ proxy: `${HOST}:${server.port}`, host: HOST, user, domain: DOMAIN, dir, contact: `sip:${user}@${HOST}:${port}` });
  const common = { transport: 'udp' as const, proxy: `${HOST}:${server.port}`, host: HOST, from: 'sipp-im-tx', to: user, domain: DOMAIN };
  const track = (child: ChildProcess) => harness.onCleanup(async () => killGroup(child));
  try {
    await headroom(server, COUNT);
    await harness.awaitQuiet();
    const burst = await runUac({ ...common, concurrency: SEND_WINDOW, count: COUNT, dir: mkdtempSync(path.join(dir, 'burst-')), track });
    await headroom(server, COUNT);
    await harness.awaitQuiet();
    const paced = await runRateUac({ ...common, rate: RATE, count: COUNT, dir: mkdtempSync(path.join(dir, 'paced-')), track });
    const rt = paced.roundTripsMs;
    return {
      burst: { messagesPerSecond: burst.messagesPerSecond, inFlight: SEND_WINDOW },
      paced: {
        rate: RATE,
        messagesPerSecond: paced.messagesPerSecond,
        roundTripMs: {
          p50: quantile(rt, 0.5),
          p99: quantile(rt, 0.99),
          mean: rt.reduce((a, b) => a + b, 0) / rt.length,
          max: Math.max(...rt),
        },
      },
    };
  } finally {
    await uas.stop();
  }
}

interface ClientFigures {
  name: ClientName;
  runs: FloodRun[];
  messagesPerSecond: Spread;
  cpuUsPerMessage: Spread;
  roundTripP99Ms: Spread;
  residentMb: number;
  /** Every MESSAGE got its 200 and reached the client. */
  everyMessageTaken: boolean;
}

/** The same flood into each receiving client in turn, one client running at a time. */
async function receivingClients(
  server: RunningServer,
  dir: string,
): Promise<{ clients: ClientFigures[]; skipped: string[]; profiles: string[] }> {
  const clients: ClientFigures[] = [];
  const profiles: string[] = [];
  const skipped: string[] = [];
  for (const name of ['Parley', 'baresip', 'linphonec'] as const) {
    const why = missing(name);
    if (why) {
      skipped.push(`${name}: ${why}`);
      continue;
    }
    const user = `flood-${name.toLowerCase()}`;
    const client = await startReceivingClient(name, { user, domain: DOMAIN, proxy: `sip:${HOST}:${server.port}` });
    harness.onCleanup(() => client.stop());
    const target = {
      proxy: `${HOST}:${server.port}`,
      host: HOST,
      domain: DOMAIN,
      user,
      dir,
      track: (child: ChildProcess) => harness.onCleanup(async () => killGroup(child)),
    };
    await headroom(server, WARMUP);
    await flood(client, target, WARMUP, FLOOD_IN_FLIGHT);
    const runs: FloodRun[] = [];
    for (let r = 0; r < RUNS; r++) {
      await headroom(server, FLOOD);
      await harness.awaitQuiet();
      const profiled = PROFILE && r === RUNS - 1 ? client.profiler : undefined;
      await profiled?.start(PROFILE_INTERVAL_US);
      runs.push(await flood(client, target, FLOOD, FLOOD_IN_FLIGHT));
      if (profiled) {
        const file = path.join(tmpdir(), `parley-bench-im-${Date.now()}.cpuprofile`);
        await profiled.stop(file);
        profiles.push(
          formatSummary(
            `${name} receiving the last flood (sampling every ${PROFILE_INTERVAL_US} µs)`,
            summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, 25),
          ) + `\nprofile kept in ${file}`,
        );
      }
    }
    clients.push({
      name,
      runs,
      messagesPerSecond: spread(runs.map((run) => run.messagesPerSecond)),
      cpuUsPerMessage: spread(runs.map((run) => run.cpuUsPerMessage)),
      roundTripP99Ms: spread(runs.map((run) => run.roundTripMs.p99)),
      residentMb: residentMb(client.pid),
      everyMessageTaken: runs.every((run) => run.answered === run.sent && run.taken === run.sent),
    });
    await client.stop();
  }
  return { clients, skipped, profiles };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '-');
const roundSpread = (s: Spread, digits = 0) => ({ median: round(s.median, digits), min: round(s.min, digits), max: round(s.max, digits) });
const q = (v: Quantiles) => ({ p50: round(v.p50, 3), p99: round(v.p99, 3), max: round(v.max, 3) });

const cpuText = (c: ParleyCase) => `${c.cpuUsPerMessage.sender} / ${c.cpuUsPerMessage.receiver} / ${c.cpuUsPerMessage.kamailio}`;

function caseJson(c: ParleyCase) {
  return {
    count: c.sent.count,
    delivered: c.sent.delivered,
    receivedDistinct: c.received.distinct,
    duplicates: c.received.duplicates,
    inDisplayOrder: c.received.inDisplayOrder,
    inArrivalOrder: c.received.inArrivalOrder,
    ...(c.received.firstDisorder ? { firstDisorder: c.received.firstDisorder } : {}),
    messagesPerSecond: round(c.sent.messagesPerSecond),
    sendToReceiveMs: q(c.received.latencyMs),
    roundTripMs: q(c.sent.roundTripMs),
    cpuUsPerMessage: c.cpuUsPerMessage,
    ...(Object.keys(c.sent.failures).length ? { failures: c.sent.failures } : {}),
  };
}

await harness.main(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-im-'));
  harness.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  const server = await harness.kamailio();
  const proxy = `sip:${HOST}:${server.port}`;
  console.log('starting 2 Parley worker processes (sender, receiver) over UDP ...');
  const [tx, rx] = await Promise.all(
    ['im-tx', 'im-rx'].map((user) => WorkerProcess.start(user, { user, domain: DOMAIN, proxy, transport: 'udp', im: true })),
  );
  harness.onCleanup(() => tx!.stop());
  harness.onCleanup(() => rx!.stop());
  const to = `sip:im-rx@${DOMAIN}`;

  console.log(
    `Parley: warm-up (${WARMUP}), ${RUNS} bursts of ${COUNT} into one chat, then ${COUNT} at ${RATE}/s (~${Math.round(COUNT / RATE)} s) ...`,
  );
  const warm = await tx!.request<BurstResult>('burst', { to, count: WARMUP, tag: 'warmup' }, 120_000);
  if (warm.delivered !== WARMUP) throw new Error(`warm-up failed: ${JSON.stringify(warm.failures)}`);
  // The burst --runs times: the median run is the one shown, the rate with its range.
  const bursts: ParleyCase[] = [];
  const burstProfiles: string[] = [];
  for (let i = 0; i < RUNS; i++)
    bursts.push(await parleyCase(server, tx!, rx!, to, `burst-${i + 1}`, undefined, PROFILE && i === RUNS - 1 ? burstProfiles : undefined));
  const burstRate = spread(bursts.map((b) => b.sent.messagesPerSecond));
  const burst = [...bursts].sort((a, b) => a.sent.messagesPerSecond - b.sent.messagesPerSecond)[Math.floor(bursts.length / 2)]!;
  const paced = await parleyCase(server, tx!, rx!, to, 'paced', RATE, PROFILE ? burstProfiles : undefined);
  await Promise.all([tx!.stop(), rx!.stop()]);

  console.log(`sipp: ${COUNT} with ${SEND_WINDOW} in flight, then ${COUNT} at ${RATE}/s ...`);
  const sipp = await sippReference(server, dir);

  console.log(`Receiving clients: ${FLOOD} MESSAGEs from sipp, ${FLOOD_IN_FLIGHT} in flight, a warm-up and ${RUNS} runs each ...`);
  const receiving = await receivingClients(server, dir);
  const parleyRx = receiving.clients.find((c) => c.name === 'Parley');
  const peerRatios = Object.fromEntries(
    receiving.clients
      .filter((c) => c.name !== 'Parley' && parleyRx)
      .map((c) => [
        c.name,
        {
          messagesPerSecond: round(parleyRx!.messagesPerSecond.median / c.messagesPerSecond.median, 3),
          cpuUsPerMessage: round(parleyRx!.cpuUsPerMessage.median / c.cpuUsPerMessage.median, 3),
          residentMb: round(parleyRx!.residentMb / c.residentMb, 3),
        },
      ]),
  );

  const ratio = {
    burstRate: round(burst.sent.messagesPerSecond / sipp.burst.messagesPerSecond, 3),
    pacedRoundTripP99: round(paced.sent.roundTripMs.p99 / sipp.paced.roundTripMs.p99, 3),
    receivingClient: peerRatios,
  };
  const floodAim = peerRatios.baresip ? peerRatios.baresip.messagesPerSecond >= AIM_FLOOD_RATE_VS_BARESIP : undefined;
  const burstAim = burstRate.median >= AIM_BURST_RATE;
  const allGood =
    bursts.every((b) => b.exactlyOnceInOrder) &&
    paced.exactlyOnceInOrder &&
    receiving.clients.every((c) => c.name !== 'Parley' || c.everyMessageTaken);
  const aimMet = paced.received.latencyMs.p99 < AIM_P99_MS;
  const once = (c: ParleyCase) =>
    c.exactlyOnceInOrder
      ? `yes ${c.received.distinct}/${COUNT}`
      : `NO ${c.received.distinct}/${COUNT} dup ${c.received.duplicates}${c.received.inDisplayOrder ? '' : ' disorder'}`;

  console.log('');
  console.log(`Chat messages on loopback through Kamailio ${HOST}:${server.port} (UDP, no auth), one conversation`);
  console.log(
    table([
      [
        'case',
        'msg/s',
        'send->receive p50/p99 ms',
        'round trip p50/p99 ms',
        'CPU µs/msg tx/rx/Kamailio',
        'once, in order',
        'sipp msg/s',
        'sipp round trip p50/p99 ms',
      ],
      [
        `Parley burst (${RUNS} runs)`,
        spreadText(burstRate),
        `${ms(burst.received.latencyMs.p50)} / ${ms(burst.received.latencyMs.p99)}`,
        `${ms(burst.sent.roundTripMs.p50)} / ${ms(burst.sent.roundTripMs.p99)}`,
        cpuText(burst),
        once(burst),
        thousands(sipp.burst.messagesPerSecond),
        '-',
      ],
      [
        `Parley ${RATE}/s`,
        thousands(paced.sent.messagesPerSecond),
        `${ms(paced.received.latencyMs.p50)} / ${ms(paced.received.latencyMs.p99)}`,
        `${ms(paced.sent.roundTripMs.p50)} / ${ms(paced.sent.roundTripMs.p99)}`,
        cpuText(paced),
        once(paced),
        thousands(sipp.paced.messagesPerSecond),
        `${ms(sipp.paced.roundTripMs.p50)} / ${ms(sipp.paced.roundTripMs.p99)}`,
      ],
    ]),
  );
  console.log('');
  console.log(
    `Burst: all ${COUNT} handed to sendMessage at once; sipp keeps ${SEND_WINDOW} in flight (Parley's window). msg/s = first send to last 2xx.`,
  );
  console.log(
    "send->receive: the sender's sendMessage call to the receiver's message event (same clock). Round trip: to the 2xx back at the sender.",
  );
  console.log(
    `Ratios: burst rate Parley/sipp ${ratio.burstRate.toFixed(2)}; p99 round trip at ${RATE}/s Parley/sipp ${ratio.pacedRoundTripP99.toFixed(2)} (lower is better).`,
  );
  console.log(
    `Aim: p99 send->receive under ${AIM_P99_MS} ms at ${RATE}/s: ${ms(paced.received.latencyMs.p99)} ms, ${aimMet ? 'met' : 'NOT met'}.`,
  );
  console.log(
    `Aim: the burst at ${thousands(AIM_BURST_RATE)} msg/s or more (median): ${thousands(burstRate.median)}, ${burstAim ? 'met' : 'NOT met'}. The other burst figures are the median run's.`,
  );
  console.log('');
  console.log(`Receiving client of the same flood (${FLOOD} MESSAGEs, ${FLOOD_IN_FLIGHT} in flight, UDP), median (range) of ${RUNS} runs`);
  console.log(
    table([
      ['client', 'msg/s', 'CPU µs/msg', 'round trip p99 ms', 'RSS MB', 'all answered, all shown', 'msg/s Parley/peer', 'CPU Parley/peer'],
      ...receiving.clients.map((c) => [
        c.name,
        spreadText(c.messagesPerSecond),
        spreadText(c.cpuUsPerMessage),
        spreadText(c.roundTripP99Ms, ms),
        c.residentMb.toFixed(0),
        c.everyMessageTaken ? 'yes' : `NO (${c.runs.map((r) => `${r.answered}/${r.taken}/${r.sent}`).join(', ')})`,
        peerRatios[c.name]?.messagesPerSecond.toFixed(2) ?? '-',
        peerRatios[c.name]?.cpuUsPerMessage.toFixed(2) ?? '-',
      ]),
    ]),
  );
  for (const line of receiving.skipped) console.log(`  not measured: ${line}`);
  for (const profile of [...burstProfiles, ...receiving.profiles]) console.log(`\n${profile}`);
  console.log("NO (a/s/n): of n sent, a got their 200 and s were shown. Round trip: sipp's MESSAGE to its 200, through Kamailio.");
  console.log(
    'Parley stores every message durably before its 200; baresip prints it and keeps nothing; linphonec keeps it in its chat database.',
  );
  console.log(
    PROFILE
      ? 'Parley ran from its sources through tsx (for the profile): its RSS is some 40-55 MB above the bundled build the app runs.'
      : 'Parley runs as a bench worker bundled as the app bundles its main process (electron/build.ts).',
  );
  if (floodAim !== undefined)
    console.log(
      `Aim: as the receiving client at least as fast as baresip: ${peerRatios.baresip!.messagesPerSecond.toFixed(2)} of its rate, ${floodAim ? 'met' : 'NOT met'}.`,
    );
  if (!allGood) console.log('FAILED: a message was lost, doubled or shown out of order.');
  if (harness.kamailioErrors.length)
    console.log(`Kamailio logged ${harness.kamailioErrors.length} errors, e.g.: ${harness.kamailioErrors[0]}`);
  console.log(
    JSON.stringify({
      bench: 'im',
      parley: { burst: { ...caseJson(burst), runs: roundSpread(burstRate) }, paced: { rate: RATE, ...caseJson(paced) } },
      sipp: {
        burst: { messagesPerSecond: round(sipp.burst.messagesPerSecond), inFlight: sipp.burst.inFlight },
        paced: { rate: RATE, messagesPerSecond: round(sipp.paced.messagesPerSecond, 1), roundTripMs: q(sipp.paced.roundTripMs) },
      },
      receivingClients: Object.fromEntries(
        receiving.clients.map((c) => [
          c.name,
          {
            messagesPerSecond: roundSpread(c.messagesPerSecond),
            cpuUsPerMessage: roundSpread(c.cpuUsPerMessage),
            roundTripP99Ms: roundSpread(c.roundTripP99Ms, 2),
            residentMb: round(c.residentMb, 1),
            everyMessageTaken: c.everyMessageTaken,
          },
        ]),
      ),
      ...(receiving.skipped.length ? { notMeasured: receiving.skipped } : {}),
      ratio,
      exactlyOnceInOrder: allGood,
      aim: {
        p99SendToReceiveMs: AIM_P99_MS,
        atRate: RATE,
        met: aimMet,
        burstMessagesPerSecond: AIM_BURST_RATE,
        burstMet: burstAim,
        ...(floodAim !== undefined ? { receivingClientAtLeastBaresip: floodAim } : {}),
      },
      setup: {
        count: COUNT,
        warmup: WARMUP,
        flood: FLOOD,
        floodInFlight: FLOOD_IN_FLIGHT,
        runs: RUNS,
        transport: 'udp',
        auth: false,
        host: HOST,
        node: process.version,
      },
    }),
  );
  return allGood ? 0 : 1;
});
