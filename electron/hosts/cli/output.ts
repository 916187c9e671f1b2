/** One JSON object per line on stdout; diagnostics go to stderr so stdout stays machine-readable. */
import type { Core } from '../../core/core.js';
import type { SequencedEvent } from '../../../shared/ipc.js';

export function writeLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
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
