/**
 * Summarises a V8 .cpuprofile (from bench/lib/worker.ts's profiler, `node --cpu-prof`, or Chrome
 * DevTools): busy time by area (sip.js parser, SQLite, our transport, ...), the hottest functions by
 * self time, and the heaviest of our own functions by inclusive time.
 *
 *   npx tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top=20]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Entry {
  name: string;
  ms: number;
  /** Share of busy (non-idle) time. */
  pct: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  idleMs: number;
  areas: Entry[];
  selfTop: Entry[];
  inclusiveTop: Entry[];
}

const REPO = path.resolve(import.meta.dirname, '..', '..');

function shortUrl(url: string): string {
  let p = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  if (p.startsWith(REPO + '/')) p = p.slice(REPO.length + 1);
  return p.replace(/^node_modules\//, '');
}

function frameName(frame: CallFrame): string {
  const fn = frame.functionName || '(anonymous)';
  if (!frame.url) return fn;
  return `${fn}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/** The area a JS frame belongs to, by its file. */
function areaOfUrl(url: string): string | undefined {
  if (!url) return undefined;
  if (url.includes('node_modules/sip.js/lib/grammar')) return 'sip.js parser (Peggy grammar)';
  if (url.includes('node_modules/sip.js/')) return 'sip.js core (transactions, UA, messages)';
  if (url.includes('node_modules/better-sqlite3/')) return 'SQLite (better-sqlite3)';
  if (url.includes('node_modules/zod/')) return 'zod (contract validation)';
  if (url.includes('node_modules/')) return 'other packages';
  if (url.includes('/electron/storage/')) return 'Parley storage/ (repos, JS side)';
  if (url.includes('/electron/sip/')) return 'Parley sip/ (transport, wire, reliability)';
  if (url.includes('/electron/core/')) return 'Parley core/ (messaging, events, logger)';
  if (url.includes('/electron/hosts/') || url.includes('/shared/')) return 'Parley hosts/ + shared/ (dispatch, schemas)';
  if (url.includes('/bench/')) return 'bench harness';
  if (/^node:(internal\/)?(dgram|net|stream|internal\/stream|internal\/dgram|internal\/net)/.test(url) || url.includes('stream_base')) {
    return 'Node sockets/streams';
  }
  if (url.startsWith('node:')) return 'Node internals (timers, events, crypto, ...)';
  return 'other JS';
}

export function summarise(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  // Area of each node: its own file, or for a native/builtin frame (no url) the nearest caller's
  // file, marked native (SQLite's statement.run() is a native call made from our repo code).
  const areaCache = new Map<number, string>();
  const areaOf = (id: number): string => {
    const cached = areaCache.get(id);
    if (cached) return cached;
    const frame = byId.get(id)!.callFrame;
    let area: string;
    if (frame.functionName === '(idle)') area = '(idle)';
    else if (frame.functionName === '(garbage collector)') area = 'GC';
    else if (frame.functionName === '(program)') area = 'V8/native, unattributed (program)';
    else if (frame.functionName === '(root)') area = 'V8/native, unattributed (program)';
    else {
      const own = areaOfUrl(frame.url);
      if (own) area = own;
      else {
        let up = parent.get(id);
        let callerArea: string | undefined;
        while (up !== undefined && !callerArea) {
          callerArea = areaOfUrl(byId.get(up)!.callFrame.url);
          up = parent.get(up);
        }
        if (callerArea === 'Parley storage/ (repos, JS side)' || callerArea === 'SQLite (better-sqlite3)') area = 'SQLite (better-sqlite3)';
        else area = `${callerArea ?? 'other JS'} [native calls]`;
      }
    }
    areaCache.set(id, area);
    return area;
  };

  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  let wallMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    // timeDeltas[i] is the gap before sample i; attribute the gap after it (the next delta) to it.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    wallMs += ms;
    const node = byId.get(id);
    if (!node) continue;
    const area = areaOf(id);
    if (area === '(idle)') {
      idleMs += ms;
      continue;
    }
    areas.set(area, (areas.get(area) ?? 0) + ms);
    const name = frameName(node.callFrame);
    self.set(name, (self.get(name) ?? 0) + ms);
    // Inclusive: every distinct function of ours or of sip.js on the stack (recursion counted once).
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const frame = byId.get(up)!.callFrame;
      if (!frame.url || frame.url.startsWith('node:') || frame.url.includes('node_modules/tsx')) continue;
      const key = frameName(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const busyMs = wallMs - idleMs;
  const entries = (map: Map<string, number>, n: number): Entry[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, ms]) => ({ name, ms, pct: busyMs > 0 ? (100 * ms) / busyMs : 0 }));
  return { wallMs, busyMs, idleMs, areas: entries(areas, 50), selfTop: entries(self, top), inclusiveTop: entries(inclusive, top) };
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const pct = (e: Entry) => `${e.pct.toFixed(1).padStart(5)} %  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}`;
  return [
    `${title}: ${s.wallMs.toFixed(0)} ms profiled, busy ${s.busyMs.toFixed(0)} ms (${((100 * s.busyMs) / Math.max(1, s.wallMs)).toFixed(0)} %), idle ${s.idleMs.toFixed(0)} ms; shares below are of busy time`,
    '  by area (self time):',
    ...s.areas.map((e) => '    ' + pct(e)),
    '  hottest functions (self time):',
    ...s.selfTop.map((e) => '    ' + pct(e)),
    '  heaviest functions (inclusive time, our code and sip.js):',
    ...s.inclusiveTop.map((e) => '    ' + pct(e)),
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/lib/cpuprofile.ts <file.cpuprofile> [top=20]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  console.log(formatSummary(path.basename(file), summarise(profile, Number(process.argv[3] ?? 20))));
}
