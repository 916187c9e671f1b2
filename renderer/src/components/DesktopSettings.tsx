import { useEffect, useId } from 'react';
import { useApp } from '../store/context.js';

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
      <div className="check">
        <input
          id={`${id}-tray`}
          type="checkbox"
          checked={settings.closeToTray}
          onChange={(e) => void change({ closeToTray: e.target.checked })}
          data-testid="setting-close-to-tray"
        />
        <label htmlFor={`${id}-tray`}>Keep Parley in the tray when its window is closed</label>
      </div>
      <div className="check">
        <input
          id={`${id}-login`}
          type="checkbox"
          checked={settings.startAtLogin}
          onChange={(e) => void change({ startAtLogin: e.target.checked })}
          data-testid="setting-start-at-login"
        />
        <label htmlFor={`${id}-login`}>Start Parley when I log in</label>
      </div>
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
