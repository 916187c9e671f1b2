/**
 * Presence actions: our status, the roster and groups, profiles and the schedule, answers to
 * watchers, and "what does X see now" previews. Each action calls one core command; its answer
 * goes into the read model through presence-model.ts (the matching event follows and agrees).
 * A refusal is kept per form, so the editor that asked shows it next to its fields.
 */
import type {
  ActiveStatus,
  Contact,
  Group,
  GroupViewAnswer,
  PresenceView,
  Profile,
  Schedule,
  WatcherViewAnswer,
} from '../../../shared/ipc.js';
import { normalizeAddress, type Outcome } from '../../../shared/ipc.js';
import { initialModel } from './model.js';
import { withContact, withGroup, withProfile, withSchedule, withStatus, withWatcher, type PresenceModel } from './presence-model.js';
import type { Slice, StoreDeps } from './store.js';

/** The forms whose errors are kept apart. */
export type PresenceForm = 'status' | 'contact' | 'group' | 'watcher' | 'profile' | 'schedule';

/** A watcher's or a group's answer: what they see, from where, in words. */
export type PreviewAnswer = WatcherViewAnswer | GroupViewAnswer;

export type Preview =
  { state: 'loading'; answer?: PreviewAnswer } | { state: 'done'; answer: PreviewAnswer } | { state: 'error'; error: string };

/** Previews are kept by address, and a group's under this key (one per moment asked about). */
export const groupPreviewKey = (groupId: string, at?: number) => (at === undefined ? `group:${groupId}` : `group:${groupId}@${at}`);

export interface PresenceSlice {
  presence: PresenceModel;
  presenceErrors: Partial<Record<PresenceForm, string>>;
  presenceBusy: Partial<Record<PresenceForm, boolean>>;
  /** "What does X see now", per address as asked, and per group (groupPreviewKey). */
  previews: Record<string, Preview>;
  /** Start (or open) a chat with a buddy, leaving the presence settings. */
  chatWithBuddy(aor: string): Promise<boolean>;
  setStatus(view: PresenceView, until: 'next-boundary' | 'cleared'): Promise<boolean>;
  clearStatus(): Promise<boolean>;
  saveContact(contact: Contact): Promise<boolean>;
  removeContact(aor: string): Promise<boolean>;
  saveGroup(group: Group): Promise<boolean>;
  deleteGroup(id: string): Promise<boolean>;
  saveProfile(profile: Profile): Promise<boolean>;
  deleteProfile(id: string): Promise<boolean>;
  setSchedule(schedule: Schedule): Promise<boolean>;
  answerWatcher(aor: string, decision: 'allow' | 'block', group?: string): Promise<boolean>;
  /**
   * "Allow and add to contacts" in one step: the group first if it is new, then the contact in it
   * (which also subscribes to their presence), then the answer. Errors land on the watcher form.
   */
  allowAndAddContact(aor: string, group: { groupId?: string; create?: Group }): Promise<boolean>;
  /** Ask the core what each address sees now; answers replace older ones, never newer ones. */
  previewWatchers(addresses: readonly string[]): Promise<void>;
  /** The same per group (a group id or '*' for everyone else), now or at `at` (epoch ms). */
  previewGroups(groupIds: readonly string[], at?: number): Promise<void>;
  setPresenceError(form: PresenceForm, error: string | null): void;
}

