import { describe, expect, it } from 'vitest';
import { fakeClient, flushPromises } from '../testing/fake-client.js';
import { testSnapshot as emptySnapshot } from '../testing/snapshot.js';
import { createAppStore } from './store.js';
import { startSync } from './sync.js';

function manualFrames() {
  const queue: (() => void)[] = [];
  return { schedule: (fn: () => void) => void queue.push(fn), run: () => queue.splice(0).forEach((fn) => fn()), queue };
}

describe('snapshot-then-events start-up', () => {
  it('subscribes first, drops events the snapshot holds, batches the rest per frame', async () => {
    const client = fakeClient();
    const frames = manualFrames();
    const store = createAppStore(client.api);
    startSync(store, client.api, { scheduleFrame: frames.schedule });
    expect(client.calls.map((c) => c.command)).toEqual(['getSnapshot']);

    // Events racing the snapshot: seq 5 is already in it, seq 7 is not.
    client.emit({ type: 'registration', state: 'registering', seq: 5 });
    client.emit({ type: 'registration', state: 'registered', expires: 600, seq: 7 });
    expect(store.getState().snapshotLoaded).toBe(false);

    client.answerSnapshot({ ...emptySnapshot(6), registration: { state: 'failed', reason: { code: 'register.timeout' } } });
    await flushPromises();
    expect(store.getState()).toMatchObject({ snapshotLoaded: true, seq: 7, registration: { state: 'registered', expires: 600 } });

    client.emit({ type: 'notice', level: 'info', text: 'a', seq: 8 });
    client.emit({ type: 'notice', level: 'info', text: 'b', seq: 9 });
    expect(frames.queue).toHaveLength(1);
    expect(store.getState().notices).toHaveLength(0);
    frames.run();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['a', 'b']);
    expect(store.getState().seq).toBe(9);
  });

  it('re-reads the snapshot after a reconnect', async () => {
    const client = fakeClient({ status: 'connecting', attempt: 1 });
    const frames = manualFrames();
    const store = createAppStore(client.api);
    startSync(store, client.api, { scheduleFrame: frames.schedule });
    expect(client.calls).toHaveLength(0);
    client.setStatus({ status: 'open', attempt: 0 });
    client.answerSnapshot(emptySnapshot(3));
    await flushPromises();
    expect(store.getState().seq).toBe(3);

    client.setStatus({ status: 'closed', attempt: 1, retryAt: 0, reason: 'Connection to Parley lost' });
    expect(store.getState().connection.status).toBe('closed');
    client.setStatus({ status: 'connecting', attempt: 1 });
    client.setStatus({ status: 'open', attempt: 0 });
    expect(client.calls.filter((c) => c.command === 'getSnapshot')).toHaveLength(2);
    client.answerSnapshot({ ...emptySnapshot(40), registration: { state: 'direct' } });
    await flushPromises();
    expect(store.getState()).toMatchObject({ seq: 40, registration: { state: 'direct' } });
  });
});

describe('actions', () => {
  it('saveAccount validates, sends setAccount once and does not register a second time', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    client.answers.setAccount = {
      ok: true,
      value: { aor: 'sip:alice@example.org', proxy: 'sip:127.0.0.1:5060', transport: 'udp', registerExpires: 600, hasPassword: true },
    };
    const bad = await store.getState().saveAccount({ aor: '', displayName: '', password: '', authUser: '', proxy: '', transport: 'udp' });
    expect(bad).toBe(false);
    expect(store.getState().fieldErrors.aor).toBeTruthy();
    const ok = await store.getState().saveAccount({
      aor: 'alice@example.org',
      displayName: '',
      password: 'secret',
      authUser: '',
      proxy: '127.0.0.1:5060',
      transport: 'udp',
    });
    expect(ok).toBe(true);
    expect(client.calls.map((c) => c.command)).toEqual(['setAccount']);
    expect(client.calls[0]!.request).toEqual({
      account: { aor: 'sip:alice@example.org', proxy: 'sip:127.0.0.1:5060', transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
    expect(store.getState().account?.hasPassword).toBe(true);
  });

  it('when the core cannot open a conversation, the first message to the typed address starts it', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    store.setState({ account: { aor: 'sip:alice@example.org', transport: 'udp', registerExpires: 600, hasPassword: false } });
    expect(await store.getState().startChat('bob')).toBe(true);
    expect(client.calls[0]).toEqual({ command: 'openConversation', request: { to: 'sip:bob@example.org' } });
    expect(store.getState().draftPeer).toBe('sip:bob@example.org');
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'Could not open the conversation with sip:bob@example.org: not available yet',
    ]);
    store.getState().setDraft('<b>hi</b>');
    client.answers.sendMessage = {
      ok: true,
      value: {
        id: 'm1',
        conversationId: 'c1',
        direction: 'out',
        from: 'sip:alice@example.org',
        to: 'sip:bob@example.org',
        callId: 'k',
        cseq: 1,
        contentType: 'text/plain',
        body: '<b>hi</b>',
        at: 1,
        state: 'sending',
      },
    };
    await store.getState().sendMessage();
    expect(client.calls.at(-1)).toEqual({ command: 'sendMessage', request: { to: 'sip:bob@example.org', body: '<b>hi</b>' } });
    expect(store.getState()).toMatchObject({ selectedConversationId: 'c1', draftPeer: null });
    expect(store.getState().messages.c1?.[0]?.body).toBe('<b>hi</b>');
  });

  it('a refused send gives the text back and shows why', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    store.setState({ draftPeer: 'sip:bob@example.org', drafts: { 'new:sip:bob@example.org': 'hello' } });
    client.answers.sendMessage = { ok: false, error: { code: 'not-configured', message: 'set up an account first' } };
    await store.getState().sendMessage();
    expect(store.getState().chatError).toBe('set up an account first');
    expect(store.getState().drafts['new:sip:bob@example.org']).toBe('hello');
  });

  it('opening a conversation looks for older messages once, so "load earlier" shows only when there are more', async () => {
    const client = fakeClient();
    const store = createAppStore(client.api);
    const msg = {
      id: 'm1',
      conversationId: 'c1',
      direction: 'in' as const,
      from: 'sip:bob@example.org',
      to: 'sip:alice@example.org',
      callId: 'k',
      cseq: 1,
      contentType: 'text/plain',
      body: 'hi',
      at: 50,
      state: 'received' as const,
    };
    store.setState({
      conversations: { c1: { id: 'c1', peer: 'sip:bob@example.org', callId: 'k', lastActivity: 50, unread: 1 } },
      messages: { c1: [msg] },
    });
    client.answers.getMessages = { ok: true, value: [{ ...msg, id: 'm0', at: 10 }] };
    store.getState().selectConversation('c1');
    await flushPromises();
    expect(client.calls.at(-1)).toEqual({ command: 'getMessages', request: { conversationId: 'c1', beforeId: 'm1', limit: 100 } });
    expect(store.getState().messages.c1?.map((m) => m.id)).toEqual(['m0', 'm1']);
    expect(store.getState().historyComplete.c1).toBe(true);
    store.getState().selectConversation(null);
    store.getState().selectConversation('c1');
    expect(client.calls.filter((c) => c.command === 'getMessages')).toHaveLength(1);
  });
});
