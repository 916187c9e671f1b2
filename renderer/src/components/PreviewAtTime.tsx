import { useEffect, useId, useMemo, useState } from 'react';
import { useApp } from '../store/context.js';
import { WEEK_ORDER } from '../store/presence-format.js';
import { groupPreviewTargets } from '../store/presence-selectors.js';
import { groupPreviewKey } from '../store/presence-slice.js';
import { nextLocalMoment } from '../store/preview-time.js';
import { weekdayNames } from '../store/week-view.js';
import { PreviewAnswer } from './PreviewAnswer.js';
import { useNow } from './useNow.js';

/**
 * "What will Friends see on Tuesday at 10:00?": a day and a time in the schedule's zone, the next
 * such moment asked of the core (whatDoesGroupSee with `at`) for every group and everyone else.
 */
export function PreviewAtTime() {
  const presence = useApp((s) => s.presence);
  const previewGroups = useApp((s) => s.previewGroups);
  const [weekday, setWeekday] = useState(2);
  const [time, setTime] = useState('10:00');
  const now = useNow(true, 60_000);
  const zone = presence.schedule.timeZone;
  const minute = Math.floor(now / 60_000);
  const valid = /^\d\d:\d\d$/.test(time);
  const at = useMemo(() => (valid ? nextLocalMoment(zone, minute * 60_000, weekday, time) : null), [valid, zone, minute, weekday, time]);
  const targets = useMemo(() => groupPreviewTargets(presence), [presence]);
  const asked = targets.map((t) => t.groupId).join('\n');
  const { status, groups, profiles, schedule } = presence;
  useEffect(() => {
    if (at !== null) void previewGroups(asked.split('\n'), at);
  }, [previewGroups, asked, at, status, groups, profiles, schedule]);
  const when =
    at === null
      ? ''
      : new Intl.DateTimeFormat(undefined, {
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: zone,
        }).format(at);
  const id = useId();
  return (
    <div className="preview-at" data-testid="preview-at" data-at={at ?? ''}>
      <h3 className="subsection-title">At a chosen time</h3>
      <div className="preview-at-fields">
        <label htmlFor={`${id}-day`}>Day</label>
        <select id={`${id}-day`} value={weekday} onChange={(e) => setWeekday(Number(e.target.value))} data-testid="preview-at-day">
          {WEEK_ORDER.map((day) => (
            <option key={day} value={day}>
              {weekdayNames(day).name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-time`}>Time</label>
        <input id={`${id}-time`} type="time" value={time} onChange={(e) => setTime(e.target.value)} data-testid="preview-at-time" />
        <span className="muted">({zone})</span>
      </div>
      {at !== null && (
        <>
          <p className="hint" data-testid="preview-at-when">
            On {when} ({zone}):
          </p>
          <ul className="rows preview-rows" aria-label={`What each group sees on ${when}`}>
            {targets.map((target) => (
              <li key={target.groupId} className="row preview-row" data-testid="preview-at-group" data-group={target.groupId}>
                <strong className="preview-who" title={target.title}>
                  {target.title}
                </strong>
                <PreviewAnswer previewKey={groupPreviewKey(target.groupId, at)} />
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
