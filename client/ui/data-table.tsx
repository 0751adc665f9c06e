import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { shouldLoadMore } from './data-table-window.ts';
import './data-table.css';

export type DataTableColumn<T> = {
  id: string;
  /** Already translated. */
  header: string;
  cell: (row: T) => ReactNode;
  /** A CSS grid track; by default the columns share the width. */
  width?: string;
};

type Props<T> = {
  /** Already translated; read by screen readers, not shown. */
  caption: string;
  columns: readonly DataTableColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** data-testid of each row. */
  rowTestId?: string;
  rowAttributes?: (row: T) => Record<`data-${string}`, string>;
  /** Called when the last rows come into view: the next page is wanted. */
  onEndReached?: () => void;
  /** A first guess of a row's height; rows are measured once shown. */
  estimateRowHeight?: number;
  /** Shown under the rows: loading, the end of the list, a retry. */
  footer?: ReactNode;
};

/**
 * A table of any length that keeps only the rows on screen in the page (@tanstack/react-virtual):
 * the scroll area holds the full height, and each shown row is placed at its offset. It stays a
 * real <table> for assistive technology, which is told the full count (aria-rowcount) and each
 * row's place in it (aria-rowindex), since most rows are not in the page at any moment.
 */
export function DataTable<T>({ caption, columns, rows, rowKey, rowTestId, rowAttributes, onEndReached, estimateRowHeight = 48, footer }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    overscan: 8,
    getItemKey: (index) => {
      const row = rows[index];
      return row === undefined ? index : rowKey(row);
    },
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.at(-1)?.index;
  const requestedAt = useRef<number | null>(null);
  useEffect(() => {
    if (onEndReached === undefined || !shouldLoadMore(lastVisible, rows.length, requestedAt.current)) return;
    requestedAt.current = rows.length;
    onEndReached();
  }, [lastVisible, rows.length, onEndReached]);

  const layout = { '--virtual-table-columns': columns.map((column) => column.width ?? 'minmax(6rem, 1fr)').join(' ') } as CSSProperties;
  return (
    <div className="virtual-table-scroll" ref={scrollRef} style={layout}>
      <table className="virtual-table" aria-rowcount={rows.length + 1}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((column) => (
              <th key={column.id} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody style={{ height: `${String(virtualizer.getTotalSize())}px` }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (row === undefined) return null;
            return (
              <tr
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                data-testid={rowTestId}
                aria-rowindex={item.index + 2}
                style={{ transform: `translateY(${String(item.start)}px)` }}
                {...rowAttributes?.(row)}
              >
                {columns.map((column) => (
                  <td key={column.id}>{column.cell(row)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {footer !== undefined && <div className="virtual-table-footer">{footer}</div>}
    </div>
  );
}
