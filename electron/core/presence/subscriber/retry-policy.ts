/**
 * What a subscriber does after its subscription ends or a SUBSCRIBE fails, and how that is said to
 * a person. RFC 6665 §4.1.3 for the reasons of a terminating NOTIFY:
 *   - deactivated, timeout: subscribe again at once (the notifier moved or the refresh was late);
 *   - probation, giveup, or no reason: subscribe again later (after retry-after when given);
 *   - rejected, noresource, invariant: do not subscribe again by yourself.
 * Failure responses: 481 means the dialog is gone (a new subscription at once); 408, 480, 5xx
 * (sip.js reports an unreachable server as 503) may pass and are retried with back-off; the rest
 * of the 4xx and every 6xx needs someone to change something first.
 */
import { backoffDelay } from '../../account/registration-reasons.js';

export type RetryDecision =
  | { kind: 'now' }
  /** delayMs undefined = the caller's back-off. */
  | { kind: 'later'; delayMs?: number; reason: string }
  | { kind: 'never'; reason: string };

/** After a NOTIFY with Subscription-State: terminated. `who` names the watched address. */
export function afterTermination(who: string, reason: string | undefined, retryAfter?: number): RetryDecision {
  const later = (text: string): RetryDecision => ({ kind: 'later', reason: text, ...(retryAfter !== undefined ? { delayMs: retryAfter * 1000 } : {}) });
  switch (reason) {
    case 'deactivated':
    case 'timeout':
      return { kind: 'now' };
    case 'rejected':
      return { kind: 'never', reason: `${who} did not allow you to see their presence.` };
    case 'noresource':
      return { kind: 'never', reason: `There is no presence for ${who}: the address does not exist on their server.` };
    case 'invariant':
      return { kind: 'never', reason: `The server of ${who} cannot keep a presence subscription for them.` };
    case 'probation':
    case 'giveup':
      return later(`The server of ${who} ended the presence subscription for now. Parley tries again later.`);
    default:
      return later(`The presence subscription to ${who} ended. Parley subscribes again.`);
  }
}

/** After a final failure response to a SUBSCRIBE (initial or refresh). */
export function afterFailure(who: string, status: number, reasonPhrase?: string, retryAfter?: number): RetryDecision {
  const phrase = reasonPhrase ? ` ${reasonPhrase}` : '';
  const later = (text: string): RetryDecision => ({ kind: 'later', reason: text, ...(retryAfter !== undefined ? { delayMs: retryAfter * 1000 } : {}) });
  if (status === 481) return { kind: 'now' };
  if (status === 408) return later(`The server did not answer in time while subscribing to ${who}. Parley keeps trying.`);
  if (status === 480) return later(`${who} cannot be reached right now. Parley keeps trying.`);
  if (status === 503) return later(`The server cannot be reached or is unavailable, so ${who}'s presence is not up to date. Parley keeps trying.`);
  if (status >= 500 && status < 600) return later(`The server could not subscribe to ${who} right now (${status}${phrase}). Parley keeps trying.`);
  switch (status) {
    case 401:
    case 407:
      return { kind: 'never', reason: `The server refused Parley's credentials when subscribing to ${who}. Check the password.` };
    case 403:
      return { kind: 'never', reason: `The server does not let you watch ${who} (403 Forbidden).` };
    case 404:
    case 410:
    case 484:
      return { kind: 'never', reason: `The server does not know ${who} (${status}${phrase}). Check the address.` };
    case 405:
    case 489:
    case 501:
      return { kind: 'never', reason: `${who} does not offer presence (${status}${phrase}).` };
    case 406:
    case 415:
    case 488:
      return { kind: 'never', reason: `${who} cannot send presence in a format Parley reads (${status}${phrase}).` };
    case 603:
      return { kind: 'never', reason: `${who} declined to share their presence with you.` };
    default:
      return { kind: 'never', reason: `Subscribing to ${who}'s presence failed (${status}${phrase}).` };
  }
}

/** Presence back-off: 1 s doubling to 5 min, ±25 %, so a restarted server is not stampeded. */
export function presenceBackoff(attempt: number, random: () => number = Math.random): number {
  return backoffDelay(attempt, random, 1000, 300_000);
}
