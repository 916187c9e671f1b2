/**
 * The presence part of the contract (issue: presence): roster and groups, our status, profiles and
 * the weekly schedule, watchers and their authorization, and what each watcher sees.
 * Plain data validated with zod at every host boundary; no DOM, no Node, no Electron.
 */
import { z } from 'zod';
import {
  BuddyPresence,
  Contact,
  Group,
  GroupId,
  GroupViewAnswer,
  ManualStatus,
  PresenceView,
  Profile,
  Schedule,
  Watcher,
  WatcherViewAnswer,
} from '../domain/presence.js';

const Address = z.string().trim().min(1).max(512);

/** Where our presence is served (an account setting): see PresenceMode in domain/account.ts. */
export const ActiveStatus = z.object({
  /** The profile the schedule (or the default) makes active now. */
  profileId: z.string(),
  /** Epoch ms when the schedule next switches profile; absent when it never does. */
  nextBoundary: z.number().optional(),
  /** A status set by hand, while it lasts. */
  manual: ManualStatus.nullable(),
});
export type ActiveStatus = z.infer<typeof ActiveStatus>;

/**
 * What the presence probe found out about the account's server (docs/DESIGN.md#which-server-serves-presence):
 * it relays watchers' SUBSCRIBEs to the user's devices, it answers them itself (a presence agent),
 * it does neither (489: no presence at all), or it could not be told (no answer, another refusal).
 */
export const ServerKind = z.enum(['relays', 'presence-agent', 'neither', 'unknown']);
export type ServerKind = z.infer<typeof ServerKind>;

/** Who serves our presence now, and why. */
export const PresenceService = z.object({
  /** Parley answers watchers itself ('direct') or publishes one state to the server ('server'). */
  mode: z.enum(['direct', 'server']),
  /**
   * 'account': the account names the mode; 'detected': chosen from what the probe found;
   * 'detecting': the probe has not answered yet (the mode is the one last detected, else direct);
   * 'no-server': no proxy, so peers subscribe to Parley directly.
   */
  basis: z.enum(['account', 'detected', 'detecting', 'no-server']),
  /** What the probe found, once it has. */
  serverKind: ServerKind.optional(),
});
export type PresenceService = z.infer<typeof PresenceService>;

/** Everything the UI shows about presence, as one value (part of the snapshot). */
export const PresenceSnapshot = z.object({
  groups: z.array(Group),
  contacts: z.array(Contact),
  buddies: z.array(BuddyPresence),
  watchers: z.array(Watcher),
  profiles: z.array(Profile),
  schedule: Schedule,
  status: ActiveStatus,
  /** Who serves our presence (absent before an account is attached). */
  service: PresenceService.optional(),
});
export type PresenceSnapshot = z.infer<typeof PresenceSnapshot>;

export const presenceCommands = {
  /** Set our status by hand: shown to every allowed watcher until the next schedule boundary or until cleared. */
  setStatus: {
    request: z.object({ view: PresenceView, until: ManualStatus.shape.until }).strict(),
    result: ActiveStatus,
  },
  /** Back to what the schedule says. */
  clearStatus: { request: z.object({}).strict(), result: ActiveStatus },
  /** Add or change a buddy (subscribes to their presence). */
  saveContact: { request: Contact.strict(), result: Contact },
  removeContact: { request: z.object({ aor: Address }).strict(), result: z.object({ removed: z.boolean() }) },
  saveGroup: { request: Group.strict(), result: Group },
  /** Delete a group: its members stay contacts, in their other groups. */
  deleteGroup: { request: z.object({ id: GroupId }).strict(), result: z.object({ deleted: z.boolean() }) },
  saveProfile: { request: Profile, result: Profile },
  deleteProfile: { request: z.object({ id: z.string().min(1).max(64) }).strict(), result: z.object({ deleted: z.boolean() }) },
  setSchedule: { request: Schedule, result: Schedule },
  /** Allow (optionally into a group) or block someone who asked to watch us. */
  answerWatcher: {
    request: z.object({ aor: Address, decision: z.enum(['allow', 'block']), group: GroupId.optional() }).strict(),
    result: Watcher,
  },
  /**
   * What this watcher (any address) sees now, or at `at` (epoch ms), and why. At `at`, a status
   * set by hand counts only while it would still be in force: set by then, and for "until the
   * schedule next changes" not past the first boundary after it was set; one "until cleared" is
   * taken as still set (the answer says "set by hand, until you clear it"). Authorization and the
   * roster are as they are now. So "Tuesday 10:00" answers from the schedule once a manual status
   * will have lapsed, and says so when it would still hide the schedule.
   */
  whatDoesWatcherSee: {
    request: z.object({ watcher: Address, at: z.number().optional() }).strict(),
    result: WatcherViewAnswer,
  },
  /**
   * What an allowed member of this group (or EVERYONE_ELSE, '*') sees now, or at `at` (epoch ms;
   * a manual status as for whatDoesWatcherSee), and why: the preview of a group with no one in it yet.
   */
  whatDoesGroupSee: {
    request: z.object({ group: z.string().min(1).max(64), at: z.number().optional() }).strict(),
    result: GroupViewAnswer,
  },
} as const;

