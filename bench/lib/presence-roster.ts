/**
 * The roster of bench/presence.ts, shared by the parent (which writes what the sipp presence
 * source sends) and the worker (which checks what Parley shows): buddy n is sip:buddy<n>@host:port
 * and in each round has its own PIDF document, so composition and every field matter.
 *
 * The expected view is written out here by hand, not computed with Parley's own decoder and
 * composer, so a wrong composition counts as a wrong state.
 */
import type { PresenceView } from '../../shared/domain/presence.js';

export type Round = 1 | 2;

interface Shape {
  basic: 'open' | 'closed';
  activities: string[];
  availability: PresenceView['availability'];
  note?: (n: number) => string;
}

/** Round 1: everyone reachable, in a mix of moods. Round 2: each one changes (some go offline). */
const SHAPES: Record<Round, Shape[]> = {
  1: [
    { basic: 'open', activities: [], availability: 'online', note: (n) => `At desk ${n}` },
    { basic: 'open', activities: ['meeting'], availability: 'busy', note: (n) => `Planning round ${n}` },
    { basic: 'open', activities: ['lunch'], availability: 'away', note: () => 'Back at two' },
    { basic: 'open', activities: ['on-the-phone'], availability: 'busy' },
    { basic: 'open', activities: ['working'], availability: 'online', note: (n) => `Ticket #${n}, café at 4` },
  ],
  2: [
    { basic: 'open', activities: ['away'], availability: 'away', note: (n) => `Gone for coffee (${n})` },
    { basic: 'closed', activities: [], availability: 'offline' },
    { basic: 'open', activities: [], availability: 'online', note: (n) => `Back: ${n}` },
    { basic: 'open', activities: ['meeting', 'presentation'], availability: 'busy', note: () => 'Demo' },
    { basic: 'open', activities: ['vacation'], availability: 'away', note: (n) => `Out until the ${1 + (n % 28)}th` },
  ],
};

function shape(n: number, round: Round): Shape {
  const shapes = SHAPES[round];
  return shapes[n % shapes.length]!;
}

/** Port 0: none (a buddy of a domain, bench/presence-rls.ts). */
export function buddyAor(n: number, host: string, port: number): string {
  return `sip:buddy${n}@${host}${port ? `:${port}` : ''}`;
}

/** The buddy number of an address made by buddyAor, or undefined. */
export function buddyNumber(aor: string): number | undefined {
  const match = /^sip:buddy(\d+)@/.exec(aor);
  return match ? Number(match[1]) : undefined;
}

/** What Parley must show for buddy n after round `round`. */
export function expectedView(n: number, round: Round): PresenceView {
  const s = shape(n, round);
  const activities = s.basic === 'open' ? s.activities : [];
  return { availability: s.availability, activities, ...(s.note ? { note: s.note(n) } : {}) };
}

/** Same view: availability, the activities in order, and the note. */
export function sameView(a: PresenceView | null | undefined, b: PresenceView): boolean {
  if (!a) return false;
  return (
    a.availability === b.availability &&
    a.note === b.note &&
    a.activities.length === b.activities.length &&
    a.activities.every((x, i) => x === b.activities[i])
  );
}

/**
 * sipp injection file (-inf, indexed on field 0 with -infindex): `n;basic;person` per buddy, where
 * person is the dm:person element (activities and note) of that round. No field may hold a ';',
 * so the notes need no XML escapes (every reference ends in one).
 */
export function rosterCsv(count: number, round: Round): string {
  const lines = ['SEQUENTIAL'];
  for (let n = 0; n < count; n++) {
    const s = shape(n, round);
    const activities = s.activities.length ? `<rpid:activities>${s.activities.map((a) => `<rpid:${a}/>`).join('')}</rpid:activities>` : '';
    const note = s.note ? `<dm:note xml:lang="en">${s.note(n)}</dm:note>` : '';
    lines.push(`${n};${s.basic};<dm:person id="p${n}">${activities}${note}</dm:person>`);
  }
  return lines.join('\n') + '\n';
}
