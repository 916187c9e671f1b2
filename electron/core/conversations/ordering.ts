/**
 * Where an incoming MESSAGE goes in its conversation, so the receiver shows the sender's order
 * even when several MESSAGEs were in flight at once and a later one overtook an earlier one.
 *
 * A sender's MESSAGEs on one Call-ID form a run of rising CSeqs. A message with a CSeq above the
 * run's highest is appended. One below it that the run does not hold yet, and not far below the
 * run's start, arrived late: it is slotted before the run's next higher CSeq. A CSeq the run
 * already holds (with another text: copies are absorbed before this) means the sender restarted
 * its count (it or a server forgot): a new run starts, appended — never dropped. So is a CSeq
 * far below the run's start.
 */
import type { IncomingRun } from '../../storage/messages-repo.js';

/**
 * How far below a run's lowest CSeq a late message may be: the senders' limits of messages in
 * flight (8 here, CSeq step 2) and then some; anything lower is a restart.
 */
export const REORDER_SPAN = 64;

export type Placement = { kind: 'append'; epoch: number } | { kind: 'slot'; epoch: number };

export function placeIncoming(run: IncomingRun | undefined, cseq: number, runHas: (cseq: number) => boolean): Placement {
  if (!run) return { kind: 'append', epoch: 0 };
  if (cseq > run.maxCSeq) return { kind: 'append', epoch: run.epoch };
  if (cseq >= run.minCSeq - REORDER_SPAN && !runHas(cseq)) return { kind: 'slot', epoch: run.epoch };
  return { kind: 'append', epoch: run.epoch + 1 };
}

/** An order strictly between two neighbours (`previous` absent: nothing before `next`). */
export function orderBetween(previous: number | undefined, next: number): number {
  return previous === undefined ? next - 1 : (previous + next) / 2;
}
