/**
 * The composer grows with its text, line by line, up to a share of the conversation's height;
 * past that it keeps its height and scrolls inside, so the messages stay in view.
 */
export const COMPOSER_MAX_SHARE = 0.4;

export interface ComposerHeight {
  /** Height to give the text box, in CSS pixels. */
  height: number;
  /** The text is taller than that: the box scrolls. */
  scrolls: boolean;
}

/**
 * `content`: the text's own height (scrollHeight with the box at its minimum); `min`: the box's
 * one-line height; `view`: the conversation view's height.
 */
export function composerHeight(content: number, min: number, view: number, share = COMPOSER_MAX_SHARE): ComposerHeight {
  const max = Math.max(min, Math.floor(view * share));
  const wanted = Math.max(min, Math.ceil(content));
  return { height: Math.min(wanted, max), scrolls: wanted > max };
}
