/**
 * The emoji the picker offers, from emojibase-data (Unicode's CLDR names and tags, in English),
 * by category in Unicode's order, and a search over names and tags. Pure: the data is handed in.
 */

/** The fields of emojibase-data's compact entries that the picker reads. */
export interface CompactEmojiEntry {
  unicode: string;
  label: string;
  group?: number;
  order?: number;
  tags?: string[];
}

export interface EmojiGroupMessage {
  message: string;
  order: number;
}

export interface EmojiCategory {
  label: string;
  emojis: CompactEmojiEntry[];
}

/** Emojibase's "component" group: skin tones and hair pieces, not emoji to send alone. */
const COMPONENT_GROUP = 2;

export function buildCatalog(data: readonly CompactEmojiEntry[], groups: readonly EmojiGroupMessage[]): EmojiCategory[] {
  const byGroup = new Map<number, CompactEmojiEntry[]>();
  for (const emoji of data) {
    if (emoji.group === undefined || emoji.group === COMPONENT_GROUP) continue;
    const list = byGroup.get(emoji.group) ?? [];
    list.push(emoji);
    byGroup.set(emoji.group, list);
  }
  return [...groups]
    .sort((a, b) => a.order - b.order)
    .filter((g) => byGroup.has(g.order))
    .map((g) => ({
      label: g.message.charAt(0).toUpperCase() + g.message.slice(1),
      emojis: byGroup.get(g.order)!.sort((a, b) => (a.order ?? 0) - (b.order ?? 0)),
    }));
}

/** Emoji whose name or a tag starts with every word typed ("red heart", "thumbs up", "smi"), best first. */
export function searchEmoji(categories: readonly EmojiCategory[], query: string, limit = 120): CompactEmojiEntry[] {
  const words = query.toLowerCase().split(/\s+/u).filter(Boolean);
  if (words.length === 0) return [];
  const found: { emoji: CompactEmojiEntry; rank: number }[] = [];
  for (const category of categories) {
    for (const emoji of category.emojis) {
      const label = emoji.label.toLowerCase();
      const terms = [...label.split(/[\s:,]+/u), ...(emoji.tags ?? [])];
      if (!words.every((w) => terms.some((t) => t.startsWith(w)))) continue;
      // A name that starts with the query ranks first, then the rest in catalogue order.
      found.push({ emoji, rank: label.startsWith(words.join(' ')) ? 0 : 1 });
    }
  }
  return found
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((f) => f.emoji);
}

/** The cell an arrow key moves to in a grid of `count` cells, `columns` wide; edges stop. */
export function moveInGrid(index: number, key: string, count: number, columns: number): number {
  switch (key) {
    case 'ArrowRight':
      return Math.min(count - 1, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      return index + columns < count ? index + columns : index;
    case 'ArrowUp':
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return index;
  }
}
