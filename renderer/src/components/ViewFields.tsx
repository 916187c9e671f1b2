import { useId } from 'react';
import { MAX_NOTE_CHARS, type Availability } from '../../../shared/ipc.js';
import { AVAILABILITIES, AVAILABILITY_LABELS } from '../store/presence-format.js';
import type { ViewDraft } from '../store/presence-forms.js';

const SAME = '';

/**
 * What one audience sees in a profile: a state and a note. With `inherit`, the audience may also
 * see "the same as everyone else" (its view is then null).
 */
export function ViewFields({
  label,
  view,
  onChange,
  inherit = false,
  testId,
}: {
  label: string;
  view: ViewDraft | null;
  onChange: (view: ViewDraft | null) => void;
  inherit?: boolean;
  testId: string;
}) {
  const id = useId();
  const pick = (value: string) =>
    onChange(value === SAME ? null : { activities: [], note: '', ...view, availability: value as Availability });
  return (
    <div className="view-fields" data-testid={testId}>
      <label htmlFor={`${id}-state`}>{label}</label>
      <select id={`${id}-state`} value={view?.availability ?? SAME} onChange={(e) => pick(e.target.value)} data-testid="view-availability">
        {inherit && <option value={SAME}>Same as everyone else</option>}
        {AVAILABILITIES.map((a) => (
          <option key={a} value={a}>
            {AVAILABILITY_LABELS[a]}
          </option>
        ))}
      </select>
      {view && (
        <>
          <label htmlFor={`${id}-note`} className="sr-only">
            Note for {label}
          </label>
          <input
            id={`${id}-note`}
            type="text"
            maxLength={MAX_NOTE_CHARS}
            placeholder="Note (optional)"
            value={view.note}
            onChange={(e) => onChange({ ...view, note: e.target.value })}
            data-testid="view-note"
          />
        </>
      )}
    </div>
  );
}
