/**
 * Child processes started in their own process group (Kamailio, test peers) are killed with
 * their whole group if Node exits while they still run: a crashed test run leaves nothing behind.
 * Under a test run each group is also noted (process-notes.ts), so one left running fails the run.
 */
import { startTimeOf } from './process-groups.js';
import { noteLeftAtExit, noteStarted, noteStopped } from './process-notes.js';

/** Running groups: what each is, for the notes, and when its leader started. */
const running = new Map<number, { what: string; started: string | undefined }>();
let hookInstalled = false;

/** Kill this process group when Node exits, unless `release` was called first. */
export function killGroupOnExit(pgid: number, what = 'a test peer'): void {
  running.set(pgid, { what, started: startTimeOf(pgid) });
  noteStarted(pgid, what);
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const [group, { what, started }] of running) {
      noteLeftAtExit(group, what);
      // Only the group we started: once its leader has exited, the same number may lead another
      // process's group (pids wrap), and that one is not ours to kill.
      if (group <= 1 || started === undefined || startTimeOf(group) !== started) continue;
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** The group has ended (or was stopped): nothing to kill for it on exit. */
export function release(pgid: number): void {
  running.delete(pgid);
  noteStopped(pgid);
}
