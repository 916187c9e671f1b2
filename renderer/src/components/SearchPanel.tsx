import { useId, useState, type FormEvent } from 'react';
import type { SearchHit } from '../../../shared/ipc.js';
import { formatTime } from '../store/local-time.js';
import { peerOf } from '../store/model.js';
import { highlightSegments } from '../store/highlight.js';
import { useApp } from '../store/context.js';
import { usePeerName } from './usePeerName.js';
import { useNow } from './useNow.js';

/** Full-text search in the history; a hit opens its conversation at that message. */
export function SearchPanel() {
  const search = useApp((s) => s.search);
  const searchHistory = useApp((s) => s.searchHistory);
  const clearSearch = useApp((s) => s.clearSearch);
  const [query, setQuery] = useState('');
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void searchHistory(query);
  };
  return (
    <section className="search" aria-label="Search in history">
      <form role="search" onSubmit={onSubmit}>
        <label htmlFor={id}>Search messages</label>
        <div className="inline">
          <input
            id={id}
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              if (e.target.value === '') clearSearch();
            }}
            data-testid="search-input"
          />
          <button type="submit" className="secondary" data-testid="search-submit">
            Search
          </button>
        </div>
      </form>
      {search.status === 'searching' && (
        <p className="muted" role="status">
          Searching…
        </p>
      )}
      {search.status === 'failed' && (
        <p className="form-error" role="alert" data-testid="search-error">
          Search failed: {search.error}
        </p>
      )}
      {search.status === 'done' && <SearchResults hits={search.hits} query={search.query} />}
    </section>
  );
}

function SearchResults({ hits, query }: { hits: SearchHit[]; query: string }) {
  const openHit = useApp((s) => s.openSearchHit);
  const now = useNow(true, 60_000);
  if (hits.length === 0) {
    return (
      <p className="muted" role="status" data-testid="search-empty">
        Nothing found for “{query}”.
      </p>
    );
  }
  return (
    <ul className="search-hits" aria-label={`Results for ${query}`} data-testid="search-hits">
      {hits.map((hit) => (
        <SearchHitItem key={hit.message.id} hit={hit} now={now} onOpen={openHit} />
      ))}
    </ul>
  );
}

/** One hit: who (by name, not address), when, and the snippet with the words found marked. */
function SearchHitItem({ hit, now, onOpen }: { hit: SearchHit; now: number; onOpen: (hit: SearchHit) => Promise<void> }) {
  const ownName = useApp((s) => s.conversations[hit.message.conversationId]?.peerName);
  const name = usePeerName(peerOf(hit.message), ownName);
  return (
    <li>
      <button type="button" className="search-hit" onClick={() => void onOpen(hit)} data-testid="search-hit">
        <span className="peer">{name}</span>
        <span className="when">{formatTime(hit.message.at, now)}</span>
        <span className="snippet" data-testid="search-snippet">
          {highlightSegments(hit.snippet, hit.ranges).map((segment, i) =>
            segment.hit ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>,
          )}
        </span>
      </button>
    </li>
  );
}