export const presenceSlice =
  ({ api }: StoreDeps): Slice<PresenceSlice> =>
  (set, get) => {
    /**
     * Run one command for a form: busy while it runs, its error (or none) kept for that form,
     * `apply` folds the answer into the state. Resolves whether the core took it.
     */
    async function run<T>(form: PresenceForm, call: Promise<Outcome<T>>, apply?: (presence: PresenceModel, value: T) => PresenceModel) {
      set((s) => ({ presenceBusy: { ...s.presenceBusy, [form]: true } }));
      const outcome = await call;
      set((s) => ({
        presenceBusy: { ...s.presenceBusy, [form]: false },
        presenceErrors: { ...s.presenceErrors, [form]: outcome.ok ? undefined : outcome.error.message },
        ...(outcome.ok && apply ? { presence: apply(s.presence, outcome.value) } : {}),
      }));
      return outcome.ok;
    }
    // The latest request per address, so a slow old answer cannot overwrite a newer one.
    const latest = new Map<string, number>();
    let counter = 0;
    const applyStatus = (presence: PresenceModel, status: ActiveStatus) => withStatus(presence, status);

    /** Ask for the previews under these keys; answers replace older ones, never newer ones. */
    async function ask(keys: readonly string[], call: (key: string) => Promise<Outcome<PreviewAnswer>>) {
      const asked = [...new Set(keys)];
      if (asked.length === 0) return;
      const ids = asked.map((key) => {
        const id = ++counter;
        latest.set(key, id);
        return id;
      });
      set((s) => {
        const previews = { ...s.previews };
        for (const key of asked) {
          const before = previews[key];
          previews[key] = { state: 'loading', answer: before && before.state !== 'error' ? before.answer : undefined };
        }
        return { previews };
      });
      const outcomes = await Promise.all(asked.map(call));
      set((s) => {
        const previews = { ...s.previews };
        asked.forEach((key, i) => {
          if (latest.get(key) !== ids[i]) return;
          const outcome = outcomes[i]!;
          previews[key] = outcome.ok ? { state: 'done', answer: outcome.value } : { state: 'error', error: outcome.error.message };
        });
        return { previews };
      });
    }

    return {
      presence: initialModel.presence,
      presenceErrors: {},
      presenceBusy: {},
      previews: {},
      // startChat shows the conversation, which closes whichever view was open.
      chatWithBuddy: (aor) => get().startChat(aor),
      setStatus: (view, until) => run('status', api.setStatus({ view, until }), applyStatus),
      clearStatus: () => run('status', api.clearStatus({}), applyStatus),
      saveContact: (contact) => run('contact', api.saveContact(contact), withContact),
      removeContact: (aor) => run('contact', api.removeContact({ aor })),
      saveGroup: (group) => run('group', api.saveGroup(group), withGroup),
      deleteGroup: (id) => run('group', api.deleteGroup({ id })),
      saveProfile: (profile) => run('profile', api.saveProfile(profile), withProfile),
      deleteProfile: (id) => run('profile', api.deleteProfile({ id })),
      setSchedule: (schedule) => run('schedule', api.setSchedule(schedule), withSchedule),
      answerWatcher: (aor, decision, group) =>
        run('watcher', api.answerWatcher(group ? { aor, decision, group } : { aor, decision }), withWatcher),
      async allowAndAddContact(aor, { groupId, create }) {
        if (create && !(await run('watcher', api.saveGroup(create), withGroup))) return false;
        const existing = get().presence.contacts.find((c) => normalizeAddress(c.aor) === normalizeAddress(aor));
        const groups = [...new Set([...(existing?.groups ?? []), ...(groupId ? [groupId] : [])])];
        if (!(await run('watcher', api.saveContact({ ...existing, aor: existing?.aor ?? aor, groups }), withContact))) return false;
        return run('watcher', api.answerWatcher({ aor, decision: 'allow' }), withWatcher);
      },
      previewWatchers: (addresses) => ask(addresses, (watcher) => api.whatDoesWatcherSee({ watcher })),
      previewGroups: (groupIds, at) => {
        const byKey = new Map(groupIds.map((group) => [groupPreviewKey(group, at), group]));
        return ask([...byKey.keys()], (key) => api.whatDoesGroupSee({ group: byKey.get(key)!, ...(at === undefined ? {} : { at }) }));
      },
      setPresenceError(form, error) {
        set((s) => ({ presenceErrors: { ...s.presenceErrors, [form]: error ?? undefined } }));
      },
    };
  };
