/** A core snapshot for renderer unit tests: nothing in it but `seq`, unless `overrides` say otherwise. */
import { EMPTY_PRESENCE } from '../../../shared/contract/presence.js';
import type { Snapshot } from '../../../shared/ipc.js';

export function testSnapshot(seq: number, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    account: null,
    registration: { state: 'unregistered' },
    listening: [],
    presence: EMPTY_PRESENCE,
    conversations: [],
    messages: [],
    drafts: {},
    ...overrides,
  };
}
