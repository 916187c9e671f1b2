import { describe, expect, it } from 'vitest';
import type { ChatMessage, DeliveryState, Reason } from '../../../shared/ipc.js';
import type { OutboxRow } from '../../storage/messages-repo.js';
import { FakeTimers } from '../../sip/testing/fake-timers.js';
import { Outbox, type Settle } from './outbox.js';
import { MAX_AUTOMATIC_ATTEMPTS, MAX_CONNECTIONS_LOST } from './retry-policy.js';

function row(cseq: number, conversationId = 'c1', extra: Partial<ChatMessage> = {}): OutboxRow {
  return {
    message: {
      id: `${conversationId}-${cseq}`,
      conversationId,
      direction: 'out',
      from: 'sip:a@x',
      to: 'sip:b@x',
      callId: 'call',
      cseq,
      contentType: 'text/plain',
      body: `m${cseq}`,
      at: 0,
      order: cseq,
      state: 'queued',
      ...extra,
    },
    fromTag: `tag-${cseq}`,
  };
}

/** An outbox whose wire is a list of sends the test answers by hand. */
function harness(options: { inFlightLimit?: number; stored?: OutboxRow[] } = {}) {
  const clock = new FakeTimers();
  const wire: { id: string; fromTag: string; settle: Settle }[] = [];
  const states: [string, DeliveryState, number?][] = [];
  const reasons: (Reason | undefined)[] = [];
  let connected = true;
  const outbox = new Outbox({
    clock,
    inFlightLimit: options.inFlightLimit ?? 3,
    random: () => 0.5,
    transmit: (entry, settle) => {
      if (!connected) return false;
      wire.push({ id: entry.message.id, fromTag: entry.fromTag, settle });
      return true;
    },
    onState: (message, state, reason, code) => (states.push([message.id, state, code]), reasons.push(reason)),
    explain: (_m, status, _phrase, lostTimes) =>
      lostTimes !== undefined
        ? { code: 'delivery.connection-lost', params: { times: lostTimes } }
        : { code: 'delivery.failed', params: { status } },
    load: () => options.stored ?? [],
  });
  const answer = (id: string, status: number, lost?: boolean) => {
    const at = wire.findIndex((w) => w.id === id);
    expect(at, `${id} is on the wire`).toBeGreaterThanOrEqual(0);
    wire.splice(at, 1)[0]!.settle(status, undefined, lost);
  };
  return { clock, wire, states, reasons, outbox, answer, setConnected: (c: boolean) => (connected = c) };
}

/** Answer every automatic attempt with a transient failure, letting each back-off run out. */
function failUntilParked(h: ReturnType<typeof harness>, id: string, status: number): void {
  for (let i = 0; i < MAX_AUTOMATIC_ATTEMPTS; i++) {
    h.answer(id, status);
    if (h.clock.nextDue !== undefined) h.clock.advance(h.clock.nextDue - h.clock.now());
  }
}

