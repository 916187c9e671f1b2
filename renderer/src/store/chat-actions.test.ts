import { describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation, SearchHit } from '../../../shared/ipc.js';
import { fakeClient, flushPromises } from '../testing/fake-client.js';
import { testMessage } from '../testing/messages.js';
import { DEFAULT_CHAT_SETTINGS } from '../../../shared/contract/chat.js';
import { applyEvent } from './model.js';
import { watchReadMarks } from './read-marks.js';
import { createAppStore } from './store.js';
import { watchTypingLapses } from './typing-lapses.js';

const bob: Conversation = { id: 'c1', peer: 'sip:bob@example.org', callId: 'k1', lastActivity: 50, unread: 2 };

function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return testMessage({
    callId: 'k1',
    body: 'hi',
    at: 50,
    state: 'failed',
    reason: { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } },
    ...overrides,
  });
}

function setup() {
  const client = fakeClient();
  const store = createAppStore(client.api);
  store.setState({ conversations: { c1: bob }, messages: { c1: [message()] }, historyComplete: { c1: true } });
  return { client, store };
}

describe('chat with…', () => {
  it('opens the conversation the core names and selects it', async () => {
    const { client, store } = setup();
    client.answers.openConversation = {
      ok: true,
      value: { id: 'c2', peer: 'sip:carol@example.org', callId: 'k2', lastActivity: 60, unread: 0 },
    };
    client.answers.getMessages = { ok: true, value: [] };
    expect(await store.getState().startChat('sip:carol@example.org')).toBe(true);
    expect(store.getState()).toMatchObject({ selectedConversationId: 'c2', draftPeer: null, opening: false });
    expect(store.getState().conversations.c2?.callId).toBe('k2');
  });

  it('refuses what is not an address, without asking the core', async () => {
    const { client, store } = setup();
    expect(await store.getState().startChat('bob smith')).toBe(false);
    expect(store.getState().chatError).toMatch(/Type an address/);
    expect(client.calls).toEqual([]);
  });

  it('falls back to a conversation it already holds with that peer when the core cannot open one', async () => {
    const { store } = setup();
    expect(await store.getState().startChat('bob@Example.org:5060')).toBe(true);
    expect(store.getState().selectedConversationId).toBe('c1');
  });
});

describe('outbox', () => {
  it('retry shows the message as the core answered it; a failure is shown', async () => {
    const { client, store } = setup();
    await store.getState().retryMessage(message());
    expect(store.getState().chatError).toBe('Could not send it again: not available yet');
    client.answers.retryMessage = { ok: true, value: message({ state: 'sending', reason: undefined }) };
    await store.getState().retryMessage(message());
    expect(client.called('retryMessage').at(-1)?.request).toEqual({ id: 'm1' });
    expect(store.getState().messages.c1?.[0]?.state).toBe('sending');
    expect(store.getState().chatError).toBeNull();
  });

  it('cancel marks the message cancelled when the core took it out, and says so when it was too late', async () => {
    const { client, store } = setup();
    client.answers.cancelMessage = { ok: true, value: { cancelled: false } };
    await store.getState().cancelMessage(message());
    expect(store.getState().chatError).toMatch(/Too late/);
    expect(store.getState().messages.c1?.[0]?.state).toBe('failed');
    client.answers.cancelMessage = { ok: true, value: { cancelled: true } };
    await store.getState().cancelMessage(message());
    expect(store.getState().messages.c1?.[0]?.state).toBe('cancelled');
  });
});

