/**
 * Heavy history queries run in the worker: while a search and an export of a big history run,
 * the main event loop keeps turning. The same searches on the main thread block it for longer
 * than the bound, so the bound would fail if they ran there.
 */
import fs from 'node:fs';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/cores.js';
import { openDatabase, type Db } from '../database.js';
import { HistoryClient } from './history-client.js';
import { indexQueued, seedBulk, seedConversation } from './testing/history-fixture.js';
import { HistoryReader } from './history-reader.js';

const MESSAGES = 300_000;
/** Longest the main event loop may stall while the worker searches or exports. */
const BOUND_MS = 200;
/**
 * Heavy searches: each a word start shared by 100,000 different words (ref0 to ref99999) and
 * another term. A search reads the index backwards and stops at its limit, so one takes tens of
 * milliseconds: five in a row are what would break the bound on the main thread.
 */
const QUERIES = ['1 ref', '2 ref', '3 ref', '4 ref', '5 ref'];

let dir: string;
let db: Db;
let client: HistoryClient;

beforeAll(() => {
  dir = tempDir('parley-history-loop-');
  db = openDatabase(dir);
  seedConversation(db, { id: 'big' });
  seedBulk(db, 'big', MESSAGES);
  // Indexed here, as the worker would have done while they were stored: what is measured below is
  // searching, not catching up with 300,000 queued messages.
  indexQueued(db);
  client = new HistoryClient(db.name);
}, 120_000);

afterAll(async () => {
  await client?.close();
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Resolves once the monitor has taken another sample (its timer fired again). */
async function nextSample(monitor: IntervalHistogram): Promise<void> {
  const count = monitor.count;
  while (monitor.count === count) await new Promise((resolve) => setImmediate(resolve));
}

/** The longest stall of the main event loop (ms) while `work` runs. */
async function longestStall(work: () => unknown): Promise<number> {
  const monitor = monitorEventLoopDelay({ resolution: 10 });
  monitor.enable();
  try {
    // Each sample measures from the one before: a stall is seen once there is a sample before it,
    // and one after it.
    await nextSample(monitor);
    await work();
    await nextSample(monitor);
  } finally {
    monitor.disable();
  }
  return monitor.max / 1e6;
}

describe('history on a big database', () => {
  it('needs a database big enough that these searches on the main thread would break the bound', async () => {
    const reader = new HistoryReader(db);
    const stall = await longestStall(() => QUERIES.map((query) => reader.search(query, undefined, 200)));
    expect(stall).toBeGreaterThan(BOUND_MS);
  });

  it('searches all of it in the worker while the main event loop keeps turning', async () => {
    await client.page('big', {}, 1); // the worker is up: its start is not what is measured
    let hits: number[] = [];
    const stall = await longestStall(async () => {
      hits = [];
      for (const query of QUERIES) hits.push((await client.search(query, undefined, 200)).length);
    });
    expect(hits).toEqual(QUERIES.map(() => 200));
    expect(stall).toBeLessThan(BOUND_MS);
  });

  it('exports all of it in chunks while the main event loop keeps turning', async () => {
    let content = '';
    const stall = await longestStall(async () => {
      content = (await client.exportConversation('big', 'text', Date.now())).content;
    });
    // Counted after the measurement: splitting 300,000 lines is the test's work, not the export's.
    expect(content.split('\n').filter((line) => line.startsWith('[')).length).toBe(MESSAGES);
    expect(stall).toBeLessThan(BOUND_MS);
  });
});
