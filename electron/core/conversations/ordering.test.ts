import { describe, expect, it } from 'vitest';
import { orderBetween, placeIncoming, REORDER_SPAN } from './ordering.js';

const run = (epoch: number, cseqs: number[]) => ({
  view: { epoch, minCSeq: Math.min(...cseqs), maxCSeq: Math.max(...cseqs) },
  has: (cseq: number) => cseqs.includes(cseq),
});

describe('placeIncoming', () => {
  it('appends the first message of a sender and Call-ID, and every higher CSeq', () => {
    expect(placeIncoming(undefined, 7, () => false)).toEqual({ kind: 'append', epoch: 0 });
    const r = run(2, [1, 3, 5]);
    expect(placeIncoming(r.view, 7, r.has)).toEqual({ kind: 'append', epoch: 2 });
  });

  it('slots a late lower CSeq the run does not hold, also a little below its start', () => {
    const r = run(0, [3, 7, 9]);
    expect(placeIncoming(r.view, 5, r.has)).toEqual({ kind: 'slot', epoch: 0 });
    expect(placeIncoming(r.view, 1, r.has)).toEqual({ kind: 'slot', epoch: 0 });
  });

  it('starts a new run when a CSeq comes again (the sender restarted) or far below the run', () => {
    const r = run(0, [1, 2, 3]);
    expect(placeIncoming(r.view, 1, r.has)).toEqual({ kind: 'append', epoch: 1 });
    const high = run(4, [1000, 1002]);
    expect(placeIncoming(high.view, 1000 - REORDER_SPAN - 1, high.has)).toEqual({ kind: 'append', epoch: 5 });
  });
});

describe('orderBetween', () => {
  it('is strictly between its neighbours, or below the first', () => {
    expect(orderBetween(3, 4)).toBe(3.5);
    expect(orderBetween(undefined, 1)).toBe(0);
    const x = orderBetween(3, 3.5);
    expect(x).toBeGreaterThan(3);
    expect(x).toBeLessThan(3.5);
  });
});
