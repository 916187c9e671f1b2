import { useRef } from 'react';
import type { ChatMessage } from '../../../shared/ipc.js';

/** Far from zero, so a long history can be prepended without the index going negative. */
const START_INDEX = 10_000_000;

/**
 * react-virtuoso's `firstItemIndex` for a list that grows at the top: it drops by the number of
 * messages that went in before the one that was first, so the rows on screen keep their index and
 * the reader keeps their place while older pages load. (Rows are one per message: see message-rows.ts.)
 */
export function useFirstItemIndex(messages: readonly ChatMessage[]): number {
  const seen = useRef({ firstId: undefined as string | undefined, index: START_INDEX });
  const firstId = messages[0]?.id;
  if (firstId !== seen.current.firstId) {
    const previous = seen.current.firstId;
    const moved = previous === undefined ? -1 : messages.findIndex((m) => m.id === previous);
    // Idempotent: a second render with the same list finds the same first id and changes nothing.
    seen.current = { firstId, index: moved > 0 ? seen.current.index - moved : seen.current.index };
  }
  return seen.current.index;
}
