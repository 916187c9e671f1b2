/**
 * A real third-party program under test (baresip, linphonec): started in its own process group,
 * every output line kept, awaited by pattern (never by sleeping), stopped by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killGroupOnExit, release } from '../../server/exit-guard.js';
import { processGroupMembers } from '../../server/process-groups.js';

export interface RunningProgram {
  pid: number;
  child: ChildProcess;
  /** Every line the program wrote to stdout or stderr so far, in order. */
  lines: string[];
  /** All output so far as one string (for failure messages). */
  output(): string;
  /**
   * Resolves with the first line matching `pattern` at or after line index `from` (default 0:
   * lines already seen count); rejects after `timeoutMs` or when the program exits.
   */
  waitForLine(pattern: RegExp, options?: { from?: number; timeoutMs?: number }): Promise<string>;
  /** Add a line the program produced on another channel (e.g. a console socket) to `lines`. */
  pushLine(line: string): void;
  /** Write to the program's stdin (when it was opened as a pipe). */
  write(text: string): void;
  exited: Promise<number | string | null>;
  /** SIGTERM by PID, SIGKILL for the group after a grace period; resolves once it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProgram(
  name: string,
  binary: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' },
): RunningProgram {
  const child = spawn(binary, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: true,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters = new Set<{ pattern: RegExp; from: number; resolve: (line: string) => void }>();
  let exitReason: number | string | null | undefined;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = code ?? signal;
      if (child.pid) release(child.pid);
      resolve(exitReason);
    });
    child.once('error', (error) => {
      exitReason = error.message;
      resolve(exitReason);
    });
  });
  const onLine = (line: string): void => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', onLine);
  }
  if (child.pid === undefined) throw new Error(`could not start ${name} (${binary})`);
  const pid = child.pid;
  killGroupOnExit(pid, name);
  const output = (): string => lines.join('\n');

  const waitForLine = (pattern: RegExp, { from = 0, timeoutMs = 15_000 } = {}): Promise<string> => {
    const seen = lines.slice(from).find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise<string>((resolve, reject) => {
      const fail = (why: string): void => {
        waiters.delete(waiter);
        clearTimeout(timer);
        reject(new Error(`${name}: no line matching ${String(pattern)} ${why}; output:\n${output()}`));
      };
      const waiter = {
        pattern,
        from,
        resolve: (line: string) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      const timer = setTimeout(() => fail(`within ${timeoutMs} ms`), timeoutMs);
      waiters.add(waiter);
      void exited.then((reason) => {
        if (waiters.has(waiter)) fail(`(it exited: ${String(reason)})`);
      });
    });
  };

  const signal = (target: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(target, sig);
    } catch {
      // already gone
    }
  };
  const stop = async (graceMs = 3000): Promise<void> => {
    if (exitReason === undefined) {
      signal(pid, 'SIGTERM');
      const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'late') {
        signal(-pid, 'SIGKILL');
        await exited;
      }
    }
    // Anything it left in its group goes too; only while the group has members, since an empty
    // group's number is free to become another process's (pids wrap).
    if (processGroupMembers(pid).length > 0) signal(-pid, 'SIGKILL');
    release(pid);
  };

  return {
    pid,
    child,
    lines,
    output,
    waitForLine,
    pushLine: onLine,
    write: (text) => {
      if (!child.stdin) throw new Error(`${name}: stdin is not a pipe`);
      child.stdin.write(text);
    },
    exited,
    stop,
  };
}

/** Escape text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
