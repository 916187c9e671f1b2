/**
 * Turns a REGISTER outcome into a sentence a person understands, and decides whether trying
 * again later can help (`retry`) or the user must change something first.
 */
export interface FailureExplanation {
  reason: string;
  retry: boolean;
}

export function explainRegisterFailure(status: number, user: string, reasonPhrase?: string): FailureExplanation {
  switch (status) {
    case 401:
    case 407:
      return { reason: `The server refused the password for ${user}. Check the password and the authentication user name.`, retry: false };
    case 403:
      return { reason: `The server does not allow ${user} to register here (403 Forbidden). Check the user name, password and domain.`, retry: false };
    case 404:
      return { reason: `The server does not know the user ${user} (404 Not Found). Check the address.`, retry: false };
    case 408:
      return { reason: 'The server did not answer in time. Parley keeps trying.', retry: true };
    case 423:
      return { reason: 'The server wanted a longer registration interval and did not accept the one offered.', retry: true };
    case 480:
    case 500:
    case 502:
    case 504:
      return { reason: `The server could not register you right now (${status}${reasonPhrase ? ' ' + reasonPhrase : ''}). Parley keeps trying.`, retry: true };
    case 503:
      return { reason: 'The server cannot be reached or is unavailable. Parley keeps trying.', retry: true };
    default:
      return {
        reason: `Registration failed: ${status}${reasonPhrase ? ' ' + reasonPhrase : ''}.`,
        // 5xx may pass; 6xx is a global, final refusal.
        retry: status >= 500 && status < 600,
      };
  }
}

/** Jittered exponential back-off: 1 s, 2 s, 4 s ... capped, each ±25 % so clients don't stampede a restarted server. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 1000, capMs = 60_000): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(raw * (0.75 + random() * 0.5));
}
