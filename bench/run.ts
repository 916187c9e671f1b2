/**
 * `npm run bench -- <name> [args...]`: runs one benchmark. Each prints a table and, as its last
 * line, one JSON object with its figures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const BENCHMARKS: Record<string, string> = {
  parser: 'sip.js message parsing rate (messages/s, µs/message)',
  transport: 'MESSAGE round trips/s Parley -> Kamailio -> Parley vs sipp (UDP/TCP, sequential and 32 in flight)',
  im: 'chat: a burst of 1,000 and 1,000 at 100/s Parley -> Parley (once, in order), latency p50/p99, vs sipp',
  ui: 'the window in Chromium: 5,000 contacts in groups, frame times in a presence storm, a 10,000-message conversation, JS heap',
  presence:
    "5,000 buddies from a sipp presence source: time until all known, NOTIFY/s, loop stalls, memory; NOTIFY storm vs sipp (--rls: through the bundled server's resource list server)",
  history: 'start-up with 5,000 contacts and 100,000 messages, opening a conversation, search p95 over 1,000,000 messages',
  soak: 'two Parleys chatting and changing status for --minutes (default 10): RSS, heap and stalls over time, growth (also npm run soak)',
  files:
    'a 100 MB file Parley -> Parley on loopback, each in its own process (--relay: accounts on the MSRP relay): MB/s vs a raw TCP copy, loop stalls and CPU/MB per side, the path the bytes took',
  idle: '500 buddies and nothing happening (--minutes, default 10): CPU % of a core, wake-ups/min, bytes/h per transport behind a NAT',
};

const [name, ...args] = process.argv.slice(2);
if (!name || !BENCHMARKS[name]) {
  console.error('Usage: npm run bench -- <name> [args]\n');
  for (const [key, what] of Object.entries(BENCHMARKS)) console.error(`  ${key.padEnd(10)} ${what}`);
  process.exit(name ? 2 : 0);
}
// presence --rls is its own program (bench/presence-rls.ts): another set-up, the same figures
const file = path.join(import.meta.dirname, name === 'presence' && args.includes('--rls') ? 'presence-rls.ts' : `${name}.ts`);
if (!existsSync(file)) {
  console.error(`bench: ${file} is missing`);
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
