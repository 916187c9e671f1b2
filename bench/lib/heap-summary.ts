/**
 * What holds a process's memory, from a V8 heap snapshot (`v8.writeHeapSnapshot`, Chrome DevTools'
 * Memory tab): the snapshot's nodes summed by kind and constructor name (self sizes: what each
 * object takes itself, not what it keeps alive), largest first. Two summaries subtract into a diff,
 * so a bench can show what a phase added (5,000 buddies, a loaded history).
 *
 *   npx tsx bench/lib/heap-summary.ts <file.heapsnapshot> [top=25]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  /** "<kind> <constructor>", e.g. "object EventSubscription", "string", "closure onNotify". */
  name: string;
  count: number;
  bytes: number;
}

/** Self sizes summed per kind and name; strings, code and arrays grouped by kind only. */
export function summariseHeap(file: string): Map<string, HeapGroup> {
  const snap = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
  const fields = snap.snapshot.meta.node_fields;
  const kinds = snap.snapshot.meta.node_types[0];
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, HeapGroup>();
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const kind = kinds[snap.nodes[i + typeAt]!] ?? '?';
    // Objects and closures are told apart by constructor or function name; for the rest the
    // name is the content (a string's text, a number's value), so they group by kind alone.
    const named = kind === 'object' || kind === 'closure' || kind === 'native';
    const name = named ? `${kind} ${snap.strings[snap.nodes[i + nameAt]!]}` : kind;
    const group = groups.get(name) ?? { name, count: 0, bytes: 0 };
    group.count++;
    group.bytes += snap.nodes[i + sizeAt]!;
    groups.set(name, group);
  }
  return groups;
}

/** after - before, per group; groups that shrank are kept (negative). */
export function diffHeap(before: Map<string, HeapGroup>, after: Map<string, HeapGroup>): HeapGroup[] {
  const out: HeapGroup[] = [];
  for (const [name, a] of after) {
    const b = before.get(name);
    out.push({ name, count: a.count - (b?.count ?? 0), bytes: a.bytes - (b?.bytes ?? 0) });
  }
  for (const [name, b] of before) if (!after.has(name)) out.push({ name, count: -b.count, bytes: -b.bytes });
  return out.sort((x, y) => y.bytes - x.bytes);
}

export function formatHeap(title: string, groups: readonly HeapGroup[], top = 25): string {
  const total = groups.reduce((sum, g) => sum + g.bytes, 0);
  const lines = [`${title}: ${(total / 1e6).toFixed(1)} MB in all`];
  for (const g of groups.slice(0, top)) {
    lines.push(`  ${(g.bytes / 1e6).toFixed(2).padStart(8)} MB  ${String(g.count).padStart(8)} x  ${g.name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    console.error('usage: npx tsx bench/lib/heap-summary.ts <file.heapsnapshot> [top=25]');
    process.exit(2);
  }
  const groups = [...summariseHeap(file).values()].sort((a, b) => b.bytes - a.bytes);
  console.log(formatHeap(file, groups, Number(top ?? 25)));
}
