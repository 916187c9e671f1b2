import { useApp } from '../store/context.js';

/** One click to mute or unmute the notice sounds, beside the menu (the settings view has the same switch). */
export function MuteToggle() {
  const settings = useApp((s) => s.chatSettings);
  const change = useApp((s) => s.setChatSettings);
  const muted = settings?.muteSounds ?? false;
  const label = muted ? 'Sounds muted: unmute' : 'Mute sounds';
  return (
    <button
      type="button"
      className="icon-button mute-toggle"
      aria-pressed={muted}
      aria-label="Mute sounds"
      title={label}
      disabled={!settings}
      onClick={() => void change({ muteSounds: !muted })}
      data-testid="quick-mute"
    >
      <BellIcon muted={muted} />
    </button>
  );
}

/**
 * A bell, struck through when muted: drawn, not an emoji, so it shows in the button's own font and
 * colour on every system (a button's font is the system's control font, not the page's emoji list).
 */
function BellIcon({ muted }: { muted: boolean }) {
  return (
    <svg className="bell-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d="M12 3a5 5 0 0 0-5 5v3.5L5 15v1h14v-1l-2-3.5V8a5 5 0 0 0-5-5zm-2 15a2 2 0 0 0 4 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinejoin="round"
      />
      {muted && <path d="M4 4l16 16" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />}
    </svg>
  );
}
