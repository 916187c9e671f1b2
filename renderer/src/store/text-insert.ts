/** Text typed or picked goes where the caret is, replacing a selection, as a text box would do it. */
export function insertAt(text: string, start: number, end: number, insert: string): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start, end, text.length));
  const to = Math.min(text.length, Math.max(start, end, from));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
