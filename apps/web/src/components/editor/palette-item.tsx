'use client';
/**
 * The palette's building blocks, shared by the built-in nodes and the connector catalog: a titled group and an item
 * that drags onto the canvas or, clicked or Enter, adds the node at the view's centre.
 */
import type { DragEvent, ReactNode } from 'react';

export function PaletteGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="palette-group">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

interface ItemProps {
  /** What the item creates (`set`, `trigger:webhook`, `postgres.query`). */
  itemKey: string;
  label: string;
  description: string;
  /** The icon's category class (`icon-<category>`) and glyph. */
  category: string;
  icon: string;
  readOnly: boolean;
  onAdd: (key: string) => void;
  onDragStart: (e: DragEvent, key: string) => void;
}

export function PaletteItem({ itemKey, label, description, category, icon, readOnly, onAdd, onDragStart }: ItemProps) {
  return (
    <button
      type="button"
      className="palette-item"
      draggable={!readOnly}
      disabled={readOnly}
      data-palette={itemKey}
      title={`${description} — drag onto the canvas, or press Enter to add`}
      onDragStart={(e) => onDragStart(e, itemKey)}
      onClick={() => onAdd(itemKey)}
    >
      <span className={`icon icon-${category}`} aria-hidden="true">
        {icon}
      </span>
      <span style={{ minWidth: 0, fontWeight: 500 }}>{label}</span>
    </button>
  );
}
