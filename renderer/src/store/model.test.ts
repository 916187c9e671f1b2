import { describe, expect, it } from 'vitest';
import type { SequencedEvent, Snapshot } from '../../../shared/ipc.js';
import { testMessage } from '../testing/messages.js';
import { EMPTY_PRESENCE } from '../../../shared/contract/presence.js';
import { buddyOf } from './buddy-map.js';
import {
  addLocalNotice,
  applyEvent,
  applyEvents,
  DEFAULT_COMPOSING_LAPSE_MS,
  fromSnapshot,
  lapseComposing,
  markReadLocally,
  replaceMessage,
  setMessageState,
  initialModel,
  MAX_MESSAGES_PER_CONVERSATION,
  MAX_NOTICES,
  mergeHistory,
  mergeResultMessage,
  selectConversation,
  type ReadModel,
} from './model.js';

const message = testMessage;

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    seq: 10,
    account: { aor: 'sip:alice@example.org', transport: 'udp', registerExpires: 600, hasPassword: true },
    registration: { state: 'registering' },
    listening: [],
    conversations: [{ id: 'c1', peer: 'sip:bob@example.org', callId: 'call-1', lastActivity: 1000, unread: 0 }],
    messages: [message()],
    presence: EMPTY_PRESENCE,
    drafts: {},
    ...overrides,
  };
}

const ev = <E extends SequencedEvent>(e: E): E => e;

describe('fromSnapshot', () => {
  it('replaces the core-owned state and indexes messages by conversation', () => {
    const model = fromSnapshot(snapshot());
    expect(model.seq).toBe(10);
    expect(model.account?.aor).toBe('sip:alice@example.org');
    expect(model.conversations.c1?.peer).toBe('sip:bob@example.org');
    expect(model.messages.c1?.map((m) => m.id)).toEqual(['m1']);
  });

  it('keeps notices and a still-valid selection, and drops a selection that is gone', () => {
    const previous: ReadModel = { ...initialModel, notices: [{ id: 1, level: 'info', text: 'hi' }], selectedConversationId: 'c1' };
    expect(fromSnapshot(snapshot(), previous).selectedConversationId).toBe('c1');
    expect(fromSnapshot(snapshot(), previous).notices).toHaveLength(1);
    expect(fromSnapshot(snapshot({ conversations: [], messages: [] }), previous).selectedConversationId).toBeNull();
  });
});

