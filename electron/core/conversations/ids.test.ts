import { describe, expect, it } from 'vitest';
import { newCallId, newFromTag, PARLEY_TAG_PREFIX, uuidv7 } from './ids.js';

describe('ids', () => {
  it('makes RFC 9562 version 7 UUIDs that carry their time and sort by it', () => {
    const id = uuidv7(Date.UTC(2026, 10, 26, 12, 0, 0));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 26, 12, 0, 0));
    const ids = Array.from({ length: 50 }, (_, i) => uuidv7(1_700_000_000_000 + i * 7));
    expect([...ids].sort()).toEqual(ids);
  });

  it('never repeats an id, Call-ID or tag, even thousands in the same millisecond', () => {
    const at = Date.now();
    const many = (make: () => string) => new Set(Array.from({ length: 5000 }, make)).size;
    expect(many(() => uuidv7(at))).toBe(5000);
    expect(many(newCallId)).toBe(5000);
    expect(many(newFromTag)).toBe(5000);
    expect(newCallId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newFromTag()).toMatch(new RegExp(`^${PARLEY_TAG_PREFIX}[0-9a-f]{24}$`));
  });
});
