import { useEffect, useId } from 'react';
import { useApp } from '../store/context.js';
import { DesktopSettingsSection } from './DesktopSettings.js';
import { NotificationSettingsSection } from './NotificationSettings.js';
import { SettingCheck } from './SettingCheck.js';

/** Chat preferences, as a view of the main area: whether the peer sees "… is typing" and read receipts, notifications, the desktop's own below. */
export function ChatSettingsPanel({ onClose }: { onClose(): void }) {
  const settings = useApp((s) => s.chatSettings);
  const error = useApp((s) => s.settingsError);
  const load = useApp((s) => s.loadChatSettings);
  const setSendComposing = useApp((s) => s.setSendComposing);
  const change = useApp((s) => s.setChatSettings);
  const id = useId();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="card settings-view" aria-labelledby={`${id}-title`} data-testid="chat-settings">
      <header className="view-header">
        <h2 id={`${id}-title`}>Chat settings</h2>
        <button type="button" className="secondary" onClick={onClose}>
          Done
        </button>
      </header>
      <SettingCheck
        label="Let others see when I am typing"
        checked={settings?.sendComposing ?? true}
        disabled={!settings}
        onChange={(value) => void setSendComposing(value)}
        testId="setting-send-composing"
      />
      <SettingCheck
        label="Send read receipts"
        checked={settings?.sendReadReceipts ?? true}
        disabled={!settings}
        onChange={(sendReadReceipts) => void change({ sendReadReceipts })}
        testId="setting-send-read-receipts"
        hint="Senders who ask learn when you have read their messages. They always learn that a message reached Parley."
      />
      <SettingCheck
        label="Prefer session mode"
        checked={settings?.preferSessionMode ?? false}
        disabled={!settings}
        onChange={(preferSessionMode) => void change({ preferSessionMode })}
        testId="setting-prefer-session-mode"
        hint="Offer each peer a chat session (MSRP) and chat in it. Peers that cannot are sent one message at a time, as before."
      />
      <NotificationSettingsSection />
      <DesktopSettingsSection />
      {error && (
        <p className="form-error" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}
    </section>
  );
}
