import { describe, expect, it } from 'vitest';
import { createNoticeShelf } from './shelf.js';

const notice = () => ({
  closed: 0,
  close() {
    this.closed += 1;
  },
});

describe('the notice shelf', () => {
  it('keeps one per key, takes back, forgets only what still holds its key, and clears', () => {
    const shelf = createNoticeShelf<ReturnType<typeof notice>>();
    const [a, b, c] = [notice(), notice(), notice()];
    shelf.put('conversation:1', a);
    shelf.put('conversation:1', b);
    expect([a.closed, b.closed]).toEqual([1, 0]);
    // The older one closing by itself does not lose the newer one.
    shelf.forget('conversation:1', a);
    shelf.withdraw('conversation:1');
    expect(b.closed).toBe(1);
    shelf.withdraw('conversation:1');
    expect(b.closed).toBe(1);
    shelf.put('watcher:sip:carol@example.org', c);
    shelf.clear();
    expect(c.closed).toBe(1);
  });
});
