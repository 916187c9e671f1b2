import { useId } from 'react';
import { AUTO_MODE_EXPLANATION, DIRECT_MODE_EXPLANATION, SERVER_MODE_EXPLANATION, type PresenceMode } from '../../../shared/ipc.js';
import { presenceServiceWords } from '../../../shared/words/presence.js';
import { useApp } from '../store/context.js';

const MODES: { value: PresenceMode; label: string; explanation: string }[] = [
  { value: 'auto', label: 'Automatic (ask the server at each login)', explanation: AUTO_MODE_EXPLANATION },
  { value: 'direct', label: 'Direct (Parley answers watchers itself)', explanation: DIRECT_MODE_EXPLANATION },
  { value: 'server', label: 'Through the server (one status for everyone)', explanation: SERVER_MODE_EXPLANATION },
];

/** The account's presence mode, with what each means for per-group views, and which one is in force now. */
export function PresenceModeField({ value, onChange }: { value: PresenceMode; onChange: (mode: PresenceMode) => void }) {
  const base = useId();
  const service = useApp((s) => s.presence.service);
  const chosen = MODES.find((m) => m.value === value) ?? MODES[0]!;
  return (
    <fieldset className="field presence-mode" aria-describedby={`${base}-explanation`} data-testid="presence-mode">
      <legend>Presence</legend>
      {MODES.map((mode) => (
        <div className="check" key={mode.value}>
          <input
            id={`${base}-${mode.value}`}
            type="radio"
            name="presenceMode"
            value={mode.value}
            checked={value === mode.value}
            onChange={() => onChange(mode.value)}
            data-testid={`presence-mode-${mode.value}`}
          />
          <label htmlFor={`${base}-${mode.value}`}>{mode.label}</label>
        </div>
      ))}
      <p className="hint" id={`${base}-explanation`} data-testid="presence-mode-explanation">
        {chosen.explanation}
      </p>
      {service && service.basis !== 'no-server' && (
        <p className="hint presence-service-now" data-testid="presence-service-now">
          <strong>Now:</strong> {presenceServiceWords(service)}
        </p>
      )}
    </fieldset>
  );
}
