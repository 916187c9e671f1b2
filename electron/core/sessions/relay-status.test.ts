import { describe, expect, it } from 'vitest';
import type { ParleyEventOf } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { RelayStatus, relayProblem } from './relay-status.js';

const relay = 'msrp://relay.example.org:2855';

describe('relayProblem', () => {
  it('tells a refused password, another refusal and a relay out of reach apart, and nothing when the login worked', () => {
    expect(relayProblem(relay, { ok: true })).toBeNull();
    const password = relayProblem(relay, { ok: false, code: 401, reason: 'the relay refused the user name or password (401)' });
    expect(password).toEqual({ code: 'relay.bad-credentials', params: { relay } });
    expect(wordReason(password!)).toBe(
      'The MSRP relay msrp://relay.example.org:2855 refused the user name or password (401): chats go by paging mode.',
    );
    expect(relayProblem(relay, { ok: false, code: 403, reason: 'the relay refused AUTH: 403' })).toEqual({
      code: 'relay.refused',
      params: { relay, status: 403 },
    });
    const away = relayProblem(
      relay,
      { ok: false, code: undefined, reason: 'the relay cannot be reached: ECONNREFUSED' },
      'connect ECONNREFUSED',
    );
    expect(wordReason(away!)).toBe(
      'The MSRP relay msrp://relay.example.org:2855 cannot be reached (connect ECONNREFUSED): chats go by paging mode.',
    );
  });
});

describe('RelayStatus', () => {
  it('tells each cause once, and that the relay works again once', () => {
    const events: ParleyEventOf<'relay'>[] = [];
    const status = new RelayStatus((event) => events.push(event));
    const refused = { code: 'relay.bad-credentials' as const, params: { relay } };
    status.set(null); // working from the start: nothing to tell
    status.set(refused);
    status.set({ ...refused, params: { relay } }); // the next chat, refused the same way
    expect(status.current).toEqual(refused);
    status.set({ code: 'relay.unreachable', params: { relay, error: 'timeout' } });
    status.set(null);
    status.set(null);
    expect(events.map((e) => e.problem?.code ?? null)).toEqual(['relay.bad-credentials', 'relay.unreachable', null]);
    expect(status.current).toBeNull();
  });
});
