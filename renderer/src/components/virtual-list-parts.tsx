import { forwardRef, type HTMLAttributes } from 'react';

/**
 * The list and item elements react-virtuoso renders for the left column's lists, so screen readers
 * meet a real list (<ul> of <li>) instead of nested divs. Virtuoso hands the item its row data and
 * context as props; they are not attributes, so they are left off the element.
 */
export const VirtualUl = forwardRef<HTMLUListElement, HTMLAttributes<HTMLUListElement>>(function VirtualUl(props, ref) {
  return <ul {...props} ref={ref} />;
});

export const VirtualLi = ({
  item: _item,
  context: _context,
  ...props
}: HTMLAttributes<HTMLLIElement> & { item?: unknown; context?: unknown }) => <li {...props} />;
