/**
 * The desktop shell's side of the window (Electron only; the browser host has no shell):
 *   shell ──ShellRequest──> validated ──> the store opens a conversation or a chat with an address
 *   shell ──play-sound──> the notice's sound, unless muted (the native notification is silent)
 *   store (conversation shown, window focus) ──reportView──> shell, so it stays quiet about what is read
 */
import { ShellRequest } from '../../shared/contract/shell.js';
import type { ParleyClient } from './api.js';
import type { AppStore } from './store/store.js';
import { parseRoute } from './store/route.js';
import type { SoundPlayer } from './notify/sounds.js';

/** What the window shows: the route's conversation in a window of its own, else the selection. */
export function shownConversation(store: AppStore): string | null {
  const route = parseRoute(window.location.hash);
  return route.kind === 'conversation' ? route.conversationId : store.getState().selectedConversationId;
}

/** The window event that carries an application-menu command to components/useShortcuts.ts. */
export const SHELL_COMMAND_EVENT = 'parley:shell-command';

/** `sounds`: where the shell's `play-sound` requests go (the player heeds the mute setting). */
export function watchShell(store: AppStore, api: ParleyClient, sounds?: SoundPlayer): () => void {
  if (!api.onShell) return () => {};
  const stopRequests = api.onShell((raw) => {
    const parsed = ShellRequest.safeParse(raw);
    if (!parsed.success) return;
    const request = parsed.data;
    const state = store.getState();
    if (request.action === 'open-conversation') state.selectConversation(request.conversationId);
    else if (request.action === 'open-chat') void state.startChat(request.address);
    else if (request.action === 'play-sound') sounds?.play(request.sound);
    else window.dispatchEvent(new CustomEvent(SHELL_COMMAND_EVENT, { detail: request.action }));
  });

  let last = '';
  const report = () => {
    const view = { conversationId: shownConversation(store), focused: store.getState().focused };
    const key = JSON.stringify(view);
    if (key === last) return;
    last = key;
    void api.reportView(view);
  };
  const stopStore = store.subscribe(report);
  window.addEventListener('hashchange', report);
  report();
  return () => {
    stopRequests();
    stopStore();
    window.removeEventListener('hashchange', report);
  };
}
