import { useId } from 'react';
import { useApp } from '../store/context.js';

/** Chat preferences: whether the peer sees "… is typing". */
export function ChatSettingsPanel() {
  const settings = useApp((s) => s.chatSettings);
  const error = useApp((s) => s.settingsError);
  const load = useApp((s) => s.loadChatSettings);
  const setSendComposing = useApp((s) => s.setSendComposing);
  const id = useId();
  return (
    <details className="chat-settings" onToggle={(e) => e.currentTarget.open && void load()}>
      <summary>Chat settings</summary>
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={settings?.sendComposing ?? true}
          disabled={!settings}
          onChange={(e) => void setSendComposing(e.target.checked)}
          data-testid="setting-send-composing"
        />
        <label htmlFor={id}>Let others see when I am typing</label>
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}
    </details>
  );
}
