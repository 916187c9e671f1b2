/**
 * When Parley offers a peer an MSRP chat session (docs/DESIGN.md#session-mode): only with the chat
 * setting "prefer session mode" on, and never to a peer that refused one. A refusal is an answer
 * that says the peer cannot do it (415, 488, 606, 405, 501) or no answer at all (408, or our own
 * set-up timeout): remembered per peer in settings, as a refusal of CPIM is (receipts.ts), so
 * such a peer gets paging mode, as before, without an INVITE first. Anything else (the peer is
 * offline, busy, a server error, a session that broke or was ended) only rests the peer for a
 * while: paging mode until then, so a flapping peer costs one INVITE per rest, not one per message.
 */
import type { SettingsRepo } from '../../storage/settings-repo.js';
import type { Clock } from '../../support/clock.js';

/** How long a peer whose session failed or ended goes by paging mode before the next offer. */
export const REST_AFTER_FAILURE_MS = 10 * 60_000;
/** Both sides offered at once (491, RFC 3261 §14.1): a short rest, then one of them offers again. */
export const REST_AFTER_GLARE_MS = 3_000;
/** Answers that mean "this peer does not do MSRP sessions". */
const REFUSALS = new Set([405, 408, 415, 488, 501, 606]);

const refusedKey = (peer: string) => `chat.sessionRefused:${peer}`;

export class OfferPolicy {
  /** Peers resting, to when. */
  private readonly resting = new Map<string, number>();

  constructor(
    private readonly settings: Pick<SettingsRepo, 'get' | 'set'>,
    private readonly clock: Clock,
  ) {}

  /** Whether to offer this peer a session now (the setting is the caller's to check). */
  mayOffer(peer: string): boolean {
    if (this.settings.get<boolean>(refusedKey(peer))) return false;
    const until = this.resting.get(peer);
    if (until === undefined) return true;
    if (until > this.clock.now()) return false;
    this.resting.delete(peer);
    return true;
  }

  /** The offer to `peer` ended with `status` (0: no answer in time) before a session was up. */
  offerFailed(peer: string, status: number): void {
    if (status === 0 || REFUSALS.has(status)) this.settings.set(refusedKey(peer), true);
    else this.rest(peer, status === 491 ? REST_AFTER_GLARE_MS : REST_AFTER_FAILURE_MS);
  }

  /** A session with `peer` broke or was ended: paging mode for a while. */
  ended(peer: string): void {
    this.rest(peer, REST_AFTER_FAILURE_MS);
  }

  private rest(peer: string, ms: number): void {
    this.resting.set(peer, this.clock.now() + ms);
  }
}
