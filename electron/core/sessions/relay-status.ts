/**
 * Whether the account's MSRP relay carries chat sessions, as the window shows it
 * (docs/DESIGN.md#msrp-relay): a login that fails says why as a `relay.*` reason, one that succeeds
 * clears it. The `relay` event goes out only when the cause changes, so a relay that refuses the
 * password is told once, not at every chat that tries it; the snapshot carries the current one.
 */
import { sameReason, type Reason } from '../../../shared/domain/reason.js';
import type { ParleyEventOf } from '../../../shared/ipc.js';
import type { Reservation } from '../../sip/msrp/relay-client.js';

export class RelayStatus {
  private problem: Reason | null = null;

  constructor(private readonly emit: (event: ParleyEventOf<'relay'>) => void) {}

  get current(): Reason | null {
    return this.problem;
  }

  /** A login's outcome (or null: no relay is configured any more). */
  set(problem: Reason | null): void {
    if (sameReason(problem ?? undefined, this.problem ?? undefined)) return;
    this.problem = problem;
    this.emit({ type: 'relay', problem });
  }
}

/** What a login to `relay` (its URI as configured) came to: null when it worked, else why not. */
export function relayProblem(
  relay: string,
  reservation: Pick<Extract<Reservation, { ok: true }>, 'ok'> | Extract<Reservation, { ok: false }>,
  unreachable?: string,
): Reason | null {
  if (reservation.ok) return null;
  if (reservation.code === 401) return { code: 'relay.bad-credentials', params: { relay } };
  if (reservation.code !== undefined) return { code: 'relay.refused', params: { relay, status: reservation.code } };
  return { code: 'relay.unreachable', params: { relay, error: unreachable ?? reservation.reason } };
}
