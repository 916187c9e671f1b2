/** The words of schedule rules in the core's validation messages ("Mon-Fri 09:00-17:00"). */
import type { WeeklyRule } from '../../../../shared/domain/presence.js';
import { DAY_LABELS as WEEKDAYS } from '../../../../shared/words/presence.js';

/** "Mon-Fri", "Sat, Sun", "Mon, Wed-Fri": runs of three or more days joined with a dash, Monday first. */
export function describeDays(days: readonly number[]): string {
  const mondayFirst = [1, 2, 3, 4, 5, 6, 0].filter((day) => days.includes(day));
  const parts: string[] = [];
  for (let i = 0; i < mondayFirst.length;) {
    let j = i;
    while (j + 1 < mondayFirst.length && (mondayFirst[j]! + 1) % 7 === mondayFirst[j + 1]!) j++;
    const run = mondayFirst.slice(i, j + 1).map((day) => WEEKDAYS[day]!);
    parts.push(run.length >= 3 ? `${run[0]}-${run[run.length - 1]}` : run.join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "Mon-Fri 09:00-17:00". */
export function describeRule(rule: WeeklyRule): string {
  return `${describeDays(rule.days)} ${rule.start}-${rule.end}`;
}