describe('read marks', () => {
  it('marks the open conversation read when the window has focus, once per change', async () => {
    const { client, store } = setup();
    client.answers.markRead = { ok: true, value: { ...bob, unread: 0 } };
    watchReadMarks(store);
    store.getState().setFocused(false);
    store.getState().selectConversation('c1');
    expect(client.called('markRead')).toHaveLength(0);
    store.getState().setFocused(true);
    await flushPromises();
    expect(client.called('markRead').map((c) => c.request)).toEqual([{ conversationId: 'c1' }]);
    expect(store.getState().conversations.c1?.unread).toBe(0);

    // A message arriving while it is being read is marked read as well.
    store.setState((s) => applyEvent(s, { ...message({ id: 'm2', direction: 'in', state: 'received', at: 70 }), type: 'message', seq: 1 }));
    await flushPromises();
    expect(client.called('markRead')).toHaveLength(2);
  });

  it('when the core cannot take the mark, the screen shows it read and says why once', async () => {
    const { client, store } = setup();
    watchReadMarks(store);
    store.getState().selectConversation('c1');
    await flushPromises();
    expect(client.called('markRead')).toHaveLength(1);
    expect(store.getState().conversations.c1?.unread).toBe(0);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['Could not mark as read: not available yet']);
  });

  it('an answer older than a message that arrived meanwhile does not hide that message', async () => {
    const { client, store } = setup();
    client.answers.markRead = { ok: true, value: { ...bob, unread: 0 } };
    store.setState({ conversations: { c1: { ...bob, lastActivity: 90, unread: 1 } } });
    await store.getState().markRead('c1');
    expect(store.getState().conversations.c1?.unread).toBe(1);
  });
});

