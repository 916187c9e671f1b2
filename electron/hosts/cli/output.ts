/** One JSON object per line on stdout; diagnostics go to stderr so stdout stays machine-readable. */
import type { Core } from '../../core/core.js';
import type { SequencedEvent } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';

export function writeLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

/**
 * For a person reading along as well as a script: an event whose reason is data (a code and its
 * params, shared/domain/reason.ts) also carries it in words, `reasonText` beside `reason`.
 */
export function withWords(event: SequencedEvent): object {
  if ((event.type === 'registration' || event.type === 'delivery') && event.reason)
    return { ...event, reasonText: wordReason(event.reason) };
  if (event.type === 'buddy' && event.buddy.reason)
    return { ...event, buddy: { ...event.buddy, reasonText: wordReason(event.buddy.reason) } };
  return event;
}

/**
 * Snapshot, then events: the current listening addresses and registration state are printed
 * as events first (so a script sees them even though they happened during start-up), then
 * every later event in order.
 */
export async function streamEvents(core: Core, write: (event: SequencedEvent) => void): Promise<() => void> {
  const buffered: SequencedEvent[] = [];
  let live = false;
  const unsubscribe = core.subscribe((event) => (live ? write(event) : buffered.push(event)));
  const snapshot = await core.commands.getSnapshot({});
  write({ type: 'listening', addresses: snapshot.listening, seq: snapshot.seq });
  write({ type: 'registration', ...snapshot.registration, ...(snapshot.account ? { aor: snapshot.account.aor } : {}), seq: snapshot.seq });
  for (const event of buffered) if (event.seq > snapshot.seq) write(event);
  live = true;
  return unsubscribe;
}
