/**
 * Child processes started in their own process group (Kamailio, test peers) are killed with
 * their whole group if Node exits while they still run: a crashed test run leaves nothing behind.
 */
const running = new Set<number>();
let hookInstalled = false;

/** Kill this process group when Node exits, unless `release` was called first. */
export function killGroupOnExit(pgid: number): void {
  running.add(pgid);
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const group of running) {
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
}
