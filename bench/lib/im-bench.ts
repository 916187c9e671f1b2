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
import type { ChatMessage, SequencedEvent } from '../../shared/ipc.js';
import type { Core } from '../../electron/core/core.js';
import { now, sendRun } from './send-run.js';
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
  async burst(request: BurstRequest): Promise<BurstResult> {
    const { to, count, tag, ratePerSecond } = request;
    const run = await sendRun(
      this.core,
      (listener) => {
        this.onDelivery = listener;
        return () => (this.onDelivery = undefined);
      },
      {
        to,
        count,
        stallMs: request.stallMs ?? 30_000,
        body: (i, sentAt) => `${tag} ${i} ${sentAt.toFixed(3)}`,
        ...(ratePerSecond ? { ratePerSecond } : {}),
      },
    );
    return {
      tag,
      count,
      delivered: run.delivered,
      failures: run.failures,
      elapsedMs: run.elapsedMs,
      messagesPerSecond: run.messagesPerSecond,
      roundTripMs: quantiles(run.roundTripsMs),
    };
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
