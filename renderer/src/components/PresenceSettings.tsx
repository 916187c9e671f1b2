import { SERVER_MODE_EXPLANATION } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { GroupsEditor } from './GroupsEditor.js';
import { PresencePreview } from './PresencePreview.js';
import { ProfileEditor } from './ProfileEditor.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { WatcherList } from './WatcherList.js';

/** Who sees what: watchers, groups, profiles, the schedule and the preview, in the main area. */
export function PresenceSettings() {
  const close = useApp((s) => s.openPresenceSettings);
  const serverMode = useApp((s) => Boolean(s.account?.proxy) && s.account?.presenceMode === 'server');
  return (
    <div className="presence-settings" data-testid="presence-settings">
      <header className="conversation-header presence-settings-header">
        <h2>Presence settings</h2>
        <button type="button" className="secondary" onClick={() => close(false)} data-testid="presence-settings-close">
          Close
        </button>
      </header>
      <div className="presence-settings-body">
        {serverMode && (
          <p className="notice notice-warning" data-testid="server-mode-note">
            {SERVER_MODE_EXPLANATION}
          </p>
        )}
        <PresencePreview />
        <WatcherList />
        <GroupsEditor />
        <ProfileEditor />
        <ScheduleEditor />
      </div>
    </div>
  );
}

/** The sidebar's way in. */
export function PresenceSettingsButton() {
  const open = useApp((s) => s.presenceSettingsOpen);
  const toggle = useApp((s) => s.openPresenceSettings);
  return (
    <button type="button" className="secondary" aria-pressed={open} onClick={() => toggle(!open)} data-testid="presence-settings-open">
      Presence settings…
    </button>
  );
}
