import { z } from 'zod';
import { Availability } from './availability.js';
import { Reason } from './reason.js';

/**
 * Presence domain (docs/DESIGN.md#5-presence). Plain, serialisable data shared by the core, the hosts and the UI.
 *
 * What a watcher sees is a PresenceView. Which view a watcher gets is decided by, in order:
 *   1. the watcher's authorization: pending -> nothing real (offline), blocked -> offline (polite block);
 *   2. a manual status, while it lasts (until the next schedule boundary, or until cleared);
 *   3. the active profile (from the schedule, or the default profile): the view for the watcher's
 *      group, else for "everyone else" (EVERYONE_ELSE).
 */

// In a module of its own so reason.ts can use it while this one uses reasons.
export { Availability };

/** RPID (RFC 4480) activities Parley understands by name; others are kept as their element name. */
export const KNOWN_ACTIVITIES = [
  'away',
  'busy',
  'on-the-phone',
  'meeting',
  'meal',
  'vacation',
  'holiday',
  'travel',
  'appointment',
  'steering',
  'sleeping',
  'in-transit',
  'working',
  'performance',
  'presentation',
  'shopping',
  'playing',
  'permanent-absence',
  'unknown',
] as const;

export const MAX_NOTE_CHARS = 1024;

export const PresenceView = z.object({
  availability: Availability,
  note: z.string().max(MAX_NOTE_CHARS).optional(),
  /** RPID activity names (RFC 4480), e.g. 'on-the-phone', 'meeting'. */
  activities: z.array(z.string().min(1).max(64)).max(16).default([]),
});
export type PresenceView = z.infer<typeof PresenceView>;

/** Key for "everyone else" (watchers in no group that the profile names). */
export const EVERYONE_ELSE = '*';

export const GroupId = z.string().min(1).max(64);
export type GroupId = z.infer<typeof GroupId>;

export const Group = z.object({ id: GroupId, name: z.string().trim().min(1).max(64) });
export type Group = z.infer<typeof Group>;

/** A buddy: someone whose presence we watch and who may watch ours. `aor` is normalised. */
export const Contact = z.object({
  aor: z.string().min(1).max(512),
  name: z.string().max(128).optional(),
  groups: z.array(GroupId).max(32).default([]),
});
export type Contact = z.infer<typeof Contact>;

/**
 * A profile maps each group (and EVERYONE_ELSE, which it must have) to what that group sees. A contact
 * in several groups sees the view of the first of its groups, in the order of the group list, that
 * the profile names.
 */
export const Profile = z.object({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(64),
  views: z.record(z.string().min(1).max(64), PresenceView).refine((v) => EVERYONE_ELSE in v, {
    message: `a profile must say what everyone else ("${EVERYONE_ELSE}") sees`,
  }),
});
export type Profile = z.infer<typeof Profile>;

/** Local wall-clock time "HH:MM" (24 h) in the schedule's time zone. */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 00:00 to 23:59');

/**
 * One weekly rule: on these days (0 = Sunday … 6 = Saturday) from start to end, local time, this
 * profile is active. end <= start means the rule runs past midnight into the next day (it belongs to
 * the day it starts on); end == start is a full 24 hours. Where rules overlap, the one that started
 * most recently wins, equal starts going to the rule earlier in the list.
 */
export const WeeklyRule = z.object({
  id: z.string().min(1).max(64),
  days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  start: LocalTime,
  end: LocalTime,
  profileId: z.string().min(1).max(64),
});
export type WeeklyRule = z.infer<typeof WeeklyRule>;

/** Whether Intl knows this IANA time zone (Node and Chromium carry the full ICU data). */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const Schedule = z.object({
  /** IANA time zone, e.g. 'Europe/Berlin'; the rules are in its local time, DST included. */
  timeZone: z.string().min(1).max(64).refine(isTimeZone, { message: 'must be a known IANA time zone, e.g. "Europe/Berlin"' }),
  rules: z.array(WeeklyRule).max(64),
  /** The profile active when no rule is. */
  defaultProfileId: z.string().min(1).max(64),
});
export type Schedule = z.infer<typeof Schedule>;

/** A status the user set by hand: shown to every allowed watcher until it lapses. */
export const ManualStatus = z.object({
  view: PresenceView,
  /** 'next-boundary': until the schedule next switches profile; 'cleared': until the user clears it. */
  until: z.enum(['next-boundary', 'cleared']),
  /** Epoch ms when it was set. */
  setAt: z.number(),
});
export type ManualStatus = z.infer<typeof ManualStatus>;

export const WatcherStatus = z.enum(['pending', 'allowed', 'blocked']);
export type WatcherStatus = z.infer<typeof WatcherStatus>;

/** Someone who watches (or asked to watch) our presence. */
export const Watcher = z.object({
  aor: z.string(),
  status: WatcherStatus,
  /** 'direct': they subscribed to Parley itself; 'server': the presence server told us (watcher-info). */
  source: z.enum(['direct', 'server']),
  /** Whether a subscription from them is live now. */
  subscribed: z.boolean(),
  /** Epoch ms of their last SUBSCRIBE or watcher-info mention. */
  lastSeen: z.number(),
});
export type Watcher = z.infer<typeof Watcher>;

/**
 * Our subscription to a buddy:
 *   none ──SUBSCRIBE──> pending (202 / subscription-state pending: "awaiting authorization")
 *                         └──NOTIFY active──> active ──481/408/5xx/terminated──> retrying ──> pending|active
 *   any ──> failed (404, 403: will not be retried by itself)
 */
export const SubscriptionState = z.enum(['none', 'pending', 'active', 'retrying', 'failed']);
export type SubscriptionState = z.infer<typeof SubscriptionState>;

/** What we know of a buddy's presence, composed from every tuple/device into one state. */
export const BuddyPresence = z.object({
  aor: z.string(),
  view: PresenceView.nullable(),
  subscription: SubscriptionState,
  /** True when the state could not be refreshed in time: shown greyed, not trusted. */
  stale: z.boolean(),
  /** Epoch ms of the last NOTIFY with a body. */
  updatedAt: z.number().optional(),
  /** Why the subscription failed or is being retried (a `subscription.*` reason). */
  reason: Reason.optional(),
});
export type BuddyPresence = z.infer<typeof BuddyPresence>;

/** The answer to "what does this watcher see now?", with why. */
export const WatcherViewAnswer = z.object({
  watcher: z.string(),
  view: PresenceView,
  /** The group whose view applies, or EVERYONE_ELSE. */
  group: z.string().optional(),
  /** Where it comes from: 'pending', 'blocked', 'manual', or 'profile'. */
  source: z.enum(['pending', 'blocked', 'manual', 'profile']),
  profileId: z.string().optional(),
  /**
   * The facts behind the answer (a `view.*` reason: who, what they see, the profile and group by
   * name, until when), worded on screen as e.g. "Friends see Busy — profile Work hours, until 17:00".
   */
  explanation: Reason,
});
export type WatcherViewAnswer = z.infer<typeof WatcherViewAnswer>;

/** The answer to "what does this group (or EVERYONE_ELSE) see now?": the view any allowed member gets. */
export const GroupViewAnswer = WatcherViewAnswer.omit({ watcher: true }).extend({ group: z.string() });
export type GroupViewAnswer = z.infer<typeof GroupViewAnswer>;
