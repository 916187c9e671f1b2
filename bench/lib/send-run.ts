/**
 * The sending side of a chat benchmark, in the worker process: `count` messages to one peer through
 * sendMessage (the dispatch() gate the hosts use), launched `concurrency` at a time or paced at a
 * rate; a message is done when its final delivery event (2xx, 202, failure) arrives, which may come
 * before sendMessage's own answer. Times are epoch ms with sub-millisecond resolution.
 */
import { performance } from 'node:perf_hooks';
import type { ChatMessage, SequencedEvent } from '../../shared/ipc.js';
import { wordReason } from '../../shared/words/word-reason.js';
import type { Core } from '../../electron/core/core.js';
import { dispatch } from '../../electron/hosts/dispatch.js';

type DeliveryEvent = SequencedEvent & { type: 'delivery' };

export const now = (): number => performance.timeOrigin + performance.now();

export interface SendRunOptions {
  to: string;
  count: number;
  /** Messages outstanding at once (a closed loop); absent with a rate, or for all at once. */
  concurrency?: number;
  /** Messages per second (an open loop). */
  ratePerSecond?: number;
  /** The body of message i, sent at `sentAt`. */
  body(i: number, sentAt: number): string;
  /** Give up when nothing completes for this long. */
  stallMs?: number;
}

export interface SendRunResult {
  delivered: number;
  failures: Record<string, number>;
  /** First send to last outcome. */
  elapsedMs: number;
  messagesPerSecond: number;
  /** sendMessage to the 2xx back at the sender, of each delivered message. */
  roundTripsMs: number[];
}

/**
 * Runs one send run. `deliveries` registers the listener for final delivery events (the caller
 * owns the one core subscription) and returns the function that removes it.
 */
export function sendRun(
  core: Core,
  deliveries: (listener: (event: DeliveryEvent) => void) => () => void,
  options: SendRunOptions,
): Promise<SendRunResult> {
  const { to, count, body, ratePerSecond } = options;
  const concurrency = ratePerSecond ? count : Math.min(options.concurrency ?? count, count);
  const stallMs = options.stallMs ?? 30_000;
  const roundTripsMs: number[] = [];
  const failures: Record<string, number> = {};
  const inFlight = new Map<string, number>(); // message id -> send time
  const early = new Map<string, DeliveryEvent>(); // outcome before sendMessage answered
  let launched = 0;
  let settled = 0;
  const t0 = now();
  let tLast = t0;

  return new Promise<SendRunResult>((resolve) => {
    let stall: NodeJS.Timeout | undefined;
    let pacer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(stall);
      clearTimeout(pacer);
      stopListening();
      const elapsedMs = tLast - t0;
      resolve({
        delivered: roundTripsMs.length,
        failures,
        elapsedMs,
        messagesPerSecond: elapsedMs > 0 ? (roundTripsMs.length * 1000) / elapsedMs : 0,
        roundTripsMs,
      });
    };
    const armStall = () => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        failures[`no outcome within ${stallMs} ms`] = count - settled;
        finish();
      }, stallMs);
    };
    const settle = (sentAt: number, event: DeliveryEvent | undefined, reason?: string) => {
      if (finished) return; // gave up on this run (stalled); late outcomes do not count
      tLast = now();
      settled++;
      if (event?.state === 'delivered') roundTripsMs.push(tLast - sentAt);
      else {
        const why =
          reason ??
          `${event?.state ?? 'failed'}${event?.code ? ' ' + event.code : ''}${event?.reason ? ': ' + wordReason(event.reason) : ''}`;
        failures[why] = (failures[why] ?? 0) + 1;
      }
      if (settled === count) return finish();
      armStall();
      if (!ratePerSecond) launch();
    };
    const stopListening = deliveries((event) => {
      const sentAt = inFlight.get(event.id);
      if (sentAt === undefined) {
        early.set(event.id, event);
        return;
      }
      inFlight.delete(event.id);
      settle(sentAt, event);
    });
    const launch = () => {
      if (finished || launched >= count) return;
      const i = launched++;
      const sentAt = now();
      void dispatch(core, 'sendMessage', { to, body: body(i, sentAt) }).then((outcome) => {
        if (!outcome.ok) return settle(sentAt, undefined, `${outcome.error.code}: ${outcome.error.message}`);
        const { id } = outcome.value as ChatMessage;
        const known = early.get(id);
        if (known) {
          early.delete(id);
          settle(sentAt, known);
        } else inFlight.set(id, sentAt);
      });
    };
    armStall();
    if (!ratePerSecond) {
      for (let k = 0; k < concurrency; k++) launch();
      return;
    }
    // Paced: message i is due at t0 + i / rate; a late timer sends what is due, never bunches up more.
    const tick = () => {
      const due = Math.min(count, Math.floor(((now() - t0) * ratePerSecond) / 1000) + 1);
      while (launched < due) launch();
      if (launched < count) pacer = setTimeout(tick, Math.max(0, t0 + (launched * 1000) / ratePerSecond - now()));
    };
    tick();
  });
}
