import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_SETTINGS } from '../../../shared/contract/chat.js';
import type { SequencedEvent } from '../../../shared/ipc.js';
import type { Notice } from '../../../shared/notify/notices.js';
import { fakeClient } from '../testing/fake-client.js';
import { testMessage } from '../testing/messages.js';
import { testPresence } from '../testing/presence.js';
import { testSnapshot } from '../testing/snapshot.js';
import { createAppStore } from '../store/store.js';
import { createSoundPlayer } from './sounds.js';
import { watchWebAttention } from './web-attention.js';

const BOB = 'sip:bob@example.org';
const busy = {
  profileId: 'available',
  manual: { view: { availability: 'busy' as const, activities: [] }, until: 'cleared' as const, setAt: 0 },
};

function setup() {
  const client = fakeClient();
  const store = createAppStore(client.api);
  const allowed = { value: true };
  store.setState({ chatSettings: DEFAULT_CHAT_SETTINGS, focused: false });
  const shown: Notice[] = [];
  const withdrawn: string[] = [];
  const played: string[] = [];
  const sounds = createSoundPlayer({
    urls: { message: 'message.wav', request: 'request.wav' },
    muted: () => store.getState().chatSettings?.muteSounds ?? false,
    createAudio: (url) => ({ currentTime: 0, play: () => void played.push(url) }),
  });
  const attention = watchWebAttention(store, client.api, {
    sounds,
    // `allowed.value` false: the page may not notify (no permission yet), so nothing is shown
    notifier: { show: (n) => allowed.value && shown.push(n) > 0, withdraw: (key) => void withdrawn.push(key) },
    shown: () => store.getState().selectedConversationId,
  });
  let seq = 10;
  const message = (text: string, conversationId = 'c1'): SequencedEvent => ({
    type: 'message',
    ...testMessage({
      id: `m${seq}`,
      conversationId,
      direction: 'in',
      from: BOB,
      to: 'sip:alice@example.org',
      body: text,
      state: 'received',
    }),
    seq: ++seq,
  });
  const load = () =>
    attention.load(
      testSnapshot(10, {
        presence: testPresence(),
        conversations: [{ id: 'c1', peer: BOB, callId: 'x', lastActivity: 0, unread: 0 }],
      }),
    );
  return { client, store, shown, withdrawn, played, message, load, allowed, nextSeq: () => ++seq };
}

describe('browser-host attention', () => {
  it('a message in a conversation not on screen notifies by the contact name, coalesced, with the message sound', () => {
    const { client, shown, played, message, load } = setup();
    load();
    client.emit(message('lunch?'));
    client.emit(message('at noon'));
    expect(shown.map((n) => [n.title, n.body, n.key])).toEqual([
      ['Bob', 'lunch?', 'conversation:c1'],
      ['Bob', '2 new messages\nat noon', 'conversation:c1'],
    ]);
    expect(played).toEqual(['message.wav', 'message.wav']);
  });

  it('waits for the snapshot, and what the snapshot already holds is not news', () => {
    const { client, shown, message, load } = setup();
    const early = message('already in the snapshot');
    client.emit({ ...early, seq: 9 });
    client.emit(message('after the snapshot'));
    expect(shown).toEqual([]);
    load();
    expect(shown.map((n) => n.body)).toEqual(['after the snapshot']);
  });

  it('stays quiet about the conversation on screen in a focused tab', () => {
    const { client, store, shown, played, message, load } = setup();
    load();
    store.setState({ selectedConversationId: 'c1', focused: true });
    client.emit(message('you are reading this'));
    expect(shown).toEqual([]);
    expect(played).toEqual([]);
    // Another tab has the focus: the same conversation notifies.
    store.setState({ focused: false });
    client.emit(message('now you are not'));
    expect(shown).toHaveLength(1);
  });

  it('muted: the notification shows, the sound does not', () => {
    const { client, store, shown, played, message, load } = setup();
    load();
    store.setState({ chatSettings: { ...DEFAULT_CHAT_SETTINGS, muteSounds: true } });
    client.emit(message('quietly'));
    expect(shown).toHaveLength(1);
    expect(played).toEqual([]);
  });

  it('busy means do not disturb (no notice, no sound) unless the setting is off', () => {
    const { client, store, shown, played, message, load, nextSeq } = setup();
    load();
    client.emit({ type: 'status', status: busy, seq: nextSeq() });
    client.emit(message('not now'));
    client.emit({
      type: 'watcher',
      watcher: { aor: 'sip:carol@example.org', status: 'pending', source: 'direct', subscribed: true, lastSeen: 0 },
      seq: nextSeq(),
    });
    expect(shown).toEqual([]);
    expect(played).toEqual([]);
    store.setState({ chatSettings: { ...DEFAULT_CHAT_SETTINGS, quietWhenBusy: false } });
    client.emit(message('busy but told'));
    expect(shown.map((n) => n.body)).toEqual(['busy but told']);
  });

  it('a watcher request notifies once with the request sound, and is taken back when answered', () => {
    const { client, shown, withdrawn, played, load, nextSeq } = setup();
    load();
    const watcher = { aor: 'sip:carol@example.org', status: 'pending' as const, source: 'direct' as const, subscribed: true, lastSeen: 0 };
    client.emit({ type: 'watcher', watcher, seq: nextSeq() });
    client.emit({ type: 'watcher', watcher, seq: nextSeq() });
    expect(shown.map((n) => [n.kind, n.body])).toEqual([['request', 'carol wants to see your status']]);
    expect(played).toEqual(['request.wav']);
    client.emit({ type: 'watcher', watcher: { ...watcher, status: 'allowed' }, seq: nextSeq() });
    expect(withdrawn).toEqual(['watcher:sip:carol@example.org']);
  });

  it('a watcher request that came before notifications were allowed, with the sounds muted, is shown at its next event', () => {
    const { client, store, shown, played, allowed, load, nextSeq } = setup();
    store.setState({ chatSettings: { ...DEFAULT_CHAT_SETTINGS, muteSounds: true } });
    load();
    const watcher = { aor: 'sip:carol@example.org', status: 'pending' as const, source: 'server' as const, subscribed: true, lastSeen: 0 };
    allowed.value = false;
    client.emit({ type: 'watcher', watcher, seq: nextSeq() }); // at login, from the server's watcher-info
    expect(shown).toEqual([]);
    allowed.value = true;
    client.emit({ type: 'watcher', watcher: { ...watcher, source: 'direct' }, seq: nextSeq() }); // their SUBSCRIBE reaches us
    expect(shown.map((n) => n.body)).toEqual(['carol wants to see your status']);
    expect(played).toEqual([]);
  });

  it('a watcher request heard while notifications are not allowed is not played again at its next events', () => {
    const { client, shown, played, allowed, load, nextSeq } = setup();
    load();
    const watcher = { aor: 'sip:carol@example.org', status: 'pending' as const, source: 'server' as const, subscribed: true, lastSeen: 0 };
    allowed.value = false;
    client.emit({ type: 'watcher', watcher, seq: nextSeq() });
    client.emit({ type: 'watcher', watcher, seq: nextSeq() }); // a refresh of carol's subscription
    expect(played).toEqual(['request.wav']);
    expect(shown).toEqual([]);
  });

  it('a conversation read takes its notification back', () => {
    const { client, withdrawn, message, load, nextSeq } = setup();
    load();
    client.emit(message('lunch?'));
    client.emit({ type: 'conversation', conversation: { id: 'c1', peer: BOB, callId: 'x', lastActivity: 1, unread: 0 }, seq: nextSeq() });
    expect(withdrawn).toEqual(['conversation:c1']);
  });
});
