/**
 * Which kind of server the account has, for presence (docs/DESIGN.md#which-server-serves-presence):
 * one that relays watchers' SUBSCRIBEs to the user's devices (Parley then answers them itself:
 * direct presence), one that answers them itself (a presence agent: Parley then PUBLISHes), or one
 * that does neither. Found by the presence probe (sip/subscription/presence-probe.ts) at each
 * login and after each reconnection; the owner (presence-service.ts) switches modes on the answer.
 */
import type { ServerKind } from '../../../shared/contract/presence.js';
import { sendPresenceProbe, type SentProbe } from '../../sip/subscription/presence-probe.js';
import type { UserAgent } from '../../sip/user-agent.js';
import type { Logger } from '../../support/logger.js';

/**
 * After the probe's final response, how long a relayed copy may still arrive. Through a relaying
 * proxy the copy reaches us before the answer goes back (we make that answer), but over UDP the
 * two may cross.
 */
export const LATE_COPY_MS = 500;

/** What one probe's outcome says about the server. */
export function kindOf(reachedUs: boolean, finalStatus: number): ServerKind {
  if (reachedUs) return 'relays';
  if (finalStatus >= 200 && finalStatus < 300) return 'presence-agent';
  if (finalStatus === 489) return 'neither';
  return 'unknown';
}

/** Who serves our presence for a kind of server; an unknown kind keeps what was last found (else direct). */
export function modeFor(kind: ServerKind, last: ServerKind | undefined): 'direct' | 'server' {
  const known = kind === 'unknown' ? last : kind;
  return known === 'presence-agent' ? 'server' : 'direct';
}

export interface ServerKindProbeDeps {
  ua: UserAgent;
  aor: string;
  logger: Logger;
  onKind(kind: ServerKind): void;
}

export class ServerKindProbe {
  private sent: SentProbe | undefined;
  private inFlight = false;
  private reachedUs = false;
  private lateTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly deps: ServerKindProbeDeps) {}

  /** Probe now (a probe still under way is left to finish). */
  probe(): void {
    if (this.stopped || this.inFlight) return;
    this.finish();
    this.reachedUs = false;
    this.inFlight = true;
    this.sent = sendPresenceProbe(this.deps.ua, this.deps.aor, (status) => {
      this.lateTimer = setTimeout(() => this.decide(status), this.reachedUs ? 0 : LATE_COPY_MS);
      this.lateTimer.unref?.();
    });
    if (!this.sent) this.inFlight = false;
  }

  /** A probe reached us (presence-service.ts answers every probe, ours or another device's). */
  arrived(callId: string): void {
    if (this.sent?.callId === callId) this.reachedUs = true;
  }

  stop(): void {
    this.stopped = true;
    this.finish();
  }

  private decide(status: number): void {
    this.lateTimer = undefined;
    this.inFlight = false;
    if (this.stopped) return;
    const kind = kindOf(this.reachedUs, status);
    this.deps.logger.info('presence probe answered', { status, reachedUs: this.reachedUs, kind });
    this.deps.onKind(kind);
  }

  private finish(): void {
    clearTimeout(this.lateTimer);
    this.lateTimer = undefined;
    this.sent?.dispose();
    this.sent = undefined;
  }
}
