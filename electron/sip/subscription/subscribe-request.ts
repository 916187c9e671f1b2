/**
 * What the notifier makes of a SUBSCRIBE's headers before it creates or refreshes a subscription
 * (RFC 6665 §4.2.1, RFC 3856 §6): pure, so every answer can be tested without a network.
 *
 *  - Event: only `presence` is ours (489 Bad Event otherwise; presence.winfo for our own AOR is
 *    the presence server's business). An `id` parameter is kept and echoed in every NOTIFY.
 *  - Accept: absent means the package default, application/pidf+xml (RFC 3856 §6.6). Present, it
 *    must admit that type (exactly, `application/*` or `*\/*`, with q > 0); an empty Accept admits
 *    nothing (RFC 3261 §20.1). Otherwise 415 naming the one format we send, and no subscription.
 *  - Expires: absent means one hour (RFC 3856 §6.4); 0 ends the subscription (or, on a new one,
 *    fetches the state once); 1..59 is answered 423 with Min-Expires; above the maximum it is
 *    granted shorter. Anything that is not a number is a 400.
 */
import { splitCommaList } from '../wire/headers.js';

export const PIDF_TYPE = 'application/pidf+xml';
export const MIN_EXPIRES = 60;
export const MAX_EXPIRES = 3600;
export const DEFAULT_EXPIRES = 3600;

export interface SubscribeHeaders {
  /** The Event header's value, or undefined when absent. */
  event: string | undefined;
  /** Every Accept header value (each may be a comma list); [] when there is none. */
  accept: string[];
  /** The Expires header's value, or undefined when absent. */
  expires: string | undefined;
}

export interface Rejection {
  ok: false;
  status: number;
  reason: string;
  headers: string[];
}

export interface Granted {
  ok: true;
  /** Seconds granted; 0 = end now (after one final NOTIFY). */
  expires: number;
  /** The Event header's id parameter, echoed in NOTIFY. */
  eventId: string | undefined;
}

export type SubscribeDecision = Granted | Rejection;

export interface ParsedEvent {
  package: string;
  id: string | undefined;
}

/** `presence;id=7` -> { package: 'presence', id: '7' }; package names compare case-insensitively. */
export function parseEvent(value: string | undefined): ParsedEvent | undefined {
  if (value === undefined) return undefined;
  const [name, ...params] = value.split(';').map((part) => part.trim());
  if (!name) return undefined;
  let id: string | undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'id') id = param.slice(eq + 1).trim();
  }
  return { package: name.toLowerCase(), id };
}

/** Whether Accept admits application/pidf+xml (see the header comment). */
export function acceptsPidf(accept: readonly string[]): boolean {
  if (accept.length === 0) return true;
  for (const value of accept) {
    for (const range of splitCommaList(value)) {
      const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
      if (type !== PIDF_TYPE && type !== 'application/*' && type !== '*/*') continue;
      const q = params.find((param) => param.startsWith('q='));
      if (q === undefined || Number(q.slice(2)) > 0) return true;
    }
  }
  return false;
}

export function checkSubscribe(headers: SubscribeHeaders): SubscribeDecision {
  const event = parseEvent(headers.event);
  if (event?.package !== 'presence') {
    return { ok: false, status: 489, reason: 'Bad Event', headers: ['Allow-Events: presence'] };
  }
  if (!acceptsPidf(headers.accept)) {
    return { ok: false, status: 415, reason: 'Unsupported Media Type', headers: [`Accept: ${PIDF_TYPE}`] };
  }
  let expires = DEFAULT_EXPIRES;
  if (headers.expires !== undefined) {
    const text = headers.expires.trim();
    if (!/^\d{1,10}$/.test(text)) return { ok: false, status: 400, reason: 'Bad Expires', headers: [] };
    expires = Number(text);
  }
  if (expires > 0 && expires < MIN_EXPIRES) {
    return { ok: false, status: 423, reason: 'Interval Too Brief', headers: [`Min-Expires: ${MIN_EXPIRES}`] };
  }
  return { ok: true, expires: Math.min(expires, MAX_EXPIRES), eventId: event.id };
}
