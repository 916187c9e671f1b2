/**
 * Brings in the bundled emoji font (Noto Color Emoji, COLRv1, imported by main.tsx) at start, then
 * adds it to the page's font list. Chromium loads a unicode-range piece only when a layout asks for
 * it, and text laid out while the piece was missing (a list row's one-line preview, for one) keeps
 * the empty box even after the piece arrives. Changing the font list once, after every piece has
 * loaded, makes the page lay its text out again with the font in place. The pieces are the app's
 * own files: a few megabytes read from disk, without holding up the first render.
 */
const FAMILY = 'Noto Color Emoji';
const READY_CLASS = 'emoji-font-ready';

export function loadEmojiFont(doc: Document = document): Promise<void> {
  const faces = [...doc.fonts].filter((face) => face.family.replace(/["']/g, '') === FAMILY);
  return Promise.allSettled(faces.map((face) => face.load())).then(() => {
    doc.documentElement.classList.add(READY_CLASS);
  });
}
