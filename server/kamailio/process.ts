// The Kamailio process: run in the foreground (-DD -E) in its own process group with the run
// directory's config, its log lines kept from our pipes, killed with Node if still running, and
// stopped by PID (SIGTERM, then SIGKILL for the whole group after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { killGroupOnExit, release } from '../exit-guard.js';
import { processGroupMembers } from '../process-groups.js';

const LOG_LINES_KEPT = 200;
const STOP_GRACE_MS = 5000;

export interface KamailioProcess {
  pid: number;
  /** The most recent log lines. */
  lines: string[];
  /** Settles when the main process has exited (for whatever reason). */
  exited: Promise<void>;
  /** Its exit code, signal or spawn error; undefined while it runs. */
  exitReason(): number | string | null | undefined;
  /** SIGTERM by PID, then SIGKILL for the group; resolves when every process of the group is gone. */
  stop(): Promise<void>;
}

export async function runKamailio(
  binary: string,
  dir: string,
  options: { shmMb: number; pkgMb: number; onLog?: (line: string) => void },
): Promise<KamailioProcess> {
  const args = [
    '-DD',
    '-E',
    '-m',
    String(options.shmMb),
    '-M',
    String(options.pkgMb),
    '-f',
    join(dir, 'kamailio.cfg'),
    '-P',
    join(dir, 'kamailio.pid'),
    '-Y',
    dir,
    '-w',
    dir,
  ];
  const child: ChildProcess = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > LOG_LINES_KEPT) lines.shift();
    options.onLog?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  let exitCode: number | string | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      if (child.pid) release(child.pid);
      resolve();
    });
    child.once('error', (error) => {
      exitCode = error.message;
      resolve();
    });
  });
  const isDead = (): boolean => exitCode !== undefined;
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    throw new Error(`could not run ${binary}: ${String(exitCode)}`);
  }
  killGroupOnExit(pid, 'Kamailio');

  // a negative target signals the whole process group (Kamailio runs detached as its leader)
  const sendSignal = (target: number, signal: NodeJS.Signals): void => {
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
  };
  const stop = async (): Promise<void> => {
    if (!isDead()) {
      sendSignal(pid, 'SIGTERM');
      await Promise.race([exited, delay(STOP_GRACE_MS)]);
      if (!isDead()) {
        sendSignal(-pid, 'SIGKILL');
        await exited;
      }
    }
    // Kamailio's children follow the main process out; kill stragglers after a grace period
    const deadline = Date.now() + STOP_GRACE_MS;
    while (processGroupMembers(pid).length > 0) {
      if (Date.now() > deadline + 2000) throw new Error(`Kamailio (pid ${pid}) left processes behind`);
      if (Date.now() > deadline) sendSignal(-pid, 'SIGKILL');
      await delay(50);
    }
    release(pid);
  };
  return { pid, lines, exited, exitReason: () => exitCode, stop };
}
