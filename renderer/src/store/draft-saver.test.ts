import { describe, expect, it } from 'vitest';
import { fakeClient, flushPromises } from '../testing/fake-client.js';
import { manualTime } from '../testing/manual-time.js';
import { watchDrafts } from './draft-saver.js';
import { mergeDrafts, unsavedDrafts } from './drafts.js';
import { createAppStore } from './store.js';

const conversation = (id: string) => ({ id, peer: `sip:${id}@example.org`, callId: `call-${id}`, lastActivity: 1, unread: 0 });

function setup() {
  const client = fakeClient();
  client.answers.saveDraft = { ok: true, value: { saved: true } };
  client.answers.setComposing = { ok: true, value: { sent: true } };
  const time = manualTime();
  const store = createAppStore(client.api, time);
  store.setState({ conversations: { c1: conversation('c1'), c2: conversation('c2') }, selectedConversationId: 'c1' });
  watchDrafts(store, time, 500);
  const saved = () => client.called('saveDraft').map((c) => c.request);
  return { client, time, store, saved };
}

describe('drafts', () => {
  it('prefers the page’s own draft to the saved one, and lists only conversations whose draft changed', () => {
    expect(mergeDrafts({ c1: 'saved', c2: 'kept' }, { c1: 'typed since' })).toEqual({ c1: 'typed since', c2: 'kept' });
    expect(unsavedDrafts({ c1: 'a', c2: 'same', 'new:sip:x@y': 'z', c3: '' }, { c2: 'same' }, { c1: {}, c2: {}, c3: {} })).toEqual(['c1']);
  });
});

describe('watchDrafts', () => {
  it('saves once typing pauses, not on every keystroke', async () => {
    const { store, time, saved } = setup();
    store.getState().setDraft('h');
    time.advance(300);
    store.getState().setDraft('hi');
    time.advance(300);
    expect(saved()).toEqual([]);
    time.advance(200);
    expect(saved()).toEqual([{ conversationId: 'c1', text: 'hi' }]);
    await flushPromises();
    time.advance(1000);
    expect(saved()).toHaveLength(1);
  });

  it('saves at once when the user switches conversation or the window loses focus, and an emptied draft too', async () => {
    const { store, time, saved } = setup();
    store.getState().setDraft('half');
    store.getState().selectConversation('c2');
    expect(saved()).toEqual([{ conversationId: 'c1', text: 'half' }]);
    await flushPromises();
    store.getState().setDraft('other');
    store.getState().setFocused(false);
    expect(saved()).toEqual([
      { conversationId: 'c1', text: 'half' },
      { conversationId: 'c2', text: 'other' },
    ]);
    await flushPromises();
    store.getState().setFocused(true);
    store.getState().setDraft('');
    time.advance(500);
    expect(saved().at(-1)).toEqual({ conversationId: 'c2', text: '' });
  });

  it('tries again later when the core could not keep it, and says so', async () => {
    const { client, store, time, saved } = setup();
    client.answers.saveDraft = { ok: false, error: { code: 'failed', message: 'disk full' } };
    store.getState().setDraft('draft');
    time.advance(500);
    await flushPromises();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Could not keep the draft: disk full']);
    client.answers.saveDraft = { ok: true, value: { saved: true } };
    store.getState().setDraft('draft!');
    time.advance(500);
    expect(saved()).toHaveLength(2);
  });
});
