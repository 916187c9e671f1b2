import { describe, expect, it } from 'vitest';
import type { ManualStatus } from '../../../shared/domain/presence.js';
import { silentLogger } from '../../support/logger.js';
import type { IncomingChat } from '../conversations/incoming-chat.js';
import { STATUS_NOTE_TYPE, StatusSync } from './status-sync.js';

const OURS = 'sip:alice@parley.test';
const BUSY: ManualStatus = { view: { availability: 'busy', note: 'Meeting', activities: [] }, until: 'cleared', setAt: 1_000 };

function harness(options: { trusted?: boolean; address?: string | undefined; last?: number } = {}) {
  const sent: { to: string; contentType: string; body: string }[] = [];
  const adopted: { manual: ManualStatus | null; changedAt: number }[] = [];
  let last = options.last ?? 0;
  const sync = new StatusSync({
    accountAddress: () => ('address' in options ? options.address : OURS),
    fromOurselves: () => options.trusted ?? true,
    send: (to, contentType, body) => sent.push({ to, contentType, body }),
    adopt: (manual, changedAt) => {
      if (changedAt <= last) return false;
      last = changedAt;
      adopted.push({ manual, changedAt });
      return true;
    },
    logger: silentLogger,
  });
  return { sync, sent, adopted };
}

function incoming(body: string) {
  const answers: number[] = [];
  const chat: IncomingChat = {
    request: {
      getHeader: (name) => (name.toLowerCase() === 'content-type' ? STATUS_NOTE_TYPE : undefined),
      body,
      from: { uri: { toString: () => OURS }, displayName: '' },
      to: { uri: { toString: () => OURS } },
      callId: 'c1',
      cseq: 1,
      fromTag: 't1',
    },
    accept: async () => void answers.push(200),
    reject: async ({ statusCode }) => void answers.push(statusCode),
  };
  return { chat, answers };
}

describe('one status across the account’s devices', () => {
  it('a change made here goes to our own address, and a sibling’s note is taken', () => {
    const here = harness();
    here.sync.changed(BUSY, 1_000);
    expect(here.sent).toEqual([
      { to: OURS, contentType: STATUS_NOTE_TYPE, body: JSON.stringify({ v: 1, manual: BUSY, changedAt: 1_000 }) },
    ]);

    const sibling = harness();
    const { chat, answers } = incoming(here.sent[0]!.body);
    sibling.sync.take(chat);
    expect(answers).toEqual([200]);
    expect(sibling.adopted).toEqual([{ manual: BUSY, changedAt: 1_000 }]);
  });

  it('a clear travels as null; an older change than the last one known is answered but not taken', () => {
    const device = harness({ last: 5_000 });
    const older = incoming(JSON.stringify({ v: 1, manual: null, changedAt: 4_000 }));
    device.sync.take(older.chat);
    expect(older.answers).toEqual([200]);
    expect(device.adopted).toEqual([]);
    const newer = incoming(JSON.stringify({ v: 1, manual: null, changedAt: 6_000 }));
    device.sync.take(newer.chat);
    expect(device.adopted).toEqual([{ manual: null, changedAt: 6_000 }]);
  });

  it('a note from anyone but our own account through our server is refused 403, a broken one 400', () => {
    const stranger = harness({ trusted: false });
    const forged = incoming(JSON.stringify({ v: 1, manual: BUSY, changedAt: 9_000 }));
    stranger.sync.take(forged.chat);
    expect(forged.answers).toEqual([403]);
    expect(stranger.adopted).toEqual([]);

    const device = harness();
    for (const body of [
      '{',
      '{"v":2,"manual":null,"changedAt":1}',
      JSON.stringify({ v: 1, manual: { view: 'busy' }, changedAt: 1 }),
      'x'.repeat(9000),
    ]) {
      const broken = incoming(body);
      device.sync.take(broken.chat);
      expect(broken.answers).toEqual([400]);
    }
    expect(device.adopted).toEqual([]);
  });

  it('without a server there is nobody to tell', () => {
    const serverless = harness({ address: undefined });
    serverless.sync.changed(BUSY, 1_000);
    expect(serverless.sent).toEqual([]);
  });
});
