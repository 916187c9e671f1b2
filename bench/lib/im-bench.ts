/**
 * The chat side of a bench worker (bench/im.ts): bursts and paced runs of MESSAGEs into one
 * conversation, as a person's chat window sends them (sendMessage, the core's send window decides
 * how many are in flight), and on the receiving side when each one arrived and in what order it is
 * shown.
 *
 * Bodies are `${tag} ${i} ${sentAtEpochMs}`: the receiver computes send-to-receive latency from the
 * sender's clock, which is the same clock (one machine; performance.timeOrigin + now() is epoch ms
 * with sub-millisecond resolution in every process).
 */
import { performance } from 'node:perf_hooks';
import type { ChatMessage, SequencedEvent } from '../../shared/ipc.js';
import type { Core } from '../../electron/core/core.js';
import { dispatch } from '../../electron/hosts/dispatch.js';
import { mean, quantile } from './stats.js';

export interface BurstRequest {
  to: string;
  count: number;
  tag: string;
  /** Messages per second; absent = all at once (a burst). */
  ratePerSecond?: number;
  /** Give up when nothing completes for this long. */
  stallMs?: number;
}

export interface Quantiles {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface BurstResult {
  tag: string;
  count: number;
  delivered: number;
  failures: Record<string, number>;
  /** First send to last 2xx. */
  elapsedMs: number;
  messagesPerSecond: number;
  /** sendMessage to the delivery event (the 2xx back at the sender). */
  roundTripMs: Quantiles;
}

export interface ArrivalsResult {
  tag: string;
  distinct: number;
  duplicates: number;
  /** Sorted by the `order` the core gave them (the order on screen), the sender's numbering ascends. */
  inDisplayOrder: boolean;
  /** The order the message events came in also ascends (the UI needs no re-sorting). */
  inArrivalOrder: boolean;
  /** The first place where the display order breaks, for the report. */
  firstDisorder?: string;
  /** Send (at the sender) to the message event at the receiver. */
  latencyMs: Quantiles;
}

const now = (): number => performance.timeOrigin + performance.now();

function quantiles(values: number[]): Quantiles {
  return {
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    mean: mean(values),
    max: values.length ? Math.max(...values) : Number.NaN,
  };
}

interface Arrival {
  i: number;
  latencyMs: number;
  order: number;
  seen: number;
}

export class ImBench {
  private readonly arrivals = new Map<string, Arrival[]>();
  private readonly seenBodies = new Set<string>();
  private readonly duplicates = new Map<string, number>();
  private onDelivery?: (event: SequencedEvent & { type: 'delivery' }) => void;
  private seen = 0;

  constructor(private readonly core: Core) {
    core.subscribe((event) => {
      if (event.type === 'message' && event.direction === 'in') this.arrived(event);
      else if (event.type === 'delivery' && event.state !== 'sending' && event.state !== 'queued') this.onDelivery?.(event);
    });
  }

  private arrived(message: ChatMessage): void {
    const at = now();
    const [tag, index, sentAt] = message.body.split(' ');
    if (!tag || index === undefined || sentAt === undefined) return;
    if (this.seenBodies.has(message.body)) {
      this.duplicates.set(tag, (this.duplicates.get(tag) ?? 0) + 1);
      return;
    }
    this.seenBodies.add(message.body);
    const list = this.arrivals.get(tag) ?? [];
    list.push({ i: Number(index), latencyMs: at - Number(sentAt), order: message.order ?? message.at, seen: this.seen++ });
    this.arrivals.set(tag, list);
  }

