/**
 * Start-up and history at scale (issue 12, point 6).
 *
 *   npm run bench -- history [--contacts 5000] [--conversations 500] [--messages 100000]
 *                            [--search-messages 1000000] [--runs 5] [--queries 100]
 *
 *  - A data folder with `contacts` contacts and `messages` messages over `conversations`
 *    conversations (bench/lib/history-seed.ts: Zipf-sized conversations, Zipf-drawn words, the
 *    search index built). Then `runs` cold starts, each a fresh Node process running a bundle of
 *    bench/lib/history-core.ts and the history worker (as the app loads its code, not via tsx):
 *    createParley until the first full snapshot is back (what the window waits for), and the
 *    latest page (100 messages) of 20 conversations, the longest ones among them: opening a
 *    conversation. The OS file cache is warm (the folder was just written): a start after a
 *    reboot reads the file from disk first.
 *  - A second folder with `search-messages` messages, and `queries` history searches per run
 *    through the core (the history worker): common, middling and rare words, two words, word
 *    starts, and searches in the longest conversation. p50/p95/max per run.
 * Every figure is the median of the runs with their range. Aims: snapshot ≤ 500 ms, opening ≤ 50 ms,
 * search p95 ≤ 50 ms. A table, then one JSON object as the last line; exit code 1 only when the
 * data came back wrong (a missing conversation, an empty page), not when an aim is missed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { numberOption } from './lib/args.js';
import { bundleForNode } from '../electron/build.js';
import { Harness } from './lib/harness.js';
import type { HistoryCoreRequest, HistoryCoreResult } from './lib/history-core.js';
import { conversationId, seedHistory, vocabulary, type HistoryShape } from './lib/history-seed.js';
import { quantile, round, spread, spreadText, table, thousands, type Spread } from './lib/stats.js';

const AIM_SNAPSHOT_MS = 500;
const AIM_OPEN_MS = 50;
const AIM_SEARCH_P95_MS = 50;

const CONTACTS = Math.floor(numberOption('--contacts', 5000));
const CONVERSATIONS = Math.floor(numberOption('--conversations', 500));
const MESSAGES = Math.floor(numberOption('--messages', 100_000));
const SEARCH_MESSAGES = Math.floor(numberOption('--search-messages', 1_000_000));
const RUNS = Math.max(1, Math.floor(numberOption('--runs', 5)));
const QUERIES = Math.max(1, Math.floor(numberOption('--queries', 100)));

const harness = new Harness('history', 60 * 60_000, 60_000);

const ROOT = path.resolve(import.meta.dirname, '..');
const BUNDLE_DIR = path.join(ROOT, 'dist', 'bench');
const CORE_BUNDLE = path.join(BUNDLE_DIR, 'history-core.cjs');

/** The measured process and its history worker as bundles, loaded as the app loads its code (not through tsx). */
async function bundle(): Promise<void> {
  await bundleForNode(ROOT, 'bench/lib/history-core.ts', CORE_BUNDLE);
  await bundleForNode(ROOT, 'electron/storage/history/history-worker.ts', path.join(BUNDLE_DIR, 'history-worker.cjs'));
}

function runCore(request: HistoryCoreRequest): Promise<HistoryCoreResult> {
  const child = spawn(process.execPath, [CORE_BUNDLE, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) reject(new Error(`history-core exited with ${code}: ${last}`));
      else resolve(JSON.parse(last) as HistoryCoreResult);
    });
  });
}

/** The queries a run makes: a deterministic mix over the vocabulary's frequency ranks. */
function queries(count: number): { query: string; conversationId?: string; kind: string }[] {
  const words = vocabulary();
  const kinds: ((i: number) => { query: string; conversationId?: string; kind: string })[] = [
    (i) => ({ kind: 'common word', query: words[i % 10]! }),
    (i) => ({ kind: 'middling word', query: words[100 + ((i * 37) % 900)]! }),
    (i) => ({ kind: 'rare word', query: words[3000 + ((i * 53) % 2000)]! }),
    (i) => ({ kind: 'two words', query: `${words[(i * 7) % 50]} ${words[200 + ((i * 11) % 300)]}` }),
    (i) => ({ kind: 'word start', query: words[(i * 13) % 1000]!.slice(0, 3) }),
    (i) => ({ kind: 'in a conversation', query: words[50 + ((i * 17) % 500)]!, conversationId: conversationId(0) }),
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(Math.floor(i / kinds.length)));
}

function folder(shape: HistoryShape, label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `parley-bench-history-${label}-`));
  harness.onCleanup(async () => rmSync(dir, { recursive: true, force: true }));
  const seeded = seedHistory(dir, shape);
  console.log(
    `  ${label}: ${thousands(shape.contacts)} contacts, ${thousands(shape.messages)} messages in ${thousands(shape.conversations)} conversations ` +
      `(written in ${(seeded.writeMs / 1000).toFixed(1)} s, indexed in ${(seeded.indexMs / 1000).toFixed(1)} s)`,
  );
  return dir;
}

const ms = (v: number) => v.toFixed(1);
const spreadMs = (s: Spread) => spreadText(s, ms);
const r1 = (s: Spread) => ({ median: round(s.median, 1), min: round(s.min, 1), max: round(s.max, 1) });

