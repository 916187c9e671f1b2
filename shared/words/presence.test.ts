import { describe, expect, it } from 'vitest';
import { presenceServiceWords } from './presence.js';

describe('presenceServiceWords', () => {
  it('says whether each group sees its own status in server mode', () => {
    const server = { mode: 'server', basis: 'detected', serverKind: 'presence-agent' } as const;
    expect(presenceServiceWords(server)).toContain('every watcher sees the same one');
    expect(presenceServiceWords({ ...server, groupViews: true })).toContain('each group sees its own');
    expect(presenceServiceWords({ mode: 'direct', basis: 'detected', serverKind: 'relays' })).toContain('each group sees its own status');
  });
});
