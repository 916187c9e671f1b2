import { describe, expect, it } from 'vitest';
import type { Reason, WatcherViewAnswer } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { createAppStore } from './store.js';
import { groupPreviewKey } from './presence-slice.js';

/** An explanation told apart from others by its group's name. */
const seeBusy = (group: string): Reason => ({ code: 'view.group', params: { group, profile: 'Work hours', availability: 'busy' } });

const answer = (watcher: string, group: string): WatcherViewAnswer => ({
  watcher,
  view: { availability: 'busy', activities: [] },
  source: 'profile',
  group: 'friends',
  explanation: seeBusy(group),
});

describe('presence actions', () => {
  it('sets a status by hand and shows the core answer at once', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const status = {
      profileId: 'available',
      manual: { view: { availability: 'busy' as const, activities: [] }, until: 'cleared' as const, setAt: 1 },
    };
    client.answers.setStatus = { ok: true, value: status };
    expect(await store.getState().setStatus({ availability: 'busy', activities: [] }, 'cleared')).toBe(true);
    expect(client.called('setStatus')[0]!.request).toEqual({ view: { availability: 'busy', activities: [] }, until: 'cleared' });
    expect(store.getState().presence.status).toEqual(status);
    expect(store.getState().presenceBusy.status).toBe(false);
  });

  it('keeps a refusal for the form that asked, and clears it when that form succeeds', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.setSchedule = {
      ok: false,
      error: { code: 'invalid-request', message: 'setSchedule: timeZone: must be a known IANA time zone' },
    };
    const schedule = { timeZone: 'Mars/Olympus', rules: [], defaultProfileId: 'available' };
    expect(await store.getState().setSchedule(schedule)).toBe(false);
    expect(store.getState().presenceErrors).toEqual({ schedule: 'setSchedule: timeZone: must be a known IANA time zone' });
    expect(store.getState().presence.schedule.timeZone).toBe('UTC');
    client.answers.setSchedule = { ok: true, value: { ...schedule, timeZone: 'Europe/Berlin' } };
    expect(await store.getState().setSchedule({ ...schedule, timeZone: 'Europe/Berlin' })).toBe(true);
    expect(store.getState().presenceErrors.schedule).toBeUndefined();
    expect(store.getState().presence.schedule.timeZone).toBe('Europe/Berlin');
  });

  it('answers a watcher, with the group only when one was chosen', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const watcher = { aor: 'sip:eve@example.org', status: 'allowed' as const, source: 'direct' as const, subscribed: true, lastSeen: 1 };
    client.answers.answerWatcher = { ok: true, value: watcher };
    await store.getState().answerWatcher('sip:eve@example.org', 'allow', 'friends');
    await store.getState().answerWatcher('sip:eve@example.org', 'block');
    expect(client.called('answerWatcher').map((c) => c.request)).toEqual([
      { aor: 'sip:eve@example.org', decision: 'allow', group: 'friends' },
      { aor: 'sip:eve@example.org', decision: 'block' },
    ]);
    expect(store.getState().presence.watchers['sip:eve@example.org']).toEqual(watcher);
  });

  it('previews each address once per request, and a slow older answer never replaces a newer one', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const resolvers: ((value: unknown) => void)[] = [];
    (client.api as unknown as Record<string, unknown>).whatDoesWatcherSee = (request: { watcher: string }) =>
      new Promise((resolve) => {
        const call = resolvers.length + 1;
        resolvers.push(() => resolve({ ok: true, value: answer(request.watcher, `call ${call}`) }));
      });
    const first = store.getState().previewWatchers(['sip:bob@example.org', 'sip:bob@example.org']);
    expect(resolvers).toHaveLength(1);
    expect(store.getState().previews['sip:bob@example.org']).toEqual({ state: 'loading', answer: undefined });
    const second = store.getState().previewWatchers(['sip:bob@example.org']);
    resolvers[1]!(undefined);
    await second;
    resolvers[0]!(undefined);
    await first;
    expect(store.getState().previews['sip:bob@example.org']).toMatchObject({ state: 'done', answer: { explanation: seeBusy('call 2') } });
  });

  it('a preview the core refused says why', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    await store.getState().previewWatchers(['sip:x@example.org']);
    expect(store.getState().previews['sip:x@example.org']).toEqual({ state: 'error', error: 'not available yet' });
  });

  it('starting a chat from a buddy leaves the presence settings', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    store.getState().openPanel('presence');
    client.answers.openConversation = {
      ok: true,
      value: { id: 'c9', peer: 'sip:bob@example.org', callId: 'x', lastActivity: 0, unread: 0 },
    };
    expect(await store.getState().chatWithBuddy('sip:bob@example.org')).toBe(true);
    expect(store.getState().panel).toBe(null);
    expect(store.getState().selectedConversationId).toBe('c9');
  });
});

