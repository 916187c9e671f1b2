import { describe, expect, it } from 'vitest';
import { localPresRules, mergePresRules } from './pres-rules-sync.js';

const A = 'sip:a@x';
const B = 'sip:b@x';
const C = 'sip:c@x';

describe('pres-rules three-way merge', () => {
  it('keeps what each side decided since the last agreement', () => {
    const base = { decisions: { [A]: 'block' as const }, contacts: [B] };
    const local = { decisions: { [A]: 'block' as const, [B]: 'allow' as const }, contacts: [B] };
    const remote = { decisions: { [A]: 'block' as const, [C]: 'block' as const }, contacts: [B, C] };
    expect(mergePresRules(base, local, remote)).toEqual({ decisions: { [A]: 'block', [B]: 'allow', [C]: 'block' }, contacts: [B, C] });
  });

  it('a decision both sides changed goes this device way; a removal on one side is taken', () => {
    const base = { decisions: { [A]: 'allow' as const, [B]: 'allow' as const }, contacts: [A] };
    const local = { decisions: { [A]: 'block' as const, [B]: 'allow' as const }, contacts: [] };
    const remote = { decisions: { [A]: 'allow' as const }, contacts: [A] };
    const merged = mergePresRules(base, local, remote);
    expect(merged.decisions).toEqual({ [A]: 'block' });
    expect(merged.contacts).toEqual([]);
  });

  it("views: the classes are this device's, the key the server's when the two differ", () => {
    const base = { decisions: {}, contacts: [] };
    const local = { decisions: {}, contacts: [A], views: { key: 'mine', self: C, shared: 's1', classes: { [A]: 'x1' } } };
    const remote = { decisions: {}, contacts: [A], views: { key: 'theirs', self: C, shared: 's2', classes: { [A]: 'y1' } } };
    expect(mergePresRules(base, local, remote).views).toEqual({ key: 'theirs', self: C, shared: 's2', classes: { [A]: 'x1' } });
    expect(mergePresRules(base, { ...local, views: { ...local.views, key: 'theirs' } }, remote).views?.classes).toEqual({ [A]: 'x1' });
  });

  it('local rules keep the classes of allowed watchers only', () => {
    const views = { key: 'k', self: C, shared: 's', classes: { [A]: 'x', [B]: 'y', [C]: 'z' } };
    const watchers = [
      { aor: B, status: 'blocked' as const, source: 'server' as const, subscribed: false, lastSeen: 0 },
      { aor: C, status: 'allowed' as const, source: 'server' as const, subscribed: false, lastSeen: 0 },
    ];
    expect(localPresRules(watchers, [{ aor: A }, { aor: B }], views).views?.classes).toEqual({ [A]: 'x', [C]: 'z' });
  });
});
