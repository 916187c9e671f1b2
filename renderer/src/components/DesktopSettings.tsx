import { useEffect, useId } from 'react';
import { useApp } from '../store/context.js';
import { SettingCheck } from './SettingCheck.js';

/** The desktop shell's settings, in the settings view; nothing where there is no desktop shell. */
export function DesktopSettingsSection() {
  const settings = useApp((s) => s.desktopSettings);
  const load = useApp((s) => s.loadDesktopSettings);
  const change = useApp((s) => s.setDesktopSettings);
  const id = useId();
  useEffect(() => {
    void load();
  }, [load]);
  if (!settings) return null;
  return (
    <fieldset className="settings-group" data-testid="desktop-settings">
      <legend>Desktop</legend>
      <SettingCheck
        label="Keep Parley in the tray when its window is closed"
        checked={settings.closeToTray}
        onChange={(closeToTray) => void change({ closeToTray })}
        testId="setting-close-to-tray"
      />
      <SettingCheck
        label="Start Parley when I log in"
        checked={settings.startAtLogin}
        onChange={(startAtLogin) => void change({ startAtLogin })}
        testId="setting-start-at-login"
      />
      <div className="field">
        <label htmlFor={`${id}-away`}>Away after this many idle minutes (0: never)</label>
        <input
          id={`${id}-away`}
          type="number"
          min={0}
          max={1440}
          value={settings.autoAwayMinutes}
          onChange={(e) => {
            const minutes = Math.trunc(Number(e.target.value));
            if (Number.isFinite(minutes) && minutes >= 0 && minutes <= 1440) void change({ autoAwayMinutes: minutes });
          }}
          data-testid="setting-auto-away"
        />
      </div>
    </fieldset>
  );
}
