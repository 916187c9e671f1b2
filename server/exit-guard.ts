/**
 * Child processes started in their own process group (Kamailio, test peers) are killed with
 * their whole group if Node exits while they still run: a crashed test run leaves nothing behind.
 * Under a test run each group is also noted (process-notes.ts), so one left running fails the run.
 */
import { noteLeftAtExit, noteStarted, noteStopped } from './process-notes.js';

/** Running groups and what each is, for the notes. */
const running = new Map<number, string>();
let hookInstalled = false;

/** Kill this process group when Node exits, unless `release` was called first. */
export function killGroupOnExit(pgid: number, what = 'a test peer'): void {
  running.set(pgid, what);
  noteStarted(pgid, what);
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const [group, name] of running) {
      noteLeftAtExit(group, name);
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
