/**
 * The worker's part for `npm run bench -- files` (bench/files.ts): one side of a file transfer,
 * measured inside the process that does it. The sender offers a file; the receiver waits for the
 * offer and accepts it. Each side measures, from `measure()` (the sender, just before the
 * receiver accepts) or its accept (the receiver) until the transfer's final state: its own main
 * loop's stalls (monitorEventLoopDelay), its CPU time (process.cpuUsage: every thread, so the
 * libuv pool's file writes and hashing count), and which TCP connection carried the bytes.
 *
 * That last one is read, not assumed: on every file-transfer event the process's open sockets
 * are looked at (the same handles the session-mode relay test counts) and the one that moved the
 * most bytes is the transfer's; it went through the relay when its remote port is the relay's.
 */
import net from 'node:net';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import type { FileTransfer } from '../../shared/ipc.js';
import type { Core } from '../../electron/core/core.js';

export interface FileSide {
  state: FileTransfer['state'];
  reason?: string;
  /** The receiver's saved file. */
  savedAs?: string;
  /** Epoch ms (performance.timeOrigin based, so both processes' figures compare): measuring began, the final state came. */
  startedAt: number;
  endedAt: number;
  cpuMs: number;
  stallP99Ms: number;
  stallMaxMs: number;
  /** The connection that carried the most bytes of this process while the transfer ran. */
  carrier?: { remote: string; bytes: number; viaRelay: boolean };
}

const FINAL = new Set<FileTransfer['state']>(['done', 'failed', 'declined', 'cancelled']);
/** Loop-delay sampling: fine enough for a 50 ms aim, cheap enough not to be the load. */
const LOOP_RESOLUTION_MS = 2;

const now = () => performance.timeOrigin + performance.now();

export class FilesPart {
  private readonly transfers = new Map<string, FileTransfer>();
  private readonly waiters = new Set<() => void>();
  /** Bytes moved per remote address, the most seen for each while measuring. */
  private readonly carriers = new Map<string, { remote: string; port: number; bytes: number }>();
  private measuring?: { startedAt: number; cpu: NodeJS.CpuUsage; loop: IntervalHistogram };

  constructor(
    private readonly core: Core,
    private readonly relayPorts: readonly number[],
  ) {
    core.subscribe((event) => {
      if (event.type !== 'file-transfer') return;
      this.transfers.set(event.transfer.id, event.transfer);
      if (this.measuring) this.sampleSockets();
      for (const wake of this.waiters) wake();
    });
  }

  /** Offers the file; resolves with the transfer's id once the offer is on its way. */
  async offer(to: string, path: string): Promise<{ id: string }> {
    const transfer = await this.core.sendLocalFile!(to, path);
    return { id: transfer.id };
  }

  /** The id of the next incoming offer. */
  async offered(timeoutMs: number): Promise<{ id: string }> {
    const offer = await this.until(
      () => [...this.transfers.values()].find((t) => t.direction === 'in' && t.state === 'offered'),
      timeoutMs,
      'an offer',
    );
    return { id: offer.id };
  }

  /** Starts this side's measurement (the sender's: just before the receiver accepts). */
  measure(): void {
    const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    loop.enable();
    this.carriers.clear();
    this.measuring = { startedAt: now(), cpu: process.cpuUsage(), loop };
  }

  /** The receiver: measures, accepts the offer and waits for the transfer's end. */
  async accept(id: string, timeoutMs: number): Promise<FileSide> {
    this.measure();
    await this.core.commands.answerFileOffer({ id, accept: true });
    return this.finished(id, timeoutMs);
  }

  /** Waits for the transfer's final state; the figures of this side since `measure()`. */
  async finished(id: string, timeoutMs: number): Promise<FileSide> {
    const transfer = await this.until(
      () => {
        const t = this.transfers.get(id);
        return t && FINAL.has(t.state) ? t : undefined;
      },
      timeoutMs,
      'the transfer to end',
    );
    const endedAt = now();
    const measuring = this.measuring;
    if (!measuring) throw new Error('the measurement was not started');
    this.measuring = undefined;
    measuring.loop.disable();
    const cpu = process.cpuUsage(measuring.cpu);
    this.transfers.delete(id);
    return {
      state: transfer.state,
      ...(transfer.reason ? { reason: transfer.reason } : {}),
      ...(transfer.savedAs ? { savedAs: transfer.savedAs } : {}),
      startedAt: measuring.startedAt,
      endedAt,
      cpuMs: (cpu.user + cpu.system) / 1000,
      stallP99Ms: measuring.loop.percentile(99) / 1e6,
      stallMaxMs: measuring.loop.max / 1e6,
      ...this.carrier(),
    };
  }

  private carrier(): Pick<FileSide, 'carrier'> {
    let best: { remote: string; port: number; bytes: number } | undefined;
    for (const seen of this.carriers.values()) if (!best || seen.bytes > best.bytes) best = seen;
    if (!best) return {};
    return { carrier: { remote: best.remote, bytes: best.bytes, viaRelay: this.relayPorts.includes(best.port) } };
  }

  /** Every TCP socket of this process and the bytes it moved so far (a transfer's connection is gone after its BYE). */
  private sampleSockets(): void {
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    for (const handle of handles) {
      if (!(handle instanceof net.Socket) || handle.remotePort === undefined) continue;
      const remote = `${handle.remoteAddress}:${handle.remotePort}`;
      const key = `${remote}/${handle.localPort}`;
      const bytes = handle.bytesWritten + handle.bytesRead;
      const seen = this.carriers.get(key);
      if (!seen || seen.bytes < bytes) this.carriers.set(key, { remote, port: handle.remotePort, bytes });
    }
  }

  private until<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