harness.main(async () => {
  console.log('history: bundling, preparing data folders ...');
  await bundle();
  const startDir = folder({ contacts: CONTACTS, conversations: CONVERSATIONS, messages: MESSAGES }, 'start-up');
  const open = Array.from({ length: 20 }, (_, i) => conversationId(i < 5 ? i : 5 + ((i * 23) % Math.max(1, CONVERSATIONS - 5))));

  const starts: HistoryCoreResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    await harness.awaitQuiet();
    starts.push(await runCore({ dataDir: startDir, open, queries: [] }));
  }
  const searchDir = folder({ contacts: CONTACTS, conversations: CONVERSATIONS, messages: SEARCH_MESSAGES }, 'search');
  const asked = queries(QUERIES);
  const searches: HistoryCoreResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    await harness.awaitQuiet();
    searches.push(await runCore({ dataDir: searchDir, open: [], queries: asked }));
  }

  const wrong: string[] = [];
  for (const s of [...starts, ...searches]) {
    if (s.contacts !== CONTACTS) wrong.push(`snapshot has ${s.contacts} contacts, not ${CONTACTS}`);
    if (s.conversations !== Math.min(CONVERSATIONS, CONTACTS)) wrong.push(`snapshot has ${s.conversations} conversations`);
  }
  for (const s of starts) if (s.openedMessages.some((n) => n === 0)) wrong.push('a conversation opened empty');
  for (const s of searches) if (s.searchHits.every((n) => n === 0)) wrong.push('no search found anything');

  const snapshot = spread(starts.map((s) => s.snapshotMs));
  const imports = spread(starts.map((s) => s.importMs));
  const snapshotMessages = starts[0]!.snapshotMessages;
  const openP50 = spread(starts.map((s) => quantile(s.openMs, 0.5)));
  const openMax = spread(starts.map((s) => Math.max(...s.openMs)));
  const searchP50 = spread(searches.map((s) => quantile(s.searchMs, 0.5)));
  const searchP95 = spread(searches.map((s) => quantile(s.searchMs, 0.95)));
  const searchMax = spread(searches.map((s) => Math.max(...s.searchMs)));
  // The slowest kind of query, from the run with the median p95.
  const byKind = new Map<string, number[]>();
  const median = [...searches].sort((a, b) => quantile(a.searchMs, 0.95) - quantile(b.searchMs, 0.95))[searches.length >> 1]!;
  asked.forEach((q, i) => byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), median.searchMs[i]!]));

  console.log('');
  console.log(`History: ${RUNS} runs, median (range)`);
  console.log(
    table([
      ['figure', 'measured', 'aim'],
      ['cold start: createParley -> first snapshot', `${spreadMs(snapshot)} ms`, `≤ ${AIM_SNAPSHOT_MS} ms`],
      ['  (before it: Node start and the bundle loaded)', `${spreadMs(imports)} ms`, ''],
      [`open a conversation (latest 100), p50`, `${spreadMs(openP50)} ms`, ''],
      [`open a conversation, slowest of 20`, `${spreadMs(openMax)} ms`, `≤ ${AIM_OPEN_MS} ms`],
      [`search over ${thousands(SEARCH_MESSAGES)}, p50`, `${spreadMs(searchP50)} ms`, ''],
      [`search, p95 of ${QUERIES}`, `${spreadMs(searchP95)} ms`, `≤ ${AIM_SEARCH_P95_MS} ms`],
      ['search, slowest', `${spreadMs(searchMax)} ms`, ''],
    ]),
  );
  console.log(`The snapshot held ${thousands(snapshotMessages)} recent messages of ${starts[0]!.conversations} conversations.`);
  console.log(
    'Search by kind (median run): ' +
      [...byKind].map(([kind, times]) => `${kind} p50 ${ms(quantile(times, 0.5))} / max ${ms(Math.max(...times))} ms`).join('; '),
  );
  if (wrong.length) console.log(`FAILED: ${[...new Set(wrong)].join('; ')}`);
  const aim = {
    snapshotMs: AIM_SNAPSHOT_MS,
    openMs: AIM_OPEN_MS,
    searchP95Ms: AIM_SEARCH_P95_MS,
    snapshotMet: snapshot.median <= AIM_SNAPSHOT_MS,
    openMet: openMax.median <= AIM_OPEN_MS,
    searchMet: searchP95.median <= AIM_SEARCH_P95_MS,
  };
  console.log(
    JSON.stringify({
      bench: 'history',
      runs: RUNS,
      shape: { contacts: CONTACTS, conversations: CONVERSATIONS, messages: MESSAGES, searchMessages: SEARCH_MESSAGES, queries: QUERIES },
      snapshotMs: r1(snapshot),
      importMs: r1(imports),
      snapshotMessages,
      openMs: { p50: r1(openP50), max: r1(openMax) },
      searchMs: { p50: r1(searchP50), p95: r1(searchP95), max: r1(searchMax) },
      searchByKindMs: Object.fromEntries(
        [...byKind].map(([kind, times]) => [kind, { p50: round(quantile(times, 0.5), 1), max: round(Math.max(...times), 1) }]),
      ),
      aim: { ...aim, met: aim.snapshotMet && aim.openMet && aim.searchMet },
      correct: wrong.length === 0,
    }),
  );
  return wrong.length ? 1 : 0;
});
