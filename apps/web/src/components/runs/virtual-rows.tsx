'use client';
/** Renders only the rows in view (fixed row height), so thousands of runs scroll without freezing. */
import { useCallback, useRef, useState, type ReactNode } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  header: ReactNode;
  headerHeight: number;
  renderRow: (item: T, index: number, style: React.CSSProperties) => ReactNode;
  onEndReached?: () => void;
  label: string;
}

export function VirtualRows<T>({ items, rowHeight, header, headerHeight, renderRow, onEndReached, label }: Props<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ top: 0, height: 800 });
  const onScroll = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    setRange({ top: el.scrollTop, height: el.clientHeight });
    if (onEndReached && el.scrollTop + el.clientHeight > el.scrollHeight - rowHeight * 10) onEndReached();
  }, [onEndReached, rowHeight]);
  const overscan = 8;
  const first = Math.max(0, Math.floor(range.top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((range.top + range.height) / rowHeight) + overscan);
  const visible = items.slice(first, last);
  return (
    <div className="vlist" ref={ref} onScroll={onScroll} role="table" aria-label={label} aria-rowcount={items.length}>
      {header}
      <div style={{ position: 'relative', height: items.length * rowHeight }}>
        {visible.map((item, i) => renderRow(item, first + i, { top: (first + i) * rowHeight, height: rowHeight }))}
      </div>
      <div style={{ height: 0 }} data-header-height={headerHeight} />
    </div>
  );
}