describe('typing', () => {
  it('tells the core while the user types in an open conversation, and stops on send', async () => {
    const { client, store } = setup();
    client.answers.setComposing = { ok: true, value: { sent: true } };
    client.answers.sendMessage = { ok: true, value: message({ id: 'm9', state: 'sending' }) };
    client.answers.getMessages = { ok: true, value: [] };
    store.getState().selectConversation('c1');
    store.getState().setDraft('h');
    store.getState().setDraft('he');
    await store.getState().sendMessage();
    expect(client.called('setComposing').map((c) => c.request)).toEqual([
      { conversationId: 'c1', active: true },
      { conversationId: 'c1', active: false },
    ]);
  });

  it('does not tell anyone when the user turned typing notifications off', async () => {
    const { client, store } = setup();
    client.answers.setChatSettings = { ok: true, value: { ...DEFAULT_CHAT_SETTINGS, sendComposing: false } };
    await store.getState().setSendComposing(false);
    store.getState().selectConversation('c1');
    store.getState().setDraft('hello');
    expect(client.called('setComposing')).toHaveLength(0);
    expect(store.getState().chatSettings?.sendComposing).toBe(false);
  });

  it("a peer's typing indication lapses after its refresh time without news", () => {
    const { store } = setup();
    const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
    watchTypingLapses(store, {
      setTimer: (fn, ms) => {
        const timer = { fn, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (timer) => void ((timer as { cleared: boolean }).cleared = true),
    });
    const typing = { type: 'composing' as const, conversationId: 'c1', peer: 'sip:bob@example.org', active: true };
    store.setState((s) => applyEvent(s, { ...typing, refreshMs: 30_000, seq: 1 }));
    store.setState((s) => applyEvent(s, { ...typing, seq: 2 }));
    expect(timers.map((t) => [t.ms, t.cleared])).toEqual([
      [30_000, true],
      [15_000, false],
    ]);
    timers[1]!.fn();
    expect(store.getState().composing).toEqual({});
  });
});

describe('search and export', () => {
  const hit = (id: string): SearchHit => ({ message: message({ id, state: 'delivered' }), snippet: 'hi', ranges: [[0, 2]] });

  it('keeps the answer of the newest query only, and shows a failure', async () => {
    const { client, store } = setup();
    let answerFirst: (value: unknown) => void = () => {};
    const search = client.api.searchMessages;
    client.api.searchMessages = (request) =>
      request.query === 'first' ? new Promise((resolve) => (answerFirst = resolve as never)) : search(request);
    const first = store.getState().searchHistory('first');
    client.answers.searchMessages = { ok: true, value: [hit('m1')] };
    await store.getState().searchHistory('second');
    answerFirst({ ok: true, value: [] });
    await first;
    expect(store.getState().search).toMatchObject({ query: 'second', status: 'done' });
    expect(store.getState().search.hits).toHaveLength(1);
    client.answers.searchMessages = { ok: false, error: { code: 'failed', message: 'index broken' } };
    await store.getState().searchHistory('third');
    expect(store.getState().search).toMatchObject({ status: 'failed', error: 'index broken' });
  });

  it('opening a hit selects its conversation and pages back until the message is there', async () => {
    const { client, store } = setup();
    store.setState({ historyComplete: {} });
    const page = Array.from({ length: 100 }, (_, i) => message({ id: `old${i}`, at: 10 + i / 1000 }));
    client.answers.getMessages = { ok: true, value: page };
    await store.getState().openSearchHit(hit('old3'));
    expect(store.getState()).toMatchObject({ selectedConversationId: 'c1', focusMessageId: 'old3' });
    expect(store.getState().messages.c1?.some((m) => m.id === 'old3')).toBe(true);
    expect(client.called('getMessages')).toHaveLength(1);
  });

  it('export hands back the file, or shows why not', async () => {
    const { client, store } = setup();
    expect(await store.getState().exportConversation('c1', 'json')).toBeNull();
    expect(store.getState().exportError).toBe('not available yet');
    const file = { fileName: 'parley-bob.txt', mimeType: 'text/plain' as const, content: 'hi' };
    client.answers.exportConversation = { ok: true, value: file };
    expect(await store.getState().exportConversation('c1', 'text')).toEqual(file);
    expect(client.called('exportConversation').at(-1)?.request).toEqual({ conversationId: 'c1', format: 'text' });
    expect(store.getState().exportError).toBeNull();
  });
});

describe('details and settings', () => {
  it('loads and switches the per-peer Call-ID option, showing refusals', async () => {
    const { client, store } = setup();
    client.answers.getPeerOptions = { ok: true, value: { peer: bob.peer, newCallIdPerMessage: false, decidedBy: 'default' } };
    await store.getState().loadPeerOptions(bob.peer);
    expect(store.getState().peerOptions[bob.peer]?.newCallIdPerMessage).toBe(false);
    client.answers.setPeerOptions = { ok: true, value: { peer: bob.peer, newCallIdPerMessage: true, decidedBy: 'user' } };
    await store.getState().setNewCallIdPerMessage(bob.peer, true);
    expect(store.getState().peerOptions[bob.peer]).toMatchObject({ newCallIdPerMessage: true, decidedBy: 'user' });
    client.answers.setPeerOptions = { ok: false, error: { code: 'invalid-request', message: 'bad peer' } };
    await store.getState().setNewCallIdPerMessage(bob.peer, false);
    expect(store.getState().peerOptionsError).toBe('bad peer');
  });

  it('a settings change shows at once and is put back when the core refuses it', async () => {
    const { client, store } = setup();
    store.setState({ chatSettings: DEFAULT_CHAT_SETTINGS });
    const change = store.getState().setSendComposing(false);
    expect(store.getState().chatSettings).toEqual({ ...DEFAULT_CHAT_SETTINGS, sendComposing: false });
    await change;
    expect(store.getState().chatSettings).toEqual(DEFAULT_CHAT_SETTINGS);
    expect(store.getState().settingsError).toBe('not available yet');
    expect(client.called('setChatSettings').map((c) => c.request)).toEqual([{ sendComposing: false }]);
  });

  it('a quiet settings load hides a failure; an asked-for one shows it', async () => {
    const { store } = setup();
    await store.getState().loadChatSettings(true);
    expect(store.getState().settingsError).toBeNull();
    await store.getState().loadChatSettings();
    expect(store.getState().settingsError).toBe('not available yet');
  });
});
