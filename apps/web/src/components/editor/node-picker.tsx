'use client';
/**
 * The node picker: opened by a node's "+" or by dropping a connection on empty canvas. Type to filter, Enter (or a
 * click) inserts the step there and connects it; Escape closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { NodeTypeInfo } from '../../lib/api';
import { categoryIcon } from './editor-context';
import { TRIGGER } from './graph-model';

interface Props {
  catalog: NodeTypeInfo[];
  /** Where to show it, in px relative to the canvas. */
  at: { x: number; y: number };
  onPick: (type: string) => void;
  onClose: () => void;
}

export function NodePicker({ catalog, at, onPick, onClose }: Props) {
  const [q, setQ] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const items = useMemo(() => {
    const needle = q.trim().toLowerCase();
    return catalog.filter((n) => n.type !== TRIGGER && (!needle || `${n.label} ${n.type} ${n.description}`.toLowerCase().includes(needle)));
  }, [catalog, q]);
  return (
    <div
      className="node-picker"
      role="dialog"
      aria-label="Add a step"
      style={{ left: at.x, top: at.y }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') { e.stopPropagation(); onClose(); }
      }}
      onBlur={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) onClose(); }}
    >
      <input
        ref={input}
        name="nodePickerSearch"
        placeholder="Search steps…"
        aria-label="Search steps"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && items[0]) { e.preventDefault(); onPick(items[0].type); }
        }}
      />
      <ul>
        {items.map((n) => (
          <li key={n.type}>
            <button type="button" data-picker={n.type} onClick={() => onPick(n.type)} title={n.description}>
              <span className={`icon icon-${n.category}`} aria-hidden="true">{categoryIcon(n.category)}</span> {n.label}
            </button>
          </li>
        ))}
        {items.length === 0 ? <li className="muted">No step matches “{q}”.</li> : null}
      </ul>
    </div>
  );
}
