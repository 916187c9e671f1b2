/**
 * The parent's handle on one bench worker process (bench/lib/worker.ts): start it, wait until it
 * has registered, send it requests as JSON lines, stop it by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { bundleForNode } from '../../electron/build.js';
import type { ReceivedResult, RunRequest, RunResult, WorkerOptions } from './worker.js';

const WORKER = path.join(import.meta.dirname, 'worker.ts');
const REPO = path.resolve(import.meta.dirname, '..', '..');
const BUNDLE_DIR = path.join(REPO, 'dist', 'bench');

let bundled: Promise<void> | undefined;
let fromSources = false;

/**
 * Run the workers from the TypeScript sources through tsx instead of the bundle: a CPU profile
 * names each function's own file only then (bench --profile). Costs the loader's memory.
 */
export function runWorkersFromSources(): void {
  fromSources = true;
}

/**
 * The command that runs a worker. As the app runs its main process: one bundle (electron/build.ts),
 * with the history worker beside it; TypeScript through tsx would add its loader (a thread of its
 * own, some 40–55 MB) to every memory figure. PARLEY_BENCH_PRELOAD patches modules of the
 * sources, so with it the worker runs from the sources too.
 */
async function workerCommand(): Promise<string[]> {
  const preload = process.env.PARLEY_BENCH_PRELOAD;
  if (preload || fromSources) return [process.execPath, '--import', 'tsx', ...(preload ? ['--import', path.resolve(preload)] : []), WORKER];
  bundled ??= Promise.all([
    bundleForNode(REPO, 'bench/lib/worker.ts', path.join(BUNDLE_DIR, 'worker.cjs')),
    bundleForNode(REPO, 'electron/storage/history/history-worker.ts', path.join(BUNDLE_DIR, 'history-worker.cjs')),
  ]).then(() => undefined);
  await bundled;
  return [process.execPath, path.join(BUNDLE_DIR, 'worker.cjs')];
}
const STDERR_LINES_KEPT = 40;

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WorkerProcess {
  readonly pid: number;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly stderr: string[] = [];
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;
  private ready?: { aor?: string };

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly dataDir: string,
  ) {
    this.pid = child.pid!;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = `exited (${code ?? signal})`;
        rmSync(dataDir, { recursive: true, force: true });
        for (const p of this.pending.values()) p.reject(this.error(`worker ${name} ${this.exitInfo}`));
        this.pending.clear();
        resolve();
      });
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => {
      this.stderr.push(line);
      if (this.stderr.length > STDERR_LINES_KEPT) this.stderr.shift();
    });
  }

  /**
   * Spawns the worker (workerCommand: its bundle, or its sources through tsx; inside network namespace `netns` when given:
   * `ip netns exec` runs node in its own place, so the PID is node's) and resolves once it reports
   * itself registered.
   */
  static async start(name: string, options: Omit<WorkerOptions, 'dataDir'>, timeoutMs = 30_000, netns?: string): Promise<WorkerProcess> {
    const dataDir = mkdtempSync(path.join(tmpdir(), `parley-bench-${name}-`));
    const full: WorkerOptions = { ...options, dataDir };
    // PARLEY_BENCH_PRELOAD: a module loaded into each worker first (e.g. a monkeypatch that tries out
    // a fix before anyone writes it); the run says so, as its figures are then not the product's.
    const command = [...(await workerCommand()), JSON.stringify(full)];
    const [file, ...args] = netns ? ['ip', 'netns', 'exec', netns, ...command] : command;
    const child = spawn(file!, args, {
      cwd: REPO,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PARLEY_LOG_LEVEL: '' },
    });
    if (child.pid === undefined) throw new Error(`could not start the ${name} worker`);
    const worker = new WorkerProcess(name, child, dataDir);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(worker.error(`worker ${name} not ready within ${timeoutMs} ms`)), timeoutMs);
      void worker.exited.then(() => {
        clearTimeout(timer);
        reject(worker.error(`worker ${name} ${worker.exitInfo} before it was ready`));
      });
      readline.createInterface({ input: child.stdout! }).on('line', (line) => {
        let message: { type?: string; id?: number; ok?: boolean; value?: unknown; error?: string; aor?: string };
        try {
          message = JSON.parse(line);
        } catch {
          return;
        }
        if (message.type === 'ready') {
          worker.ready = { aor: message.aor };
          clearTimeout(timer);
          resolve();
          return;
        }
        const pending = message.id !== undefined ? worker.pending.get(message.id) : undefined;
        if (!pending) return;
        worker.pending.delete(message.id!);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(new Error(`worker ${name}: ${message.error}`));
      });
    }).catch(async (error: unknown) => {
      await worker.kill();
      throw error;
    });
    return worker;
  }

  get aor(): string | undefined {
    return this.ready?.aor;
  }

  request<T>(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<T> {
    if (this.exitInfo) return Promise.reject(this.error(`worker ${this.name} ${this.exitInfo}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(this.error(`worker ${this.name}: ${cmd} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.stdin!.write(JSON.stringify({ id, cmd, ...args }) + '\n');
    });
  }

  run(request: RunRequest): Promise<RunResult> {
    return this.request<RunResult>('run', { ...request });
  }

  received(tag: string, expected: number): Promise<ReceivedResult> {
    return this.request<ReceivedResult>('received', { tag, expected, timeoutMs: 5000 });
  }

  /** Ask it to unregister and exit; SIGKILL by PID when it does not within the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.exitInfo) return;
    await Promise.race([this.request('stop', {}, graceMs).catch(() => {}), new Promise((r) => setTimeout(r, graceMs))]);
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 1000))]);
    await this.kill();
  }

  async kill(): Promise<void> {
    if (this.exitInfo) return;
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }

  /** The last lines it wrote to stderr (core warnings, crashes). */
  diagnostics(): string[] {
    return [...this.stderr];
  }

  private error(message: string): Error {
    const tail = this.stderr.slice(-10).join('\n');
    return new Error(tail ? `${message}\n--- ${this.name} stderr ---\n${tail}` : message);
  }
}
