import { useId, useMemo, useState, type FormEvent } from 'react';
import type { Profile, Schedule, WeeklyRule } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { DAY_LABELS, WEEK_ORDER, knownTimeZones } from '../store/presence-format.js';
import { newRule, removeRule, toggleDay, updateRule } from '../store/presence-forms.js';
import { FormError } from './FormError.js';

/** The weekly schedule: which profile is active when, in which time zone, and the default. */
export function ScheduleEditor() {
  const schedule = useApp((s) => s.presence.schedule);
  // A schedule changed elsewhere (saved, another window) starts the form afresh.
  return <ScheduleForm key={JSON.stringify(schedule)} stored={schedule} />;
}

function ScheduleForm({ stored }: { stored: Schedule }) {
  const profiles = useApp((s) => s.presence.profiles);
  const setSchedule = useApp((s) => s.setSchedule);
  const error = useApp((s) => s.presenceErrors.schedule);
  const busy = useApp((s) => Boolean(s.presenceBusy.schedule));
  const [draft, setDraft] = useState(stored);
  const zones = useMemo(knownTimeZones, []);
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void setSchedule(draft);
  };
  const addRule = () => {
    const profile = profiles.find((p) => p.id !== draft.defaultProfileId) ?? profiles[0];
    if (profile) setDraft({ ...draft, rules: [...draft.rules, newRule(profile.id, draft.rules)] });
  };
  return (
    <div className="schedule-editor" data-testid="schedule-editor">
      <form className="schedule-form" onSubmit={onSubmit} noValidate>
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${id}-zone`}>Time zone</label>
            <input
              id={`${id}-zone`}
              type="text"
              list={`${id}-zones`}
              spellCheck={false}
              value={draft.timeZone}
              onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
              data-testid="schedule-zone"
            />
            <datalist id={`${id}-zones`}>
              {zones.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </div>
          <div className="field">
            <label htmlFor={`${id}-default`}>Otherwise</label>
            <ProfileSelect
              id={`${id}-default`}
              profiles={profiles}
              value={draft.defaultProfileId}
              onChange={(defaultProfileId) => setDraft({ ...draft, defaultProfileId })}
              testId="schedule-default"
            />
          </div>
        </div>
        {draft.rules.length === 0 && <p className="muted">No rules: the default profile is always active.</p>}
        <ol className="rules">
          {draft.rules.map((rule) => (
            <RuleRow
              key={rule.id}
              rule={rule}
              profiles={profiles}
              onChange={(change) => setDraft(updateRule(draft, rule.id, change))}
              onRemove={() => setDraft(removeRule(draft, rule.id))}
            />
          ))}
        </ol>
        <FormError error={error} testId="schedule-error" />
        <div className="actions compact">
          <button type="button" className="secondary" onClick={addRule} data-testid="schedule-add-rule">
            Add a rule
          </button>
          <button type="submit" className="primary" disabled={busy} data-testid="schedule-save">
            Save schedule
          </button>
        </div>
      </form>
    </div>
  );
}

function ProfileSelect({
  id,
  profiles,
  value,
  onChange,
  testId,
}: {
  id: string;
  profiles: readonly Profile[];
  value: string;
  onChange: (id: string) => void;
  testId: string;
}) {
  const known = profiles.some((p) => p.id === value);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {!known && <option value={value}>{value} (missing)</option>}
      {profiles.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

interface RuleRowProps {
  rule: WeeklyRule;
  profiles: readonly Profile[];
  onChange: (change: Partial<WeeklyRule>) => void;
  onRemove: () => void;
}

function RuleRow({ rule, profiles, onChange, onRemove }: RuleRowProps) {
  const id = useId();
  return (
    <li className="rule" data-testid="schedule-rule" data-rule={rule.id}>
      <fieldset className="days">
        <legend className="sr-only">Days</legend>
        {WEEK_ORDER.map((day) => (
          <label key={day} className="day">
            <input
              type="checkbox"
              checked={rule.days.includes(day)}
              onChange={() => onChange({ days: toggleDay(rule.days, day) })}
              data-testid="rule-day"
              data-day={day}
            />
            {DAY_LABELS[day]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${id}-start`}>From</label>
      <input
        id={`${id}-start`}
        type="time"
        value={rule.start}
        onChange={(e) => onChange({ start: e.target.value })}
        data-testid="rule-start"
      />
      <label htmlFor={`${id}-end`}>to</label>
      <input id={`${id}-end`} type="time" value={rule.end} onChange={(e) => onChange({ end: e.target.value })} data-testid="rule-end" />
      <label htmlFor={`${id}-profile`}>use</label>
      <ProfileSelect
        id={`${id}-profile`}
        profiles={profiles}
        value={rule.profileId}
        onChange={(profileId) => onChange({ profileId })}
        testId="rule-profile"
      />
      <button type="button" className="icon-button" aria-label="Remove this rule" onClick={onRemove} data-testid="rule-remove">
        ×
      </button>
    </li>
  );
}