export type PresenceCommandName = keyof typeof presenceCommands;

/** A buddy's presence changed (state, note, staleness or subscription). */
export const BuddyEvent = z.object({ type: z.literal('buddy'), buddy: BuddyPresence });
/** Someone asked to watch us, or a watcher's authorization or subscription changed. */
export const WatcherEvent = z.object({ type: z.literal('watcher'), watcher: Watcher });
/** Our own status changed: a schedule boundary, a manual status set or lapsed. */
export const StatusEvent = z.object({ type: z.literal('status'), status: ActiveStatus });
/** Groups, contacts, profiles or the schedule changed: the new lists. */
export const RosterEvent = z.object({
  type: z.literal('roster'),
  groups: z.array(Group),
  contacts: z.array(Contact),
  profiles: z.array(Profile),
  schedule: Schedule,
});

/** Who serves our presence changed (the probe answered, the account changed). */
export const PresenceServiceEvent = z.object({ type: z.literal('presence-service'), service: PresenceService });

export const presenceEvents = [BuddyEvent, WatcherEvent, StatusEvent, RosterEvent, PresenceServiceEvent] as const;

/** Presence before anything is known (a UI's initial state; host tests' snapshots). */
export const EMPTY_PRESENCE: PresenceSnapshot = {
  groups: [],
  contacts: [],
  buddies: [],
  watchers: [],
  profiles: [],
  schedule: { timeZone: 'UTC', rules: [], defaultProfileId: 'available' },
  status: { profileId: 'available', manual: null },
};

/**
 * What each presence mode can do, in words the account settings and the watcher list can show
 * (account setting `presenceMode`, shared/domain/account.ts).
 */
export const DIRECT_MODE_EXPLANATION =
  'Direct presence: Parley answers everyone who asks to see your presence itself. Nobody sees your ' +
  'status until you allow them, blocked people see you as offline, and each group can see a ' +
  'different status (your profiles and schedule apply in full). Parley must be running for anyone to see you online.';

/**
 * Server mode, stated honestly: allowing or blocking reaches the server only as pres-rules over
 * XCAP, and only a server that reads them (the bundled Kamailio with --pres-rules) enforces it
 * (docs/DESIGN.md#watcher-decisions-on-the-server).
 */
/** The default: Parley finds out which kind of server it has (docs/DESIGN.md#which-server-serves-presence). */
export const AUTO_MODE_EXPLANATION =
  'Automatic: at each login Parley asks your server whether it passes presence requests on to you. If it does, ' +
  'Parley answers watchers itself (direct presence: each group can see a different status); if the server ' +
  'answers them itself, Parley publishes one status to it (server presence: everyone sees the same status).';

export const SERVER_MODE_EXPLANATION =
  'Server presence: Parley publishes one status to your server, which shows it to everyone who asks. ' +
  'Everyone sees the same status: what your profile shows to ' +
  '"everyone else" (or the status you set by hand); per-group views are not possible. People who ' +
  'watch you appear here so you know who they are. Allowing or blocking them reaches the server only ' +
  'when your lists are kept on it (XCAP) and it enforces them; otherwise it is only remembered and the ' +
  'server shows your status to anyone. Use direct presence to be sure.';
