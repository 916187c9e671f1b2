import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_SETTINGS } from '../../../shared/contract/chat.js';
import type { DesktopSettings, Outcome } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { createAppStore } from './store.js';

const settings: DesktopSettings = { closeToTray: true, startAtLogin: false, autoAwayMinutes: 10 };

/** A command whose answer the test gives when it chooses. */
function held<T>() {
  let answer!: (o: Outcome<T>) => void;
  const promise = new Promise<Outcome<T>>((resolve) => (answer = resolve));
  return { promise, answer };
}

describe('desktop settings', () => {
  it('shows a change at once, before the shell answers, and puts it back when refused', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.getDesktopSettings = { ok: true, value: settings };
    await store.getState().loadDesktopSettings();
    const refusal = held<DesktopSettings>();
    client.api.setDesktopSettings = () => refusal.promise;
    const changing = store.getState().setDesktopSettings({ startAtLogin: true });
    expect(store.getState().desktopSettings?.startAtLogin).toBe(true);
    refusal.answer({ ok: false, error: { code: 'failed', message: 'the login item could not be set' } });
    await changing;
    expect(store.getState().desktopSettings).toEqual(settings);
    expect(store.getState().settingsError).toBe('the login item could not be set');
  });

  it('a read that crossed a change does not undo it', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.getDesktopSettings = { ok: true, value: settings };
    await store.getState().loadDesktopSettings();
    const read = held<DesktopSettings>();
    client.api.getDesktopSettings = () => read.promise;
    const reading = store.getState().loadDesktopSettings();
    client.answers.setDesktopSettings = { ok: true, value: { ...settings, startAtLogin: true } };
    await store.getState().setDesktopSettings({ startAtLogin: true });
    read.answer({ ok: true, value: settings });
    await reading;
    expect(store.getState().desktopSettings?.startAtLogin).toBe(true);
  });
});

describe('chat settings', () => {
  it('mute and do-not-disturb change one field at once, kept as the core answers', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    store.setState({ chatSettings: DEFAULT_CHAT_SETTINGS });
    client.answers.setChatSettings = { ok: true, value: { ...DEFAULT_CHAT_SETTINGS, muteSounds: true } };
    const muting = store.getState().setChatSettings({ muteSounds: true });
    expect(store.getState().chatSettings).toEqual({ ...DEFAULT_CHAT_SETTINGS, muteSounds: true });
    await muting;
    client.answers.setChatSettings = { ok: true, value: { ...DEFAULT_CHAT_SETTINGS, muteSounds: true, quietWhenBusy: false } };
    await store.getState().setChatSettings({ quietWhenBusy: false });
    expect(client.called('setChatSettings').map((c) => c.request)).toEqual([{ muteSounds: true }, { quietWhenBusy: false }]);
    expect(store.getState().chatSettings).toEqual({
      sendComposing: true,
      muteSounds: true,
      quietWhenBusy: false,
      sendReadReceipts: true,
      preferSessionMode: false,
    });
  });

  it('a read that crossed a mute does not undo it', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    store.setState({ chatSettings: DEFAULT_CHAT_SETTINGS });
    const read = held<typeof DEFAULT_CHAT_SETTINGS>();
    client.api.getChatSettings = () => read.promise;
    const reading = store.getState().loadChatSettings();
    client.answers.setChatSettings = { ok: true, value: { ...DEFAULT_CHAT_SETTINGS, muteSounds: true } };
    await store.getState().setChatSettings({ muteSounds: true });
    read.answer({ ok: true, value: DEFAULT_CHAT_SETTINGS });
    await reading;
    expect(store.getState().chatSettings?.muteSounds).toBe(true);
  });
});