describe('Outbox', () => {
  it('keeps at most `inFlightLimit` in flight per conversation, in CSeq order, the rest queued until a slot frees', () => {
    const h = harness();
    const added = [1, 3, 5, 7, 9].map((c) => h.outbox.add(row(c)));
    expect(added).toEqual(['sending', 'sending', 'sending', 'queued', 'queued']);
    expect(h.outbox.add(row(1, 'c2'))).toBe('sending'); // another conversation has its own limit
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1', 'c1-3', 'c1-5', 'c2-1']);
    h.answer('c1-3', 200);
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1', 'c1-5', 'c2-1', 'c1-7']);
    h.answer('c1-1', 202);
    expect(h.states).toContainEqual(['c1-3', 'delivered', 200]);
    expect(h.states).toContainEqual(['c1-1', 'stored', 202]);
    expect(h.wire.map((w) => w.id)).toContain('c1-9');
  });

  it('a transient failure puts the message back and pauses the lane, then sends again in order with the same From tag', () => {
    const h = harness({ inFlightLimit: 2 });
    [1, 3, 5].forEach((c) => h.outbox.add(row(c)));
    h.answer('c1-1', 408);
    expect(h.states).toContainEqual(['c1-1', 'queued', 408]);
    expect(h.wire.map((w) => w.id)).toEqual(['c1-3']); // paused: 5 does not go yet
    h.answer('c1-3', 200);
    expect(h.wire).toEqual([]);
    h.clock.advance(h.clock.nextDue! - h.clock.now());
    expect(h.wire.map((w) => [w.id, w.fromTag])).toEqual([
      ['c1-1', 'tag-1'],
      ['c1-5', 'tag-5'],
    ]);
  });

  it('after MAX_AUTOMATIC_ATTEMPTS transient failures it parks as failed, and goes again when the connection returns', () => {
    const h = harness();
    h.outbox.add(row(1));
    failUntilParked(h, 'c1-1', 503);
    expect(h.states.at(-1)).toEqual(['c1-1', 'failed', 503]);
    expect(h.wire).toEqual([]);
    expect(h.clock.pending).toBe(0);
    h.outbox.resumeAll();
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1']);
  });

  it('a message the connection closed under MAX_CONNECTIONS_LOST times is failed for good: only the user sends it again', () => {
    const h = harness();
    h.outbox.add(row(1));
    for (let i = 1; i < MAX_CONNECTIONS_LOST; i++) {
      h.answer('c1-1', 503, true);
      expect(h.states.at(-1)).toEqual(['c1-1', 'queued', 503]);
      // the lost connection comes back (registered again): the message goes at once
      h.outbox.resumeAll();
    }
    h.answer('c1-1', 503, true);
    expect(h.states.at(-1)).toEqual(['c1-1', 'failed', 503]);
    expect(h.reasons.at(-1)).toEqual({ code: 'delivery.connection-lost', params: { times: MAX_CONNECTIONS_LOST } });
    expect(h.clock.pending).toBe(0);
    // neither a returning connection nor a delivery in the same conversation brings it back
    h.outbox.resumeAll();
    h.outbox.add(row(3));
    h.answer('c1-3', 200);
    expect(h.wire).toEqual([]);
    // by hand it goes, with a fresh count
    expect(h.outbox.retry({ ...row(1), message: { ...row(1).message, state: 'failed', code: 503 } })).toBe('sending');
    h.answer('c1-1', 503, true);
    expect(h.states.at(-1)).toEqual(['c1-1', 'queued', 503]);
  });

  it('a connection that fails to open (503, not lost under a message) keeps its retries on a returning connection', () => {
    const h = harness();
    h.outbox.add(row(1));
    for (let round = 0; round < MAX_CONNECTIONS_LOST + 1; round++) {
      failUntilParked(h, 'c1-1', 503);
      h.outbox.resumeAll();
    }
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1']);
  });

  it('a permanent failure stays failed: not on a returning connection, only by hand', () => {
    const h = harness();
    h.outbox.add(row(1));
    h.answer('c1-1', 404);
    expect(h.states.at(-1)).toEqual(['c1-1', 'failed', 404]);
    h.outbox.resumeAll();
    expect(h.wire).toEqual([]);
    expect(h.outbox.retry({ ...row(1), message: { ...row(1).message, state: 'failed', code: 404 } })).toBe('sending');
    expect(h.wire.map((w) => [w.id, w.fromTag])).toEqual([['c1-1', 'tag-1']]);
  });

  it('a delivery in a conversation brings back its parked transient failures (direct mode: sending works again)', () => {
    const h = harness();
    h.outbox.add(row(1));
    failUntilParked(h, 'c1-1', 480);
    h.outbox.add(row(3));
    h.answer('c1-3', 200);
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1']);
  });

  it('resumeAll sends what storage holds undelivered (after a restart), skipping permanent failures', () => {
    const stored = [
      row(1, 'c1', { state: 'sending' }),
      row(3, 'c1', { state: 'failed', code: 480 }),
      row(5, 'c1', { state: 'failed', code: 403 }),
    ];
    const h = harness({ stored });
    h.outbox.resumeAll();
    expect(h.wire.map((w) => [w.id, w.fromTag])).toEqual([
      ['c1-1', 'tag-1'],
      ['c1-3', 'tag-3'],
    ]);
    h.outbox.resumeAll(); // already under way: not sent twice
    expect(h.wire).toHaveLength(2);
  });

  it('without an endpoint messages wait queued, and go on resumeAll', () => {
    const h = harness();
    h.setConnected(false);
    expect(h.outbox.add(row(1))).toBe('queued');
    h.setConnected(true);
    h.outbox.resumeAll();
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1']);
  });

  it('cancels waiting and failed messages, never one on the wire; a cancelled message never goes', () => {
    const h = harness({ inFlightLimit: 1 });
    h.outbox.add(row(1));
    h.outbox.add(row(3));
    expect(h.outbox.cancel(row(1).message)).toBe(false);
    expect(h.outbox.cancel(row(3).message)).toBe(true);
    expect(h.states.at(-1)).toEqual(['c1-3', 'cancelled', undefined]);
    h.answer('c1-1', 200);
    expect(h.wire).toEqual([]);
    expect(h.outbox.cancel({ ...row(1).message, state: 'delivered' })).toBe(false);
  });

  it('detach forgets what is in flight: late answers are ignored and resumeAll sends again from storage', () => {
    const stored = [row(1, 'c1', { state: 'sending' })];
    const h = harness({ stored });
    h.outbox.add(row(1));
    const stale = h.wire[0]!;
    h.outbox.detach();
    stale.settle(200);
    expect(h.states.some(([, state]) => state === 'delivered')).toBe(false);
    h.outbox.resumeAll();
    expect(h.wire.map((w) => w.id)).toEqual(['c1-1', 'c1-1']);
  });
});

describe('a refused form', () => {
  it('goes again at once in another form, uncounted and unpaused, in its place; a refusal it cannot reform fails', () => {
    const clock = new FakeTimers();
    const wire: { id: string; form: string; settle: Settle }[] = [];
    const states: [string, DeliveryState][] = [];
    let form = 'message/cpim';
    const outbox = new Outbox({
      clock,
      inFlightLimit: 1,
      transmit: (entry, settle) => {
        entry.sentAs = form;
        wire.push({ id: entry.message.id, form, settle });
        return true;
      },
      onState: (message, state) => states.push([message.id, state]),
      explain: (_m, status) => ({ code: 'delivery.failed', params: { status } }),
      load: () => [],
      // The peer refuses CPIM once: everything after goes plain.
      reform: (entry, status) => {
        if (status !== 415 || entry.sentAs !== 'message/cpim') return false;
        form = 'text/plain';
        return true;
      },
    });
    outbox.add(row(1));
    outbox.add(row(3));
    wire.shift()!.settle(415);
    // c1-1 again, before c1-3, as plain text, with no back-off to wait for.
    expect(wire.map((w) => [w.id, w.form])).toEqual([['c1-1', 'text/plain']]);
    wire.shift()!.settle(200);
    wire.shift()!.settle(415);
    expect(states).toEqual([
      ['c1-1', 'sending'],
      ['c1-1', 'sending'],
      ['c1-1', 'delivered'],
      ['c1-3', 'sending'],
      ['c1-3', 'failed'],
    ]);
  });
});
