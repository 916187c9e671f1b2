/**
 * Snapshot-then-events start-up, and again after every reconnect:
 *   1. subscribe to events (queue them),
 *   2. ask for the snapshot,
 *   3. replace the read model with it, drop queued events with seq <= snapshot.seq (applyEvent does),
 *   4. from then on apply events in batches, one batch per animation frame.
 */
import type { SequencedEvent, Snapshot } from '../../../shared/ipc.js';
import type { ConnectionStatus, ParleyClient } from '../api.js';
import { mergeDrafts } from './drafts.js';
import { applyEvents, fromSnapshot } from './model.js';
import type { AppStore } from './store.js';

export type FrameScheduler = (flush: () => void) => void;

/**
 * Next animation frame, or a short timeout when frames are not coming (a hidden tab gets none),
 * whichever is first.
 */
export const animationFrame: FrameScheduler = (flush) => {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    flush();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(run);
  setTimeout(run, 250);
};

export interface SyncOptions {
  scheduleFrame?: FrameScheduler;
  /** Wait before asking again when the core answered the snapshot request with an error. */
  retryDelayMs?: number;
  /** Each snapshot loaded, after the store has it (the browser host's notices start from it). */
  onSnapshot?: (snapshot: Snapshot) => void;
}

export function startSync(store: AppStore, api: ParleyClient, options: SyncOptions = {}): () => void {
  const scheduleFrame = options.scheduleFrame ?? animationFrame;
  const retryDelayMs = options.retryDelayMs ?? 2000;
  let queue: SequencedEvent[] = [];
  let live = false;
  let framePending = false;
  let generation = 0;
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    framePending = false;
    if (!live || queue.length === 0) return;
    const batch = queue;
    queue = [];
    store.setState((state) => applyEvents(state, batch));
  }

  const unsubscribeEvents = api.onEvent((event) => {
    queue.push(event);
    if (live && !framePending) {
      framePending = true;
      scheduleFrame(flush);
    }
  });

  async function load(): Promise<void> {
    const mine = ++generation;
    live = false;
    const outcome = await api.getSnapshot({});
    if (stopped || mine !== generation) return;
    if (!outcome.ok) {
      store.setState({ loadError: outcome.error.message });
      if (api.connection().status === 'open') {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          if (mine === generation) void load();
        }, retryDelayMs);
      }
      return;
    }
    // Older pages loaded before are gone with the old read model: look again for the open conversation.
    store.setState((state) => ({
      ...fromSnapshot(outcome.value, state),
      drafts: mergeDrafts(outcome.value.drafts, state.drafts),
      savedDrafts: outcome.value.drafts,
      historyComplete: {},
      snapshotLoaded: true,
      loadError: null,
    }));
    live = true;
    options.onSnapshot?.(outcome.value);
    flush();
    const open = store.getState().selectedConversationId;
    if (open) void store.getState().loadOlder(open);
    // The composer needs to know whether typing notifications are wanted; quiet when the core cannot say.
    void store.getState().loadChatSettings(true);
  }

  let previous: ConnectionStatus['status'] = api.connection().status;
  const unsubscribeConnection = api.onConnection((status) => {
    store.setState({ connection: status });
    if (status.status === 'open' && previous !== 'open') {
      // Events from before the drop are covered by the new snapshot.
      queue = [];
      void load();
    }
    if (status.status !== 'open') live = false;
    previous = status.status;
  });
  store.setState({ connection: api.connection() });
  if (previous === 'open') void load();

  return () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    unsubscribeEvents();
    unsubscribeConnection();
  };
}