describe('applyEvent', () => {
  const base = fromSnapshot(snapshot());

  it('drops events the snapshot already reflects (seq <= snapshot.seq)', () => {
    const old = ev({ type: 'registration', state: 'failed', reason: { code: 'register.timeout' }, seq: 10 });
    expect(applyEvent(base, old)).toBe(base);
    const older = ev({ type: 'registration', state: 'failed', seq: 3 });
    expect(applyEvent(base, older)).toBe(base);
  });

  it('applies a registration event without its envelope fields', () => {
    const next = applyEvent(
      base,
      ev({ type: 'registration', state: 'registered', expires: 600, expiresAt: 5000, aor: 'sip:alice@example.org', seq: 11 }),
    );
    expect(next.registration).toEqual({ state: 'registered', expires: 600, expiresAt: 5000 });
    expect(next.seq).toBe(11);
    expect(base.registration.state).toBe('registering');
  });

  it('applies listening and account events', () => {
    const addresses = [{ transport: 'udp' as const, host: '127.0.0.1', port: 5070, uri: 'sip:alice@127.0.0.1:5070' }];
    let next = applyEvent(base, ev({ type: 'listening', addresses, seq: 11 }));
    expect(next.listening).toEqual(addresses);
    next = applyEvent(next, ev({ type: 'account', account: null, seq: 12 }));
    expect(next.account).toBeNull();
  });

  it('adds an incoming message, creating its conversation and counting it unread', () => {
    const incoming = message({
      id: 'm2',
      conversationId: 'c2',
      direction: 'in',
      from: 'sip:carol@example.org',
      to: 'sip:alice@example.org',
      callId: 'x',
      at: 2000,
      state: 'received',
    });
    const next = applyEvent(base, { ...incoming, type: 'message', seq: 11 });
    expect(next.conversations.c2).toEqual({ id: 'c2', peer: 'sip:carol@example.org', callId: 'x', lastActivity: 2000, unread: 1 });
    expect(next.messages.c2?.[0]?.body).toBe('hello');
  });

  it('counts incoming messages as the core does (the open one is marked read through the core), but not a repeat', () => {
    const open = { ...base, selectedConversationId: 'c1' };
    const incoming = { ...message({ id: 'm2', direction: 'in', at: 2000, state: 'received' as const }), type: 'message' as const };
    expect(applyEvent(open, { ...incoming, seq: 11 }).conversations.c1?.unread).toBe(1);
    const once = applyEvent(base, { ...incoming, seq: 11 });
    const twice = applyEvent(once, { ...incoming, seq: 12 });
    expect(twice.conversations.c1?.unread).toBe(1);
    expect(twice.messages.c1).toHaveLength(2);
  });

  it("takes the core's word for a conversation (upsert)", () => {
    const conversation = { id: 'c1', peer: 'sip:bob@example.org', callId: 'call-1', lastActivity: 9000, unread: 4 };
    const next = applyEvent(base, ev({ type: 'conversation', conversation, seq: 11 }));
    expect(next.conversations.c1).toEqual(conversation);
    const added = applyEvent(next, ev({ type: 'conversation', conversation: { ...conversation, id: 'c2' }, seq: 12 }));
    expect(Object.keys(added.conversations).sort()).toEqual(['c1', 'c2']);
  });

  it("shows messages by the core's order when they carry one, whatever their time", () => {
    let next = applyEvent(base, { ...message({ id: 'b', direction: 'in', at: 5000, order: 2 }), type: 'message', seq: 11 });
    next = applyEvent(next, { ...message({ id: 'a', direction: 'in', at: 5100, order: 1 }), type: 'message', seq: 12 });
    next = applyEvent(next, { ...message({ id: 'c', direction: 'in', at: 4000, order: 3 }), type: 'message', seq: 13 });
    expect(next.messages.c1?.map((m) => m.id)).toEqual(['m1', 'a', 'b', 'c']);
  });

  it('tracks a typing peer: active sets it with its lapse time, inactive or a message from them ends it', () => {
    const typing = applyEvent(
      base,
      ev({ type: 'composing', conversationId: 'c1', peer: 'sip:bob@example.org', active: true, refreshMs: 60_000, seq: 11 }),
    );
    expect(typing.composing.c1).toEqual({ peer: 'sip:bob@example.org', lapseMs: 60_000, seq: 11 });
    const again = applyEvent(typing, ev({ type: 'composing', conversationId: 'c1', peer: 'sip:bob@example.org', active: true, seq: 12 }));
    expect(again.composing.c1).toEqual({ peer: 'sip:bob@example.org', lapseMs: DEFAULT_COMPOSING_LAPSE_MS, seq: 12 });
    expect(
      applyEvent(again, ev({ type: 'composing', conversationId: 'c1', peer: 'sip:bob@example.org', active: false, seq: 13 })).composing,
    ).toEqual({});
    const said = applyEvent(again, { ...message({ id: 'm5', direction: 'in', state: 'received', at: 3000 }), type: 'message', seq: 13 });
    expect(said.composing).toEqual({});
    // A stale lapse timer (for seq 11) does not end the newer indication; the current one does.
    expect(lapseComposing(again, 'c1', 11)).toBe(again);
    expect(lapseComposing(again, 'c1', 12).composing).toEqual({});
    // A peer typing before there is a conversation with them has no window to show it in.
    expect(
      applyEvent(base, ev({ type: 'composing', conversationId: '', peer: 'sip:eve@example.org', active: true, seq: 11 })).composing,
    ).toEqual({});
  });

  it('keeps messages in time order, and our own sends in one window in CSeq order', () => {
    let next = applyEvent(base, { ...message({ id: 'late', at: 3000, cseq: 3 }), type: 'message', seq: 11 });
    next = applyEvent(next, { ...message({ id: 'early', at: 500, cseq: 0 }), type: 'message', seq: 12 });
    next = applyEvent(next, { ...message({ id: 'same-time', at: 3000, cseq: 2 }), type: 'message', seq: 13 });
    expect(next.messages.c1?.map((m) => m.id)).toEqual(['early', 'm1', 'same-time', 'late']);
  });

  it('updates the delivery state, reason and code of one message', () => {
    const offline = { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } } as const;
    const failed = applyEvent(
      base,
      ev({ type: 'delivery', id: 'm1', conversationId: 'c1', state: 'failed', reason: offline, code: 480, seq: 11 }),
    );
    expect(failed.messages.c1?.[0]).toMatchObject({ state: 'failed', reason: offline, code: 480 });
    const delivered = applyEvent(failed, ev({ type: 'delivery', id: 'm1', conversationId: 'c1', state: 'delivered', seq: 12 }));
    expect(delivered.messages.c1?.[0]).toMatchObject({ state: 'delivered', reason: undefined, code: undefined });
  });

  it('ignores a delivery event for a message it does not hold, but still advances seq', () => {
    const next = applyEvent(base, ev({ type: 'delivery', id: 'nope', conversationId: 'c1', state: 'delivered', seq: 11 }));
    expect(next.messages).toBe(base.messages);
    expect(next.seq).toBe(11);
  });

  it('keeps the most recent notices only', () => {
    const events = Array.from({ length: MAX_NOTICES + 2 }, (_, i) => ev({ type: 'notice', level: 'info', text: `n${i}`, seq: 11 + i }));
    const next = applyEvents(base, events);
    expect(next.notices.map((n) => n.text)).toEqual(events.slice(-MAX_NOTICES).map((e) => e.text));
  });

  it('is pure: the input state is never changed', () => {
    const frozen = JSON.stringify(base);
    applyEvents(base, [
      { ...message({ id: 'm9', direction: 'in', state: 'received' }), type: 'message', seq: 11 },
      ev({ type: 'delivery', id: 'm1', conversationId: 'c1', state: 'delivered', seq: 12 }),
    ]);
    expect(JSON.stringify(base)).toBe(frozen);
  });
});

