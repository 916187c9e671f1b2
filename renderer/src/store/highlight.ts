/**
 * Search-hit highlighting as text segments: the core gives [start, end) ranges into a snippet and
 * the UI renders each segment as a text node (a <mark> around the hits), never as markup.
 */

export interface Segment {
  text: string;
  hit: boolean;
}

/**
 * Cut `text` into plain and highlighted segments. Ranges from the network are not trusted: they
 * are clamped to the text, sorted, and overlapping or touching ones merged; empty ones vanish.
 */
export function highlightSegments(text: string, ranges: readonly (readonly [number, number])[]): Segment[] {
  const clean = ranges
    .map(([start, end]) => [clamp(start, text.length), clamp(end, text.length)] as const)
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of clean) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  const segments: Segment[] = [];
  let at = 0;
  for (const [start, end] of merged) {
    if (start > at) segments.push({ text: text.slice(at, start), hit: false });
    segments.push({ text: text.slice(start, end), hit: true });
    at = end;
  }
  if (at < text.length) segments.push({ text: text.slice(at), hit: false });
  return segments;
}

function clamp(value: number, length: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.min(length, Math.max(0, Math.trunc(value)));
}
