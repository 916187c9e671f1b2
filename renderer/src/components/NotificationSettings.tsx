import { useId, useState } from 'react';
import { useApp } from '../store/context.js';
import { askWebNotificationPermission, webNotificationPermission, type WebNotificationPermission } from '../notify/web-notices.js';

/** Sounds, do-not-disturb, and (in a browser) whether it may show Parley's notifications. */
export function NotificationSettingsSection() {
  const settings = useApp((s) => s.chatSettings);
  const change = useApp((s) => s.setChatSettings);
  const id = useId();
  return (
    <fieldset className="settings-group" data-testid="notification-settings">
      <legend>Notifications</legend>
      <div className="check">
        <input
          id={`${id}-mute`}
          type="checkbox"
          checked={settings?.muteSounds ?? false}
          disabled={!settings}
          onChange={(e) => void change({ muteSounds: e.target.checked })}
          data-testid="setting-mute-sounds"
        />
        <label htmlFor={`${id}-mute`}>Mute sounds for new messages and requests</label>
      </div>
      <div className="check">
        <input
          id={`${id}-dnd`}
          type="checkbox"
          checked={settings?.quietWhenBusy ?? true}
          disabled={!settings}
          onChange={(e) => void change({ quietWhenBusy: e.target.checked })}
          aria-describedby={`${id}-dnd-hint`}
          data-testid="setting-quiet-when-busy"
        />
        <label htmlFor={`${id}-dnd`}>Do not disturb while my status is Busy</label>
      </div>
      <p className="hint" id={`${id}-dnd-hint`}>
        No notifications and no sounds while you are Busy; messages still arrive and are counted.
      </p>
      {!window.parley && <WebNotificationsField />}
    </fieldset>
  );
}

const PERMISSION_WORDS: Record<WebNotificationPermission, string> = {
  granted: 'This browser shows Parley’s notifications.',
  denied: 'This browser blocks Parley’s notifications. Allow them in its settings for this site.',
  default: 'This browser asks before it shows Parley’s notifications.',
  unsupported: 'This browser cannot show notifications.',
};

/** The browser host only: the browser's own permission, asked when the user presses the button (never on load). */
function WebNotificationsField() {
  const [permission, setPermission] = useState(webNotificationPermission);
  return (
    <div className="web-notifications" data-testid="web-notifications" data-permission={permission}>
      <p className="muted">{PERMISSION_WORDS[permission]}</p>
      {permission === 'default' && (
        <button
          type="button"
          className="secondary"
          onClick={() => void askWebNotificationPermission().then(setPermission)}
          data-testid="web-notifications-allow"
        >
          Allow notifications
        </button>
      )}
    </div>
  );
}
