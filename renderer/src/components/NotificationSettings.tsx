import { useState } from 'react';
import { useApp } from '../store/context.js';
import { SettingCheck } from './SettingCheck.js';
import { askWebNotificationPermission, webNotificationPermission, type WebNotificationPermission } from '../notify/web-notices.js';

/** Sounds, do-not-disturb, and (in a browser) whether it may show Parley's notifications. */
export function NotificationSettingsSection() {
  const settings = useApp((s) => s.chatSettings);
  const change = useApp((s) => s.setChatSettings);
  return (
    <fieldset className="settings-group" data-testid="notification-settings">
      <legend>Notifications</legend>
      <SettingCheck
        label="Mute sounds for new messages and requests"
        checked={settings?.muteSounds ?? false}
        disabled={!settings}
        onChange={(muteSounds) => void change({ muteSounds })}
        testId="setting-mute-sounds"
      />
      <SettingCheck
        label="Do not disturb while my status is Busy"
        checked={settings?.quietWhenBusy ?? true}
        disabled={!settings}
        onChange={(quietWhenBusy) => void change({ quietWhenBusy })}
        testId="setting-quiet-when-busy"
        hint="No notifications and no sounds while you are Busy; messages still arrive and are counted."
      />
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
