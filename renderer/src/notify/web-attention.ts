/**
 * The browser host's attention: the same decisions as the Electron shell's (shared/notify/attention.ts
 * on the rules of shared/notify/notices.ts), shown as Web Notifications with the notice sounds.
 *
 *   core events ──> attention (quiet for the conversation on screen in a focused tab, and while busy
 *   with do-not-disturb) ──> Web Notification (coalesced per conversation) + sound (unless muted)
 *   notification click ──> the tab comes forward and opens the conversation
 *
 * Runs only in the main page of the browser host: in Electron the shell notifies and asks for the
 * sound, and a conversation's own tab leaves it to the main one (no double notices).
 */
import type { SequencedEvent, Snapshot } from '../../../shared/ipc.js';
import { createAttention } from '../../../shared/notify/attention.js';
import type { ParleyClient } from '../api.js';
import { shownConversation } from '../shell-requests.js';
import type { AppStore } from '../store/store.js';
import type { SoundPlayer } from './sounds.js';
import type { WebNotifier } from './web-notices.js';

export interface WebAttention {
  /** Start again from the core's snapshot (sync.ts hands over each one it loads). */
  load(snapshot: Snapshot): void;
  stop(): void;
}

export function watchWebAttention(
  store: AppStore,
  api: ParleyClient,
  options: {
    notifier: WebNotifier;
    sounds: SoundPlayer;
    /** The conversation this page shows (default: the route's, else the selected one). */
    shown?: () => string | null;
  },
): WebAttention {
  const shown = options.shown ?? (() => shownConversation(store));
  const attention = createAttention({
    // Reached the user by its notice or by its sound: a request heard while the page may not
    // notify is not played again at each refresh of the watcher's subscription.
    show: (notice) => {
      const shown = options.notifier.show(notice);
      const heard = options.sounds.play(notice.kind);
      return shown || heard;
    },
    withdraw: (key) => options.notifier.withdraw(key),
    onUnread: () => {},
    isAnyWindowFocused: () => store.getState().focused,
    quietWhenBusy: () => store.getState().chatSettings?.quietWhenBusy ?? true,
  });
  // Events before the first snapshot wait for it (it names people and says our status); those it
  // already covers are dropped by their seq.
  let early: SequencedEvent[] | null = [];
  const stopEvents = api.onEvent((event) => {
    if (early) early.push(event);
    else attention.onEvent(event);
  });
  let last = '';
  const report = () => {
    const view = { conversationId: shown(), focused: store.getState().focused };
    const key = JSON.stringify(view);
    if (key === last) return;
    last = key;
    attention.reportView(view);
  };
  const stopStore = store.subscribe(report);
  report();
  return {
    load(snapshot) {
      attention.load(snapshot);
      const waiting = early ?? [];
      early = null;
      for (const event of waiting) attention.onEvent(event);
    },
    stop() {
      stopEvents();
      stopStore();
    },
  };
}
