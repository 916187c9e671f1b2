/**
 * Micro benchmark of sip.js's message parser (Parser.parseMessage), as installed.
 *
 *   npx tsx bench/parser.ts [iterations-per-message=5000] [rounds=5]
 *
 * Parses a MESSAGE, a 200 OK, a NOTIFY with a PIDF body and a REGISTER with an Authorization
 * header, round-robin, and prints messages/s and µs/message (median of the rounds), plus a per-kind
 * breakdown. It can only measure the sip.js currently in node_modules: run it once with the patch
 * reverted (`npx patch-package --reverse`) and once applied (`npx patch-package`) to compare.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import { BENCH_MESSAGES } from '../electron/sip/testing/parser-samples.js';

const iterations = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 5);

const factory = new LoggerFactory();
factory.builtinEnabled = false;
const logger = factory.getLogger('sip.Parser');

function patchState(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('sip.js/package.json'));
  const src = readFileSync(join(pkgDir, 'lib/grammar/pegjs/dist/grammar.js'), 'utf8');
  return src.includes('PARLEY-PATCH: module-level-tables') ? 'patched (module-level tables)' : 'UNPATCHED (tables decoded per parse)';
}

function parseAll(data: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const m = Parser.parseMessage(data, logger);
    if (m === undefined) throw new Error('sample failed to parse');
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Sanity + warm-up (JIT) before timing.
for (const { name, data } of BENCH_MESSAGES) {
  if (Parser.parseMessage(data, logger) === undefined) throw new Error(`${name}: sample does not parse`);
}
for (let i = 0; i < Math.min(iterations, 1000); i++) for (const { data } of BENCH_MESSAGES) parseAll(data, 1);

console.log(`sip.js parser: ${patchState()}; node ${process.version}`);
console.log(`${BENCH_MESSAGES.length} messages x ${iterations} iterations, ${rounds} rounds (median)`);

const mixed: number[] = [];
for (let r = 0; r < rounds; r++) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) for (const { data } of BENCH_MESSAGES) parseAll(data, 1);
  const ns = Number(process.hrtime.bigint() - t0);
  mixed.push(ns / (iterations * BENCH_MESSAGES.length));
}
const perMsg = median(mixed);
console.log(`mixed: ${Math.round(1e9 / perMsg).toLocaleString('en-US')} msgs/s, ${(perMsg / 1000).toFixed(1)} µs/msg`);

const perKind: Record<string, number> = {};
for (const { name, data } of BENCH_MESSAGES) {
  const per: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const n = Math.max(1, Math.floor(iterations / 2));
    const t0 = process.hrtime.bigint();
    parseAll(data, n);
    per.push(Number(process.hrtime.bigint() - t0) / n);
  }
  const p = median(per);
  console.log(
    `  ${name.padEnd(24)} ${Math.round(1e9 / p)
      .toLocaleString('en-US')
      .padStart(9)} msgs/s  ${(p / 1000).toFixed(1).padStart(7)} µs/msg`,
  );
  perKind[name] = Math.round(1e9 / p);
}
console.log(
  JSON.stringify({
    bench: 'parser',
    patched: patchState().startsWith('patched'),
    messagesPerSecond: Math.round(1e9 / perMsg),
    microsecondsPerMessage: +(perMsg / 1000).toFixed(1),
    perKind,
  }),
);
