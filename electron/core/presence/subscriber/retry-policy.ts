/**
 * What a subscriber does after its subscription ends or a SUBSCRIBE fails, and why (a
 * `subscription.*` reason). RFC 6665 §4.1.3 for the reasons of a terminating NOTIFY:
 *   - deactivated, timeout: subscribe again at once (the notifier moved or the refresh was late);
 *   - probation, giveup, or no reason: subscribe again later (after retry-after when given);
 *   - rejected, noresource, invariant: do not subscribe again by yourself.
 * Failure responses: 481 means the dialog is gone (a new subscription at once); 408, 480, 5xx
 * (sip.js reports an unreachable server as 503) may pass and are retried with back-off, except 501:
 * a server that does not implement SUBSCRIBE will not have it by the next try. The rest of the 4xx,
 * 501 and every 6xx need someone to change something first.
 */
import type { Reason } from '../../../../shared/domain/reason.js';
import { backoffDelay, JITTER_25, type Backoff } from '../../../../shared/backoff.js';

export type RetryDecision =
  | { kind: 'now' }
  /** delayMs undefined = the caller's back-off. */
  | { kind: 'later'; delayMs?: number; reason: Reason }
  | { kind: 'never'; reason: Reason };

/** After a NOTIFY with Subscription-State: terminated. `peer` is the watched address. */
export function afterTermination(peer: string, reason: string | undefined, retryAfter?: number): RetryDecision {
  const later = (why: Reason): RetryDecision => ({
    kind: 'later',
    reason: why,
    ...(retryAfter !== undefined ? { delayMs: retryAfter * 1000 } : {}),
  });
  switch (reason) {
    case 'deactivated':
    case 'timeout':
      return { kind: 'now' };
    case 'rejected':
      return { kind: 'never', reason: { code: 'subscription.rejected', params: { peer } } };
    case 'noresource':
      return { kind: 'never', reason: { code: 'subscription.no-resource', params: { peer } } };
    case 'invariant':
      return { kind: 'never', reason: { code: 'subscription.invariant', params: { peer } } };
    case 'probation':
    case 'giveup':
      return later({ code: 'subscription.paused', params: { peer } });
    default:
      return later({ code: 'subscription.ended', params: { peer } });
  }
}

/** After a final failure response to a SUBSCRIBE (initial or refresh). */
export function afterFailure(peer: string, status: number, reasonPhrase?: string, retryAfter?: number): RetryDecision {
  const sip = { peer, status, ...(reasonPhrase ? { phrase: reasonPhrase } : {}) };
  const later = (why: Reason): RetryDecision => ({
    kind: 'later',
    reason: why,
    ...(retryAfter !== undefined ? { delayMs: retryAfter * 1000 } : {}),
  });
  if (status === 481) return { kind: 'now' };
  if (status === 408) return later({ code: 'subscription.timeout', params: { peer } });
  if (status === 480) return later({ code: 'subscription.unavailable', params: { peer } });
  if (status === 503) return later({ code: 'subscription.unreachable', params: { peer } });
  if (status >= 500 && status < 600 && status !== 501) return later({ code: 'subscription.server-error', params: sip });
  switch (status) {
    case 401:
    case 407:
      return { kind: 'never', reason: { code: 'subscription.bad-credentials', params: { peer } } };
    case 403:
      return { kind: 'never', reason: { code: 'subscription.forbidden', params: { peer } } };
    case 404:
    case 410:
    case 484:
      return { kind: 'never', reason: { code: 'subscription.unknown-user', params: sip } };
    case 405:
    case 489:
    case 501:
      return { kind: 'never', reason: { code: 'subscription.not-offered', params: sip } };
    case 406:
    case 415:
    case 488:
      return { kind: 'never', reason: { code: 'subscription.bad-format', params: sip } };
    case 603:
      return { kind: 'never', reason: { code: 'subscription.declined', params: { peer } } };
    default:
      return { kind: 'never', reason: { code: 'subscription.failed', params: sip } };
  }
}

/**
 * Presence back-off: 1 s doubling to 5 min, ±25 %. Longer than registration's 30 s because a
 * roster is thousands of subscriptions, and a server that refuses them all must not be stampeded.
 */
const PRESENCE_BACKOFF: Backoff = { firstMs: 1000, capMs: 300_000, jitter: JITTER_25 };

export function presenceBackoff(attempt: number, random: () => number = Math.random): number {
  return backoffDelay(attempt, PRESENCE_BACKOFF, random);
}
