import { useId, type ReactNode } from 'react';
import { SERVER_MODE_EXPLANATION } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { GroupsEditor } from './GroupsEditor.js';
import { PresencePreview } from './PresencePreview.js';
import { ProfileEditor } from './ProfileEditor.js';
import { ScheduleEditor } from './ScheduleEditor.js';
import { WatcherList } from './WatcherList.js';
import { WeekView } from './WeekView.js';
import '../styles/presence.css';

interface Section {
  key: string;
  title: string;
  description: string;
  body: ReactNode;
}

// The page's sections, in the order a person sets presence up: who, their groups, what each
// group sees, when, and a check of the result.
const SECTIONS: readonly Section[] = [
  {
    key: 'watchers',
    title: 'Who can see you',
    description: 'People who asked to watch your presence, and your answers. Your contacts may see your presence unless you block them.',
    body: <WatcherList />,
  },
  { key: 'groups', title: 'Groups', description: 'Put contacts in groups to show each group a different status.', body: <GroupsEditor /> },
  {
    key: 'profiles',
    title: 'Profiles',
    description: 'A profile says what each group sees, and what everyone else sees.',
    body: <ProfileEditor />,
  },
  {
    key: 'schedule',
    title: 'Schedule',
    description: 'Which profile is active when. Outside every rule, the default profile is.',
    body: (
      <>
        <ScheduleEditor />
        <h3 className="subsection-title">Your week</h3>
        <WeekView />
      </>
    ),
  },
  {
    key: 'preview',
    title: 'Preview',
    description: 'What each group sees now, or at a day and time you choose.',
    body: <PresencePreview />,
  },
];

/** Who sees what, as one settings page: watchers, groups, profiles, the schedule with its week, the preview. */
export function PresenceSettings() {
  const openPanel = useApp((s) => s.openPanel);
  const serverMode = useApp((s) => s.presence.service?.mode === 'server');
  const base = useId();
  const idOf = (key: string) => `${base}-${key}`;
  // Buttons, not "#" links: the hash is the app's route.
  const jump = (key: string) => {
    const heading = document.getElementById(idOf(key));
    heading?.scrollIntoView({ block: 'start' });
    heading?.focus();
  };
  return (
    <div className="presence-settings" data-testid="presence-settings">
      <header className="presence-settings-header">
        <h2>Presence settings</h2>
        <button type="button" className="secondary" onClick={() => openPanel(null)} data-testid="presence-settings-close">
          Close
        </button>
      </header>
      <div className="presence-settings-body">
        <div className="presence-settings-page">
          <nav className="settings-nav" aria-label="Presence settings sections">
            {SECTIONS.map((section) => (
              <button key={section.key} type="button" className="link-button" onClick={() => jump(section.key)}>
                {section.title}
              </button>
            ))}
          </nav>
          {serverMode && (
            <p className="notice notice-warning" data-testid="server-mode-note">
              {SERVER_MODE_EXPLANATION}
            </p>
          )}
          {SECTIONS.map((section) => (
            <SettingsSection
              key={section.key}
              id={idOf(section.key)}
              title={section.title}
              description={section.description}
              testId={`settings-${section.key}`}
            >
              {section.body}
            </SettingsSection>
          ))}
        </div>
      </div>
    </div>
  );
}

/** A titled card of the settings page with a one-line description. */
function SettingsSection({
  id,
  title,
  description,
  testId,
  children,
}: {
  id: string;
  title: string;
  description: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="settings-section" aria-labelledby={id} data-testid={testId}>
      <h2 id={id} className="settings-section-title" tabIndex={-1}>
        {title}
      </h2>
      <p className="hint settings-section-hint">{description}</p>
      {children}
    </section>
  );
}
