/**
 * Notes of the processes a test run started (Kamailio, sipp, baresip, linphonec, Parley CLIs run
 * as peers), so the run can tell when one outlived its test. The run's global setup
 * (vitest.global-setup.ts) names a folder in PARLEY_TEST_PROCESS_NOTES; outside a test run the
 * variable is unset and nothing is written.
 *
 * A note is written when a group starts (server/exit-guard.ts), removed when it is stopped or ends,
 * and marked when its test worker exited with the group still running. Whatever notes are left at
 * the end of the run are leaks: still-running members are killed and the run fails, naming them.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentOf, processGroupMembers } from './process-groups.js';

export const NOTES_VARIABLE = 'PARLEY_TEST_PROCESS_NOTES';

interface Note {
  pgid: number;
  what: string;
  /** The test worker that started it. */
  worker: number;
  /** Its worker exited with it still running (the worker killed it then). */
  leftAtExit?: boolean;
}

const noteFile = (dir: string, pgid: number) => join(dir, `${pgid}.json`);
const notesDir = () => process.env[NOTES_VARIABLE] || undefined;

function write(note: Note): void {
  const dir = notesDir();
  if (!dir) return;
  try {
    writeFileSync(noteFile(dir, note.pgid), JSON.stringify(note));
  } catch {
    // The run's folder is gone (its teardown ran): nothing left to tell.
  }
}

export function noteStarted(pgid: number, what: string): void {
  write({ pgid, what, worker: process.pid });
}

export function noteStopped(pgid: number): void {
  const dir = notesDir();
  if (dir) rmSync(noteFile(dir, pgid), { force: true });
}

export function noteLeftAtExit(pgid: number, what: string): void {
  write({ pgid, what, worker: process.pid, leftAtExit: true });
}

export interface Leak extends Note {
  /** Processes of the group that still ran at the end, now killed. */
  killed: number[];
}

/**
 * Every note left in `dir`, with the processes of its group that still run killed. Only processes
 * that carry this run's variable are touched: a group number can come back as someone else's.
 */
export function sweepLeaks(dir: string): Leak[] {
  const mark = `${NOTES_VARIABLE}=${dir}`;
  const leaks: Leak[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    let note: Note;
    try {
      note = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Note;
    } catch {
      continue;
    }
    const ours = processGroupMembers(note.pgid).filter((pid) => environmentOf(pid).includes(mark));
    for (const pid of ours) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    leaks.push({ ...note, killed: ours });
  }
  return leaks;
}

export function describeLeaks(leaks: readonly Leak[]): string {
  const lines = leaks.map((leak) => {
    const state = leak.killed.length
      ? `still running at the end of the run: killed ${leak.killed.join(', ')}`
      : leak.leftAtExit
        ? 'still running when its test worker exited (which killed it)'
        : 'never stopped';
    return `  ${leak.what} (process group ${leak.pgid}, started by test worker ${leak.worker}): ${state}`;
  });
  return `A test started processes and did not stop them (stop them in afterEach/afterAll or a finally):\n${lines.join('\n')}`;
}
