/**
 * Turns a REGISTER outcome into a reason (shared/domain/reason.ts) and decides whether trying
 * again later can help (`retry`) or the user must change something first.
 */
import type { Reason } from '../../../shared/domain/reason.js';

export interface FailureExplanation {
  reason: Reason;
  retry: boolean;
}

export function explainRegisterFailure(status: number, user: string, reasonPhrase?: string): FailureExplanation {
  const phrase = reasonPhrase ? { phrase: reasonPhrase } : {};
  switch (status) {
    case 401:
    case 407:
      return { reason: { code: 'register.bad-password', params: { user } }, retry: false };
    case 403:
      return { reason: { code: 'register.forbidden', params: { user } }, retry: false };
    case 404:
      return { reason: { code: 'register.unknown-user', params: { user } }, retry: false };
    case 408:
      return { reason: { code: 'register.timeout' }, retry: true };
    case 423:
      return { reason: { code: 'register.interval-too-short' }, retry: true };
    case 480:
    case 500:
    case 502:
    case 504:
      return { reason: { code: 'register.server-busy', params: { status, ...phrase } }, retry: true };
    case 503:
      return { reason: { code: 'register.unreachable' }, retry: true };
    default:
      return {
        reason: { code: 'register.failed', params: { status, ...phrase } },
        // 5xx may pass; 6xx is a global, final refusal.
        retry: status >= 500 && status < 600,
      };
  }
}
