/**
 * Global setup of both test projects: a folder for the notes of every process a test starts
 * (server/process-notes.ts). Its teardown, after the last test, kills any Kamailio or peer a test
 * left running and fails the run naming it, so a leak shows instead of living on after `npm test`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLeaks, NOTES_VARIABLE, sweepLeaks } from './server/process-notes.js';

export default function setup(): () => void {
  // Both projects name this setup; when they run together the first one's folder serves both.
  if (process.env[NOTES_VARIABLE]) return () => {};
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-processes-'));
  // Test workers, and the processes they start, inherit it.
  process.env[NOTES_VARIABLE] = dir;
  return () => {
    const leaks = sweepLeaks(dir);
    rmSync(dir, { recursive: true, force: true });
    delete process.env[NOTES_VARIABLE];
    if (leaks.length === 0) return;
    // Vitest prints an error thrown here but does not fail the run for it: fail it ourselves.
    process.exitCode = 1;
    throw new Error(describeLeaks(leaks));
  };
}
