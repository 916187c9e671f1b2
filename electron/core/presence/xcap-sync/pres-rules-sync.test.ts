import { describe, expect, it } from 'vitest';
import { mergePresRules } from './pres-rules-sync.js';

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
});
