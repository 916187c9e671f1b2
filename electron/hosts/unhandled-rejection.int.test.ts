/**
 * A host's process outlives a rejection nobody handles: a Node process running the host log (as
 * every host does) logs it and goes on, where Node alone would exit with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';

const HOST_LOG = path.join(import.meta.dirname, 'host-log.ts');
let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('logs the rejection with its stack and keeps running', () => {
  dir = mkdtempSync(path.join(tmpdir(), 'parley-rejection-'));
  const script = `
    const { openHostLog } = await import(${JSON.stringify(HOST_LOG)});
    const log = openHostLog({ dataDir: ${JSON.stringify(dir)}, terminal: null });
    Promise.reject(new Error('from a library chain'));
    setTimeout(async () => { await log.close(); console.log('still running'); }, 200);
  `;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('still running');
  const logged = readFileSync(path.join(dir, 'logs', 'parley.log'), 'utf8');
  expect(logged).toContain('unhandled rejection (kept running)');
  expect(logged).toContain('from a library chain');
});
