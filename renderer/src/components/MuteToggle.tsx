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
      <span aria-hidden="true">{muted ? '🔕' : '🔔'}</span>
    </button>
  );
}