describe('group previews', () => {
  it('ask the core per group and keep each answer under its group key', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const asked: string[] = [];
    (client.api as unknown as Record<string, unknown>).whatDoesGroupSee = async (request: { group: string }) => {
      asked.push(request.group);
      return {
        ok: true,
        value: {
          group: request.group,
          view: { availability: 'busy', activities: [] },
          source: 'profile',
          explanation: seeBusy(request.group),
        },
      };
    };
    await store.getState().previewGroups(['friends', '*', 'friends']);
    expect(asked).toEqual(['friends', '*']);
    expect(store.getState().previews[groupPreviewKey('friends')]).toMatchObject({
      state: 'done',
      answer: { explanation: seeBusy('friends') },
    });
    expect(store.getState().previews[groupPreviewKey('*')]).toMatchObject({ state: 'done', answer: { group: '*' } });
  });

  it('asks about a chosen moment under a key of its own, so "now" stays', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.whatDoesGroupSee = {
      ok: true,
      value: { group: 'friends', view: { availability: 'busy', activities: [] }, source: 'profile', explanation: seeBusy('Friends') },
    };
    await store.getState().previewGroups(['friends'], 1234);
    expect(client.called('whatDoesGroupSee')[0]!.request).toEqual({ group: 'friends', at: 1234 });
    expect(store.getState().previews[groupPreviewKey('friends', 1234)]).toMatchObject({ state: 'done' });
    expect(store.getState().previews[groupPreviewKey('friends')]).toBeUndefined();
  });

  it('allows and adds to contacts in one step: the new group, the contact in it, then the answer', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const group = { id: 'friends', name: 'Friends' };
    client.answers.saveGroup = { ok: true, value: group };
    client.answers.saveContact = { ok: true, value: { aor: 'sip:bob@example.org', groups: ['friends'] } };
    client.answers.answerWatcher = {
      ok: true,
      value: { aor: 'sip:bob@example.org', status: 'allowed', source: 'direct', subscribed: true, lastSeen: 1 },
    };
    expect(await store.getState().allowAndAddContact('sip:bob@example.org', { groupId: 'friends', create: group })).toBe(true);
    expect(client.called('saveGroup')[0]!.request).toEqual(group);
    expect(client.called('saveContact')[0]!.request).toEqual({ aor: 'sip:bob@example.org', groups: ['friends'] });
    expect(client.called('answerWatcher')[0]!.request).toEqual({ aor: 'sip:bob@example.org', decision: 'allow' });
    expect(store.getState().presence.contacts).toEqual([{ aor: 'sip:bob@example.org', groups: ['friends'] }]);
  });

  it('stops at the first refusal and shows it on the watcher form', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.saveContact = { ok: false, error: { code: 'invalid-request', message: 'no such group' } };
    expect(await store.getState().allowAndAddContact('sip:bob@example.org', { groupId: 'gone' })).toBe(false);
    expect(client.called('answerWatcher')).toEqual([]);
    expect(store.getState().presenceErrors.watcher).toBe('no such group');
  });
});
