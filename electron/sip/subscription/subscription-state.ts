/**
 * The Subscription-State header of a NOTIFY (RFC 6665 §8.2.3): the state, and the reason,
 * expires and retry-after parameters that decide what a subscriber does next.
 *
 * Read by hand rather than through sip.js's grammar: it runs once per NOTIFY (5,000 buddies make
 * that a hot path) and must never throw on what a notifier sends.
 */

export type NotifyState = 'active' | 'pending' | 'terminated';

export interface SubscriptionStateHeader {
  state: NotifyState;
  /** RFC 6665 §4.1.3 reason of a terminated subscription, lower case (e.g. 'deactivated'). */
  reason?: string;
  /** Seconds the subscription has left. */
  expires?: number;
  /** Seconds to wait before subscribing again. */
  retryAfter?: number;
}

const STATES: ReadonlySet<string> = new Set(['active', 'pending', 'terminated']);
/** Longest delta-seconds we take literally (RFC 3261 caps them at 2^32-1; a day is plenty here). */
const MAX_SECONDS = 7 * 24 * 3600;

/** undefined when the header is missing or its state is not one RFC 6665 defines. */
export function parseSubscriptionState(value: string | undefined): SubscriptionStateHeader | undefined {
  if (!value) return undefined;
  const [head, ...params] = value.split(';');
  const state = head!.trim().toLowerCase();
  if (!STATES.has(state)) return undefined;
  const parsed: SubscriptionStateHeader = { state: state as NotifyState };
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = (eq < 0 ? param : param.slice(0, eq)).trim().toLowerCase();
    const raw = eq < 0 ? '' : param.slice(eq + 1).trim();
    if (name === 'reason' && /^[A-Za-z0-9._!%*+`'~-]{1,64}$/.test(raw)) parsed.reason = raw.toLowerCase();
    else if (name === 'expires') {
      const seconds = deltaSeconds(raw);
      if (seconds !== undefined) parsed.expires = seconds;
    } else if (name === 'retry-after') {
      const seconds = deltaSeconds(raw);
      if (seconds !== undefined) parsed.retryAfter = seconds;
    }
  }
  return parsed;
}

/** A delta-seconds value, capped; undefined when not a plain number. */
export function deltaSeconds(raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (!text || !/^\d{1,10}$/.test(text)) return undefined;
  return Math.min(Number(text), MAX_SECONDS);
}
