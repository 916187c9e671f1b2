/** The details panel of a conversation (per-peer sending options) and the chat settings. */
import type { DesktopSettings } from '../../../shared/contract/shell.js';
import type { ChatSettings, PeerOptionsView } from '../../../shared/ipc.js';
import type { Slice, StoreDeps } from './store.js';

export interface DetailsSlice {
  detailsOpen: boolean;
  /** Per normalised peer address. */
  peerOptions: Record<string, PeerOptionsView>;
  peerOptionsError: string | null;
  /** null until the core told them. */
  chatSettings: ChatSettings | null;
  settingsError: string | null;
  toggleDetails(open?: boolean): void;
  loadPeerOptions(peer: string): Promise<void>;
  setNewCallIdPerMessage(peer: string, value: boolean): Promise<void>;
  /** `quiet`: a failure is not shown (start-up; the settings panel asks again and shows it). */
  loadChatSettings(quiet?: boolean): Promise<void>;
  setSendComposing(value: boolean): Promise<void>;
  /** Change chat settings (mute, do not disturb, …): shown at once, put back if the core refuses. */
  setChatSettings(change: Partial<ChatSettings>): Promise<void>;
  /** The desktop shell's settings; null where there is none (the browser host) or until loaded. */
  desktopSettings: DesktopSettings | null;
  loadDesktopSettings(): Promise<void>;
  setDesktopSettings(change: Partial<DesktopSettings>): Promise<void>;
}

export const detailsSlice =
  ({ api }: StoreDeps): Slice<DetailsSlice> =>
  (set, get) => {
    /** Count settings changes, so a read that crossed one is not applied over it. */
    let desktopChanges = 0;
    let chatChanges = 0;
    return {
      detailsOpen: false,
      peerOptions: {},
      peerOptionsError: null,
      chatSettings: null,
      settingsError: null,
      desktopSettings: null,
      toggleDetails(open) {
        set((s) => ({ detailsOpen: open ?? !s.detailsOpen, peerOptionsError: null }));
      },
      async loadPeerOptions(peer) {
        const outcome = await api.getPeerOptions({ peer });
        if (!outcome.ok) return set({ peerOptionsError: outcome.error.message });
        set((s) => ({ peerOptions: { ...s.peerOptions, [peer]: outcome.value }, peerOptionsError: null }));
      },
      async setNewCallIdPerMessage(peer, value) {
        const outcome = await api.setPeerOptions({ peer, newCallIdPerMessage: value });
        if (!outcome.ok) return set({ peerOptionsError: outcome.error.message });
        set((s) => ({ peerOptions: { ...s.peerOptions, [peer]: outcome.value }, peerOptionsError: null }));
      },
      async loadChatSettings(quiet = false) {
        const asked = chatChanges;
        const outcome = await api.getChatSettings({});
        // A change made while this read was on its way (the mute switch at start-up) is newer.
        if (asked !== chatChanges) return;
        if (outcome.ok) return set({ chatSettings: outcome.value, settingsError: null });
        if (!quiet) set({ settingsError: outcome.error.message });
      },
      async setSendComposing(value) {
        if (!value) get().stopTyping();
        await get().setChatSettings({ sendComposing: value });
      },
      async setChatSettings(change) {
        // Shown at once (a checkbox that lags behind the click reads as broken); put back if refused.
        chatChanges += 1;
        const before = get().chatSettings;
        if (before) set({ chatSettings: { ...before, ...change } });
        const outcome = await api.setChatSettings(change);
        if (!outcome.ok) return set({ chatSettings: before, settingsError: outcome.error.message });
        set({ chatSettings: outcome.value, settingsError: null });
      },
      async loadDesktopSettings() {
        const asked = desktopChanges;
        const outcome = await api.getDesktopSettings({});
        // A change made while this read was on its way is newer than what it returns.
        if (asked !== desktopChanges) return;
        if (outcome.ok) set({ desktopSettings: outcome.value });
        else set({ settingsError: outcome.error.message });
      },
      async setDesktopSettings(change) {
        // Shown at once, as the chat settings are; put back if refused.
        desktopChanges += 1;
        const before = get().desktopSettings;
        if (before) set({ desktopSettings: { ...before, ...change } });
        const outcome = await api.setDesktopSettings(change);
        if (outcome.ok) set({ desktopSettings: outcome.value, settingsError: null });
        else set({ desktopSettings: before, settingsError: outcome.error.message });
      },
    };
  };
