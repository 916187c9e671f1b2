/**
 * A set of received byte positions as sorted, disjoint, merged intervals (1-based, inclusive):
 * what a message's chunks have covered so far, and which parts of a new chunk are new.
 */
export type Interval = readonly [start: number, end: number];

export class ByteRanges {
  private spans: Array<[number, number]> = [];

  get intervals(): readonly Interval[] {
    return this.spans;
  }

  /** Bytes held. */
  get size(): number {
    let n = 0;
    for (const [s, e] of this.spans) n += e - s + 1;
    return n;
  }

  /** How many bytes from the first are held without a gap (what a resumed file transfer keeps). */
  get prefix(): number {
    const first = this.spans[0];
    return first !== undefined && first[0] === 1 ? first[1] : 0;
  }

  /** True when every byte from 1 to `total` is held. */
  covers(total: number): boolean {
    if (total === 0) return true;
    const first = this.spans[0];
    return this.spans.length === 1 && first !== undefined && first[0] === 1 && first[1] >= total;
  }

  /** The parts of [start, end] not held yet, in order. */
  gaps(start: number, end: number): Interval[] {
    const out: Interval[] = [];
    let at = start;
    for (const [s, e] of this.spans) {
      if (e < at) continue;
      if (s > end) break;
      if (s > at) out.push([at, s - 1]);
      at = e + 1;
      if (at > end) break;
    }
    if (at <= end) out.push([at, end]);
    return out;
  }

  add(start: number, end: number): void {
    if (end < start) return;
    const merged: Array<[number, number]> = [];
    let s = start;
    let e = end;
    for (const span of this.spans) {
      if (span[1] + 1 < s || span[0] > e + 1) merged.push(span);
      else {
        s = Math.min(s, span[0]);
        e = Math.max(e, span[1]);
      }
    }
    merged.push([s, e]);
    merged.sort((a, b) => a[0] - b[0]);
    this.spans = merged;
  }
}