  /** Send `count` messages to one peer, all at once or paced; resolves when each has an outcome. */
  burst(request: BurstRequest): Promise<BurstResult> {
    const { to, count, tag, ratePerSecond } = request;
    const stallMs = request.stallMs ?? 30_000;
    const sentAt = new Map<string, number>();
    const early = new Map<string, SequencedEvent & { type: 'delivery' }>();
    const roundTrips: number[] = [];
    const failures: Record<string, number> = {};
    let settled = 0;
    let t0 = 0;
    let tLast = 0;
    return new Promise<BurstResult>((resolve) => {
      let stall: NodeJS.Timeout | undefined;
      let pacer: NodeJS.Timeout | undefined;
      const finish = () => {
        clearTimeout(stall);
        clearTimeout(pacer);
        this.onDelivery = undefined;
        const elapsedMs = tLast - t0;
        resolve({
          tag, count, delivered: roundTrips.length, failures, elapsedMs,
          messagesPerSecond: elapsedMs > 0 ? (roundTrips.length * 1000) / elapsedMs : 0,
          roundTripMs: quantiles(roundTrips),
        });
      };
      const armStall = () => {
        clearTimeout(stall);
        stall = setTimeout(() => {
          failures[`no outcome within ${stallMs} ms`] = count - settled;
          finish();
        }, stallMs);
      };
      const settle = (started: number, event?: SequencedEvent & { type: 'delivery' }, reason?: string) => {
        tLast = now();
        settled++;
        if (event?.state === 'delivered') roundTrips.push(tLast - started);
        else {
          const why = reason ?? `${event?.state ?? 'failed'}${event?.code ? ' ' + event.code : ''}`;
          failures[why] = (failures[why] ?? 0) + 1;
        }
        if (settled === count) finish();
        else armStall();
      };
      this.onDelivery = (event) => {
        const started = sentAt.get(event.id);
        if (started === undefined) early.set(event.id, event);
        else {
          sentAt.delete(event.id);
          settle(started, event);
        }
      };
      const send = (i: number) => {
        const started = now();
        void dispatch(this.core, 'sendMessage', { to, body: `${tag} ${i} ${started.toFixed(3)}` }).then((outcome) => {
          if (!outcome.ok) return settle(started, undefined, `${outcome.error.code}: ${outcome.error.message}`);
          const { id } = outcome.value as ChatMessage;
          const known = early.get(id);
          if (known) {
            early.delete(id);
            settle(started, known);
          } else sentAt.set(id, started);
        });
      };
      armStall();
      t0 = now();
      if (!ratePerSecond) {
        for (let i = 0; i < count; i++) send(i);
        return;
      }
      // Paced: message i is due at t0 + i / rate; a late timer sends what is due, never bunches up more.
      let next = 0;
      const tick = () => {
        const due = Math.min(count, Math.floor(((now() - t0) * ratePerSecond) / 1000) + 1);
        while (next < due) send(next++);
        if (next < count) pacer = setTimeout(tick, Math.max(0, t0 + (next * 1000) / ratePerSecond - now()));
      };
      tick();
    });
  }

  /** What arrived of `tag`; waits (up to timeoutMs) until `expected` distinct ones are in. */
  async received(tag: string, expected: number, timeoutMs = 10_000): Promise<ArrivalsResult> {
    const deadline = Date.now() + timeoutMs;
    while ((this.arrivals.get(tag)?.length ?? 0) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const list = this.arrivals.get(tag) ?? [];
    const byArrival = [...list].sort((a, b) => a.seen - b.seen);
    const byDisplay = [...list].sort((a, b) => a.order - b.order || a.seen - b.seen);
    const ascending = (items: Arrival[]) => items.every((item, k) => k === 0 || items[k - 1]!.i < item.i);
    const disorder = byDisplay.findIndex((item, k) => k > 0 && byDisplay[k - 1]!.i > item.i);
    return {
      tag,
      distinct: list.length,
      duplicates: this.duplicates.get(tag) ?? 0,
      inDisplayOrder: ascending(byDisplay),
      inArrivalOrder: ascending(byArrival),
      ...(disorder > 0 ? { firstDisorder: `#${byDisplay[disorder]!.i} shown after #${byDisplay[disorder - 1]!.i}` } : {}),
      latencyMs: quantiles(list.map((a) => a.latencyMs)),
    };
  }
}
