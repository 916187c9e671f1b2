/**
 * A renderer CPU profile for `bench ui --profile DIR`: Chromium's sampling profiler (CDP `Profiler`)
 * around one phase, written as a .cpuprofile (opens in Chromium's DevTools) and summed up by self time,
 * so a slow frame can be traced to the functions that took it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CDPSession } from 'playwright-core';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export async function startProfile(cdp: CDPSession): Promise<(name: string, dir: string) => Promise<string>> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  return async (name, dir) => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    const file = path.join(dir, `${name}.cpuprofile`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return `${file}\n${topSelfTime(profile, 15)}`;
  };
}

/** The functions with the most self time, one line each: "ms  name  file:line". */
export function topSelfTime(profile: Profile, count: number): string {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byNode.get(samples[i]!)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName || '(anonymous)'}  ${path.basename(frame.url) || '-'}:${frame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, ms]) => `${ms.toFixed(1).padStart(8)} ms  ${key}`)
    .join('\n');
}
