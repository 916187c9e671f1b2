/**
 * What every benchmark that starts servers and workers needs: one clean-up list run on exit,
 * Ctrl-C or a watchdog; a bundled Kamailio whose errors are collected; waiting for an idle
 * machine; the CPU the rest of the machine used meanwhile; Kamailio's transaction headroom.
 */
import { startKamailio, type RunningServer, type ServerOptions } from '../../server/kamailio.js';
import { processGroupMembers } from '../../server/process-groups.js';
import { cpuSecondsOf, machineBusySeconds, selfCpuSeconds } from './procstat.js';
import { round } from './stats.js';

export class Harness {
  private readonly cleanups: Array<() => Promise<void>> = [];
  private cleaning?: Promise<void>;
  private readonly watchdog: NodeJS.Timeout;
  readonly kamailioErrors: string[] = [];
  private quietBudgetMs: number;

  /** `name` labels messages; the run is stopped after `limitMs`; waiting for quiet takes at most `quietBudgetMs` in all. */
  constructor(
    private readonly name: string,
    limitMs: number,
    quietBudgetMs = 60_000,
  ) {
    this.quietBudgetMs = quietBudgetMs;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping everything`);
        void this.cleanupAll().then(() => process.exit(130));
      });
    }
    this.watchdog = setTimeout(() => {
      console.error(`bench ${name}: took longer than ${Math.round(limitMs / 60_000)} minutes; stopping everything`);
      void this.cleanupAll().then(() => process.exit(1));
    }, limitMs);
  }

  /** Run `fn` at the end (last registered, first run). */
  onCleanup(fn: () => Promise<void>): void {
    this.cleanups.push(fn);
  }

  cleanupAll(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const fn of this.cleanups.reverse()) await fn().catch((error: unknown) => console.error(`clean-up: ${String(error)}`));
    })();
    return this.cleaning;
  }

  /** Run the benchmark's main, clean up whatever happens, exit with its code. */
  async main(run: () => Promise<number>): Promise<never> {
    let exitCode = 1;
    try {
      exitCode = await run();
    } catch (error) {
      console.error(`bench ${this.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      if (this.kamailioErrors.length) console.error(`Kamailio errors:\n${this.kamailioErrors.slice(0, 5).join('\n')}`);
      exitCode = 1;
    } finally {
      await this.cleanupAll();
      clearTimeout(this.watchdog);
    }
    process.exit(exitCode);
  }

  /** The bundled Kamailio (no auth unless `options` say, no topology hiding), stopped at the end; its ERROR lines are kept. */
  async kamailio(options: ServerOptions = {}): Promise<RunningServer> {
    const server = await startKamailio({
      // The benchmarks measure clients; topology hiding's db_text rows would make the relay the
      // bottleneck (server/kamailio.ts). A bench that wants it passes topologyHiding: true.
      topologyHiding: false,
      ...options,
      debug: 1,
      onLog: (line) => {
        if (/\bERROR\b/.test(line) && this.kamailioErrors.length < 100) this.kamailioErrors.push(line.trim());
      },
    });
    this.onCleanup(() => server.stop());
    return server;
  }

  /**
   * Before a case: wait until the machine is idle (another job on a shared machine would take CPU
   * from the case), up to the quiet budget over the whole run; after that cases run regardless
   * and the "other load" figure tells.
   */
  async awaitQuiet(quietCores = 0.15): Promise<void> {
    const started = Date.now();
    for (;;) {
      const m0 = machineBusySeconds();
      await new Promise((r) => setTimeout(r, 300));
      const cores = (machineBusySeconds() - m0) / 0.3;
      if (cores < quietCores) break;
      if (Date.now() - started >= this.quietBudgetMs) {
        console.log(`  (machine still busy: ${cores.toFixed(2)} cores in use by others; going ahead)`);
        break;
      }
    }
    this.quietBudgetMs = Math.max(0, this.quietBudgetMs - (Date.now() - started));
  }
}

/** CPU seconds of Kamailio's whole process group. */
export function kamailioCpu(server: RunningServer): number {
  return cpuSecondsOf(processGroupMembers(server.pid));
}

/**
 * Wait until Kamailio holds at most `budget - needed` transactions (tm keeps each finished one
 * a few seconds, and its shared memory holds a few thousand). Returns ms waited.
 */
export async function kamailioHeadroom(server: RunningServer, needed: number, budget: number): Promise<number> {
  const started = Date.now();
  const limit = Math.max(0, budget - needed);
  for (;;) {
    let current: number;
    try {
      current = Number(/current:\s*(\d+)/.exec(await server.rpc('tm.stats'))?.[1] ?? 0);
    } catch {
      // no kamcmd: tm frees finished transactions after ~5 s
      await new Promise((r) => setTimeout(r, 6000));
      return Date.now() - started;
    }
    if (current <= limit) return Date.now() - started;
    if (Date.now() - started > 20_000) throw new Error(`Kamailio still holds ${current} transactions after 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * CPU the rest of the machine used while a case ran, in cores: everything busy on the machine minus
 * our processes (and this one). Kernel work done for us outside our processes (disk writeback of
 * SQLite's WAL, some softirq) lands here too, so a few hundredths are normal; more means another
 * job shared the CPUs and the figures of that case are low.
 */
export class LoadMeter {
  private readonly machine0 = machineBusySeconds();
  private readonly self0 = selfCpuSeconds();
  private readonly t0 = performance.now();

  otherCores(oursSeconds: number): number {
    const seconds = (performance.now() - this.t0) / 1000;
    const others = machineBusySeconds() - this.machine0 - oursSeconds - (selfCpuSeconds() - this.self0);
    return seconds > 0 ? round(Math.max(0, others) / seconds, 2) : 0;
  }
}
