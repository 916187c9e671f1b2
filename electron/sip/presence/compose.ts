/**
 * Composes everything known about one contact — several tuples and devices in one document, and
 * several documents (one per NOTIFY dialog, i.e. per device or per publication) — into the one
 * PresenceView Parley shows.
 *
 * The rule, in order:
 *   1. Open beats closed. If any tuple of any document is open, the contact is reachable, and only
 *      the documents with an open tuple speak for them (a device that went closed keeps stale
 *      activities and notes we must not show). Within such a document, only its open tuples count.
 *   2. No open tuple anywhere:
 *      - some tuple says closed (or there are no documents): offline, no activities;
 *      - no tuple says anything (no tuples, or only non-standard basic values) but a person does
 *        (activities or user-input): judged by the person alone, as if open, since publishers that
 *        send only a person are saying the human is there.
 *   3. Availability of a reachable contact, from the activities of the speaking persons (and
 *      tuples): any busy-ish activity -> busy; else any away-ish activity, or user-input idle on the
 *      person, a tuple or a device -> away; else online. Busy beats away: someone on the phone
 *      whose desktop went idle is busy.
 *   4. Activities: the union of the speaking documents' RPID activity names, in document order,
 *      without repeats, at most 16 (the domain's limit).
 *   5. Note: of all notes in the speaking documents, the one from the highest contact priority
 *      wins (a person or presence-level note has its document's highest priority; a missing
 *      priority is 0); then the newest timestamp of the element carrying it (none = oldest); then
 *      the kind (person > tuple > presence); then the later document. Device notes describe the
 *      device ("Office PC"), not the person, and are not shown.
 *      Within one element, the note in the preferred language, else one without xml:lang, else the
 *      first. Cut to MAX_NOTE_CHARS.
 */
import { MAX_NOTE_CHARS, type Availability, type PresenceView } from '../../../shared/domain/presence.js';
import type { PidfDocument, PidfNote, PidfTuple } from './pidf.js';

/** Activities that mean "do not disturb" (RFC 4480 §3.2). */
export const BUSY_ACTIVITIES: ReadonlySet<string> = new Set([
  'busy',
  'on-the-phone',
  'meeting',
  'appointment',
  'performance',
  'presentation',
  'steering',
  'worship',
]);

/** Activities that mean "not at the device". */
export const AWAY_ACTIVITIES: ReadonlySet<string> = new Set([
  'away',
  'vacation',
  'holiday',
  'meal',
  'breakfast',
  'lunch',
  'dinner',
  'sleeping',
  'travel',
  'in-transit',
  'shopping',
  'permanent-absence',
]);

const MAX_ACTIVITIES = 16;
const MAX_ACTIVITY_CHARS = 64;

export interface ComposeOptions {
  /** Preferred note language (xml:lang prefix match, e.g. 'de' matches 'de-AT'). */
  language?: string;
}

interface NoteCandidate {
  text: string;
  priority: number;
  timestamp: number;
  kind: number;
  doc: number;
}

const KIND_PERSON = 3;
const KIND_TUPLE = 2;
const KIND_PRESENCE = 1;
/** An element without its own timestamp counts as oldest: in a server-composed document the
 * neighbouring elements' times say nothing about it. */
const UNKNOWN_TIME = -Infinity;

/** Several documents about one contact -> one view. See the rule at the top of this file. */
export function composePresence(docs: readonly PidfDocument[], options: ComposeOptions = {}): PresenceView {
  const anyOpen = docs.some((d) => d.tuples.some((t) => t.basic === 'open'));
  const anyBasic = anyOpen || docs.some((d) => d.tuples.some((t) => t.basic !== undefined));
  const personOnly = !anyBasic && docs.some((d) => d.persons.some((p) => p.activities.length > 0 || p.userInput !== undefined));
  const reachable = anyOpen || personOnly;

  const activities: string[] = [];
  let busy = false;
  let away = false;
  let best: NoteCandidate | undefined;

  docs.forEach((doc, docIndex) => {
    const docOpen = doc.tuples.some((t) => t.basic === 'open');
    if (anyOpen && !docOpen) return;
    const tuples: PidfTuple[] = docOpen ? doc.tuples.filter((t) => t.basic === 'open') : doc.tuples;
    const docPriority = tuples.reduce((m, t) => Math.max(m, t.priority ?? 0), 0);

    const consider = (notes: readonly PidfNote[], priority: number, timestamp: number, kind: number): void => {
      const text = pickNote(notes, options.language);
      if (text === undefined) return;
      const c: NoteCandidate = { text, priority, timestamp, kind, doc: docIndex };
      if (!best || better(c, best)) best = c;
    };

    for (const t of tuples) consider(t.notes, t.priority ?? 0, t.timestamp ?? UNKNOWN_TIME, KIND_TUPLE);
    for (const p of doc.persons) consider(p.notes, docPriority, p.timestamp ?? UNKNOWN_TIME, KIND_PERSON);
    consider(doc.notes, docPriority, UNKNOWN_TIME, KIND_PRESENCE);

    if (!reachable) return;
    const sources = [...doc.persons, ...tuples];
    for (const s of sources) {
      for (const a of s.activities) {
        if (BUSY_ACTIVITIES.has(a)) busy = true;
        else if (AWAY_ACTIVITIES.has(a)) away = true;
        if (activities.length < MAX_ACTIVITIES && a.length <= MAX_ACTIVITY_CHARS && !activities.includes(a)) activities.push(a);
      }
      if (s.userInput === 'idle') away = true;
    }
    for (const d of doc.devices) if (d.userInput === 'idle') away = true;
  });

  const availability: Availability = !reachable ? 'offline' : busy ? 'busy' : away ? 'away' : 'online';
  const view: PresenceView = { availability, activities };
  const chosen = best as NoteCandidate | undefined;
  if (chosen) view.note = clipNote(chosen.text);
  return view;
}

function better(a: NoteCandidate, b: NoteCandidate): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  if (a.kind !== b.kind) return a.kind > b.kind;
  return a.doc > b.doc;
}

function pickNote(notes: readonly PidfNote[], language: string | undefined): string | undefined {
  if (notes.length === 0) return undefined;
  if (language) {
    const want = language.toLowerCase();
    const match = notes.find((n) => n.lang !== undefined && (n.lang.toLowerCase() === want || n.lang.toLowerCase().startsWith(`${want}-`)));
    if (match) return match.text;
  }
  return (notes.find((n) => n.lang === undefined) ?? notes[0]!).text;
}

/** At most MAX_NOTE_CHARS code units, never splitting a surrogate pair. */
function clipNote(text: string): string {
  if (text.length <= MAX_NOTE_CHARS) return text;
  let end = MAX_NOTE_CHARS;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return text.slice(0, end);
}
