/**
 * Our own small emoji picker over emojibase-data. Not a ready-made one: emoji-mart and
 * emoji-picker-react inject <style> elements at run time (their issues #984 and #186) and emoji-mart
 * fetches its data from a CDN unless handed it; our CSP (style-src 'self', connect-src 'self') bars
 * both. The data (≈570 kB) is loaded on first opening, as a chunk of our own bundle.
 */
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { buildCatalog, moveInGrid, searchEmoji, type CompactEmojiEntry, type EmojiCategory } from './emoji-catalog.js';
import '../../styles/chat.css';

/** Cells per row; the grid's CSS has the same number of columns. */
const COLUMNS = 8;

let catalogLoad: Promise<EmojiCategory[]> | null = null;
function loadCatalog(): Promise<EmojiCategory[]> {
  catalogLoad ??= Promise.all([import('emojibase-data/en/compact.json'), import('emojibase-data/en/messages.json')]).then(
    ([data, messages]) => buildCatalog(data.default as unknown as CompactEmojiEntry[], messages.default.groups),
  );
  return catalogLoad;
}

export function EmojiPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const [catalog, setCatalog] = useState<EmojiCategory[] | null>(null);
  const [category, setCategory] = useState(0);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const grid = useRef<HTMLDivElement>(null);
  const search = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    void loadCatalog().then((c) => live && setCatalog(c));
    search.current?.focus();
    return () => {
      live = false;
    };
  }, []);

  const shown: CompactEmojiEntry[] = useMemo(() => {
    if (!catalog) return [];
    return query.trim() ? searchEmoji(catalog, query) : (catalog[category]?.emojis ?? []);
  }, [catalog, category, query]);

  const focusCell = (index: number) => {
    setActive(index);
    grid.current?.querySelectorAll<HTMLButtonElement>('button')[index]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
    }
  };
  const onGridKey = (event: KeyboardEvent) => {
    const next = moveInGrid(active, event.key, shown.length, COLUMNS);
    if (next !== active || ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) {
      event.preventDefault();
      if (event.key === 'ArrowUp' && next === active) return search.current?.focus();
      focusCell(next);
    }
  };

  return (
    // The picker's own keys (Escape, and moving between its parts) are handled where focus sits inside it.
    // eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions
    <div className="emoji-picker" role="dialog" aria-label="Emoji" onKeyDown={onKeyDown} data-testid="emoji-picker">
      <div className="emoji-tabs" role="tablist" aria-label="Emoji categories">
        {(catalog ?? []).map((c, i) => (
          <button
            key={c.label}
            type="button"
            role="tab"
            aria-selected={!query && i === category}
            aria-controls={`${id}-grid`}
            title={c.label}
            onClick={() => {
              setQuery('');
              setCategory(i);
              setActive(0);
            }}
            data-testid="emoji-tab"
          >
            <span aria-hidden="true">{c.emojis[0]?.unicode}</span>
            <span className="sr-only">{c.label}</span>
          </button>
        ))}
      </div>
      <label htmlFor={`${id}-search`} className="sr-only">
        Search emoji
      </label>
      <input
        id={`${id}-search`}
        ref={search}
        type="search"
        placeholder="Search emoji"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && shown.length > 0) {
            e.preventDefault();
            focusCell(0);
          } else if (e.key === 'Enter' && shown[0]) {
            e.preventDefault();
            onPick(shown[0].unicode);
          }
        }}
        data-testid="emoji-search"
      />
      {/* Arrow keys move between the emoji buttons inside it (one tab stop for the whole grid). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-element-interactions */}
      <div
        id={`${id}-grid`}
        ref={grid}
        className="emoji-grid"
        role="group"
        aria-label={query.trim() ? `Emoji matching ${query}` : (catalog?.[category]?.label ?? 'Loading emoji')}
        onKeyDown={onGridKey}
      >
        {catalog === null && <p className="muted">Loading…</p>}
        {catalog !== null && shown.length === 0 && <p className="muted">No emoji found.</p>}
        {shown.map((emoji, i) => (
          <button
            key={emoji.unicode}
            type="button"
            className="emoji-cell"
            tabIndex={i === active ? 0 : -1}
            aria-label={emoji.label}
            title={emoji.label}
            onClick={() => onPick(emoji.unicode)}
            data-testid="emoji-option"
          >
            {emoji.unicode}
          </button>
        ))}
      </div>
    </div>
  );
}
