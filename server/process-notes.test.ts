import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killGroupOnExit, release } from './exit-guard.js';
import { describeLeaks, NOTES_VARIABLE, noteLeftAtExit, noteStarted, sweepLeaks } from './process-notes.js';

let dir: string;
let runDir: string | undefined;
const children: ChildProcess[] = [];

/** A detached `sleep`, the leader of its own group like Kamailio and the peers. */
function sleeper(env: NodeJS.ProcessEnv): ChildProcess & { pid: number } {
  const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore', env });
  children.push(child);
  return child as ChildProcess & { pid: number };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-notes-test-'));
  runDir = process.env[NOTES_VARIABLE];
  process.env[NOTES_VARIABLE] = dir;
});
afterEach(() => {
  if (runDir === undefined) delete process.env[NOTES_VARIABLE];
  else process.env[NOTES_VARIABLE] = runDir;
  for (const child of children.splice(0)) {
    if (child.pid) release(child.pid);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('process notes of a test run', () => {
  it('a group started and released leaves no note', () => {
    const child = sleeper(process.env);
    killGroupOnExit(child.pid, 'Kamailio');
    expect(readdirSync(dir)).toEqual([`${child.pid}.json`]);
    release(child.pid);
    expect(readdirSync(dir)).toEqual([]);
    expect(sweepLeaks(dir)).toEqual([]);
  });

  it('a group left running is killed at the sweep and named', async () => {
    const child = sleeper(process.env);
    killGroupOnExit(child.pid, 'Kamailio');
    const exited = once(child, 'exit');
    const leaks = sweepLeaks(dir);
    expect(leaks).toEqual([{ pgid: child.pid, what: 'Kamailio', worker: process.pid, killed: [child.pid] }]);
    expect(await exited).toEqual([null, 'SIGKILL']);
    expect(describeLeaks(leaks)).toMatch(
      new RegExp(
        `Kamailio \\(process group ${child.pid}, started by test worker ${process.pid}\\): still running at the end of the run: killed ${child.pid}`,
      ),
    );
  });

  it('never kills a process that does not carry this run’s mark (a group number can be reused)', () => {
    const stranger = sleeper({ PATH: process.env.PATH });
    noteStarted(stranger.pid, 'sipp');
    const leaks = sweepLeaks(dir);
    expect(leaks).toMatchObject([{ pgid: stranger.pid, what: 'sipp', killed: [] }]);
    expect(() => process.kill(stranger.pid, 0)).not.toThrow();
  });

  it('reports a group its worker had to kill on exit, though nothing of it runs any more', () => {
    noteLeftAtExit(999_999_999, 'linphonec');
    const leaks = sweepLeaks(dir);
    expect(leaks).toEqual([{ pgid: 999_999_999, what: 'linphonec', worker: process.pid, leftAtExit: true, killed: [] }]);
    expect(describeLeaks(leaks)).toContain('linphonec (process group 999999999, started by test worker');
    expect(describeLeaks(leaks)).toContain('still running when its test worker exited (which killed it)');
  });

  it('writes nothing outside a test run', () => {
    delete process.env[NOTES_VARIABLE];
    const child = sleeper(process.env);
    killGroupOnExit(child.pid, 'baresip');
    expect(readdirSync(dir)).toEqual([]);
  });
});
