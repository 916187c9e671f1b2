import { useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

/**
 * A long list of the left column (conversations, contacts) as a real <ul> of <li> for screen
 * readers, with only the rows near the view in the DOM: 5,000 contacts cost one screenful. The rows
 * stay in normal flow between two spacers (not moved by transforms), so a row's open menu lies
 * above the rows after it. The same library as the message list (MessageList.tsx), which adds what
 * a chat needs on top: opening at the end, anchoring when older pages land.
 */
export function VirtualRows<T>({
  rows,
  keyOf,
  estimate,
  render,
  overscan = 6,
  testId,
}: {
  rows: readonly T[];
  keyOf(row: T): string;
  /** A row's height before it is measured, in px. */
  estimate(row: T): number;
  render(row: T): ReactNode;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  testId?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLLIElement>({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimate(rows[index]!),
    getItemKey: (index) => keyOf(rows[index]!),
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div ref={scroller} className="virtual-list" data-testid={testId}>
      <ul style={{ paddingTop: before, paddingBottom: after }}>
        {items.map((item) => (
          <li key={item.key} data-index={item.index} ref={virtualizer.measureElement}>
            {render(rows[item.index]!)}
          </li>
        ))}
      </ul>
    </div>
  );
}
