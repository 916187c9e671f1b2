import { useId, useMemo, useState, type CSSProperties } from 'react';
import { useApp } from '../store/context.js';
import { groupPreviewTargets } from '../store/presence-selectors.js';
import { clockOf, weekView, type WeekBlock, type WeekDay } from '../store/week-view.js';
import { useNow } from './useNow.js';
import '../styles/presence.css';

const HOUR_MARKS = [0, 3, 6, 9, 12, 15, 18, 21];

/**
 * The schedule's week as one audience sees it: seven day columns, Monday first, time running
 * down, each block coloured and patterned by availability and labelled with its word. Computed
 * from the saved schedule and profiles by the core's own rules (store/week-view.ts).
 */
export function WeekView() {
  const presence = useApp((s) => s.presence);
  const targets = useMemo(() => groupPreviewTargets(presence), [presence]);
  const [chosen, setChosen] = useState(targets[0]?.groupId ?? '*');
  const audience = targets.some((t) => t.groupId === chosen) ? chosen : (targets[0]?.groupId ?? '*');
  const now = useNow(true, 60_000);
  // The week changes at most at midnight; recomputing once a minute is plenty.
  const minute = Math.floor(now / 60_000);
  const days = useMemo(
    () => weekView({ schedule: presence.schedule, profiles: presence.profiles }, audience, minute * 60_000),
    [presence.schedule, presence.profiles, audience, minute],
  );
  const title = targets.find((t) => t.groupId === audience)?.title ?? audience;
  const base = useId();
  return (
    <div className="week-view" data-testid="week-view" data-audience={audience}>
      <fieldset className="week-audiences">
        <legend>Show the week as seen by</legend>
        {targets.map((target) => (
          <label key={target.groupId} className="week-audience" title={target.title}>
            <input
              type="radio"
              name={`${base}-audience`}
              checked={target.groupId === audience}
              onChange={() => setChosen(target.groupId)}
              data-testid="week-audience"
              data-group={target.groupId}
            />
            <span>{target.title}</span>
          </label>
        ))}
      </fieldset>
      <div className="week-grid" role="group" aria-label={`What ${title} see this week, times in ${presence.schedule.timeZone}`}>
        <div className="week-hours" aria-hidden="true">
          <span className="week-day-head" />
          <div className="week-column">
            {HOUR_MARKS.map((hour) => (
              <span key={hour} className="week-hour" style={{ '--at': hour / 24 } as CSSProperties}>
                {clockOf(hour * 60)}
              </span>
            ))}
          </div>
        </div>
        {days.map((day) => (
          <DayColumn key={day.weekday} day={day} />
        ))}
      </div>
      <p className="hint">Times in {presence.schedule.timeZone}. This is the saved schedule; a status set by hand is not shown here.</p>
    </div>
  );
}

function DayColumn({ day }: { day: WeekDay }) {
  return (
    <div className="week-day" data-testid="week-day" data-weekday={day.weekday}>
      <span className="week-day-head" title={day.name}>
        <abbr title={day.name}>{day.short}</abbr>
      </span>
      <ol className="week-column" aria-label={day.name}>
        {day.blocks.map((block) => (
          <Block key={block.startMinute} block={block} />
        ))}
      </ol>
    </div>
  );
}

function Block({ block }: { block: WeekBlock }) {
  // Position through custom properties (set via the CSSOM, which the CSP allows).
  const style = { '--at': block.startMinute / 1440, '--span': (block.endMinute - block.startMinute) / 1440 } as CSSProperties;
  const tall = block.endMinute - block.startMinute >= 90;
  return (
    <li
      className={`week-block week-${block.availability}`}
      style={style}
      title={block.description}
      data-testid="week-block"
      data-start={clockOf(block.startMinute)}
      data-end={clockOf(block.endMinute)}
      data-availability={block.availability}
    >
      <span className="sr-only">{block.description}</span>
      <span className="week-block-label" aria-hidden="true">
        {block.label}
      </span>
      {tall && (
        <span className="week-block-time" aria-hidden="true">
          {clockOf(block.startMinute)}–{clockOf(block.endMinute)}
        </span>
      )}
    </li>
  );
}
