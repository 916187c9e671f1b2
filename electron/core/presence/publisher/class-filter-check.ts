/**
 * Does the presence server give each watcher only the classes its pres-rules provide?
 * (docs/DESIGN.md#views-per-group-through-the-server). Per-group views are published only after
 * this says yes, because a server that does not filter would send every watcher every class.
 *
 * How: the pres-rules give the user's own address only the view key as a class (`parley-self` in
 * sip/xcap/pres-rules.ts), and no tuple ever carries it. Once our publication is on the server, a
 * fetch of our own presence (the presence probe, sip/subscription/presence-probe.ts) shows what
 * the server does with that rule: a PIDF with no tuple left means it removed every tuple of
 * another class, so it filters; our tuple still there means it does not (it reads no pres-rules,
 * or applies no transformations). No NOTIFY, no body (pending: the server has no rule for us) or
 * anything else proves nothing, and counts as no.
 */
import { decodePidf, PIDF_CONTENT_TYPE } from '../../../sip/presence/index.js';
import { sendPresenceProbe } from '../../../sip/subscription/presence-probe.js';
import type { UserAgent } from '../../../sip/user-agent.js';

/** How long the NOTIFY may take after the fetch's final response. */
const NOTIFY_WAIT_MS = 5_000;

export type FilterVerdict = 'filters' | 'does-not-filter' | 'unknown';

/** What one NOTIFY of our own presence says, while our publication has at least one tuple. */
export function verdictOf(body: string, contentType: string | undefined): FilterVerdict {
  if (!body.trim() || contentType?.split(';')[0]?.trim().toLowerCase() !== PIDF_CONTENT_TYPE) return 'unknown';
  try {
    return decodePidf(body).tuples.length === 0 ? 'filters' : 'does-not-filter';
  } catch {
    return 'unknown';
  }
}

/** One fetch of our own presence; resolves with the verdict of its first NOTIFY with a body. */
export function checkClassFilter(ua: UserAgent, aor: string): Promise<FilterVerdict> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (verdict: FilterVerdict) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sent?.dispose();
      resolve(verdict);
    };
    const sent = sendPresenceProbe(
      ua,
      aor,
      (status) => {
        if (status < 200 || status >= 300) return settle('unknown');
        timer = setTimeout(() => settle('unknown'), NOTIFY_WAIT_MS);
        timer.unref?.();
      },
      (body, contentType) => {
        const verdict = verdictOf(body, contentType);
        if (verdict !== 'unknown') settle(verdict);
      },
    );
    if (!sent) settle('unknown');
  });
}