describe('command results and local changes', () => {
  const base = fromSnapshot(snapshot());

  it('a sendMessage result never overwrites what a faster delivery event said', () => {
    const delivered = applyEvent(base, ev({ type: 'delivery', id: 'm1', conversationId: 'c1', state: 'delivered', seq: 11 }));
    const merged = mergeResultMessage(delivered, message({ state: 'sending' }));
    expect(merged.messages.c1?.[0]?.state).toBe('delivered');
  });

  it('a sendMessage result for a new conversation creates it', () => {
    const merged = mergeResultMessage(base, message({ id: 'n1', conversationId: 'c9', to: 'sip:dave@example.org' }));
    expect(merged.conversations.c9?.peer).toBe('sip:dave@example.org');
    expect(merged.conversations.c9?.unread).toBe(0);
  });

  it('merges older history in front', () => {
    const merged = mergeHistory(base, 'c1', [message({ id: 'old', at: 10 }), message({ id: 'other', conversationId: 'c2', at: 5 })]);
    expect(merged.messages.c1?.map((m) => m.id)).toEqual(['old', 'm1']);
    expect(merged.messages.c2).toBeUndefined();
  });

  it('a run of buddy events gives the same model as one at a time, events the model holds skipped', () => {
    const buddy = (n: number, availability: 'online' | 'busy', seq: number) =>
      ev({
        type: 'buddy',
        seq,
        buddy: { aor: `sip:b${n}@example.org`, view: { availability, activities: [] }, subscription: 'active', stale: false },
      });
    const events = [
      buddy(1, 'online', 9),
      buddy(1, 'busy', 11),
      buddy(2, 'online', 12),
      ev({ type: 'notice', seq: 13, level: 'info', text: 'x' }),
      buddy(1, 'online', 14),
    ];
    const batched = applyEvents(base, events);
    const single = events.reduce((state, event) => applyEvent(state, event), base);
    expect(batched).toEqual(single);
    expect(batched.seq).toBe(14);
    expect(buddyOf(batched.presence.buddies, 'sip:b1@example.org')?.view?.availability).toBe('online');
    expect(buddyOf(batched.presence.buddies, 'sip:b2@example.org')?.view?.availability).toBe('online');
  });

  it('the conversation on screen keeps every page paged back through; leaving it cuts it back to the newest', () => {
    const cap = MAX_MESSAGES_PER_CONVERSATION;
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => message({ id: `p${from + i}`, at: from + i - 200_000 }));
    let state = selectConversation(mergeHistory(base, 'c1', page(100_000, cap)), 'c1');
    // Two more pages back, past the cap: nothing is dropped, in order, the live message still last.
    state = mergeHistory(state, 'c1', page(99_900, 100));
    state = mergeHistory(state, 'c1', page(99_800, 100));
    const held = state.messages.c1!;
    expect(held).toHaveLength(cap + 201);
    expect(held[0]!.id).toBe('p99800');
    expect(held.at(-1)!.id).toBe('m1');
    expect(held.every((m, i) => i === 0 || m.at >= held[i - 1]!.at)).toBe(true);
    // A message arriving live on screen drops nothing either.
    state = applyEvent(state, { ...message({ id: 'live', direction: 'in', state: 'received', at: 300_000 }), type: 'message', seq: 11 });
    expect(state.messages.c1).toHaveLength(cap + 202);
    // Leaving it keeps the newest `cap`.
    const left = selectConversation(
      {
        ...state,
        conversations: { ...state.conversations, c2: { id: 'c2', peer: 'sip:carol@example.org', callId: 'x', lastActivity: 0, unread: 0 } },
      },
      'c2',
    );
    expect(left.messages.c1).toHaveLength(cap);
    expect(left.messages.c1!.at(-1)!.id).toBe('live');
  });

  it('a conversation not on screen holds its newest messages only', () => {
    let state = base;
    for (let i = 0; i < MAX_MESSAGES_PER_CONVERSATION + 5; i++) {
      state = applyEvent(state, {
        ...message({ id: `n${i}`, direction: 'in', state: 'received', at: 5000 + i }),
        type: 'message',
        seq: 11 + i,
      });
    }
    expect(state.selectedConversationId).not.toBe('c1');
    expect(state.messages.c1).toHaveLength(MAX_MESSAGES_PER_CONVERSATION);
    expect(state.messages.c1!.at(-1)!.id).toBe(`n${MAX_MESSAGES_PER_CONVERSATION + 4}`);
  });

  it('selecting a conversation changes only the selection; unknown ids change nothing', () => {
    const unread = applyEvent(base, { ...message({ id: 'm2', direction: 'in', state: 'received', at: 2000 }), type: 'message', seq: 11 });
    const selected = selectConversation(unread, 'c1');
    expect(selected.selectedConversationId).toBe('c1');
    expect(selected.conversations.c1?.unread).toBe(1);
    expect(selectConversation(unread, 'missing')).toBe(unread);
  });

  it('marks read locally, and leaves a read conversation as it is', () => {
    const unread = applyEvent(base, { ...message({ id: 'm2', direction: 'in', state: 'received', at: 2000 }), type: 'message', seq: 11 });
    const read = markReadLocally(unread, 'c1');
    expect(read.conversations.c1?.unread).toBe(0);
    expect(markReadLocally(read, 'c1')).toBe(read);
    expect(markReadLocally(read, 'nope')).toBe(read);
  });

  it('a retry or cancel result replaces the message; a local state change clears the old reason', () => {
    const failed = applyEvent(
      base,
      ev({
        type: 'delivery',
        id: 'm1',
        conversationId: 'c1',
        state: 'failed',
        reason: { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } },
        code: 480,
        seq: 11,
      }),
    );
    expect(replaceMessage(failed, message({ state: 'sending' })).messages.c1?.[0]?.state).toBe('sending');
    expect(setMessageState(failed, 'c1', 'm1', 'cancelled').messages.c1?.[0]).toMatchObject({
      state: 'cancelled',
      reason: undefined,
      code: undefined,
    });
    expect(setMessageState(failed, 'c1', 'nope', 'cancelled')).toBe(failed);
  });

  it('local notices take negative ids and are not repeated while shown', () => {
    const withCore = applyEvent(base, ev({ type: 'notice', level: 'info', text: 'from core', seq: 11 }));
    const one = addLocalNotice(withCore, 'warning', 'could not');
    expect(one.notices.map((n) => n.id)).toEqual([11, -1]);
    expect(addLocalNotice(one, 'warning', 'could not')).toBe(one);
    expect(addLocalNotice(one, 'warning', 'other').notices.at(-1)?.id).toBe(-2);
  });
});
