'use client';
/**
 * The node palette, built from the catalog (`GET /api/nodes`) plus the four trigger kinds.
 * Items drag onto the canvas (HTML5 drag and drop) or, from the keyboard, Enter adds one at the view's centre.
 */
import { memo, useMemo, useState, type DragEvent } from 'react';
import type { NodeTypeInfo } from '../../lib/api';
import { categoryIcon } from './editor-context';
import { TRIGGER, TRIGGER_KINDS } from './graph-model';
import { ConnectorCatalog, groupConnectors } from './connector-catalog';
import { PaletteGroup, PaletteItem } from './palette-item';

export const DRAG_MIME = 'application/x-outrun-node';

/** What a palette item creates: a node type, or a trigger node of a kind (`trigger:webhook`). */
export type PaletteKey = string;

const CATEGORY_ORDER = ['trigger', 'core', 'flow', 'data', 'http', 'ai'];
const CATEGORY_LABEL: Record<string, string> = { trigger: 'Triggers', core: 'Core', flow: 'Flow', data: 'Data', http: 'HTTP', ai: 'AI' };

interface Item {
  key: PaletteKey;
  label: string;
  description: string;
  category: string;
}

function PaletteImpl({ catalog, onAdd, readOnly = false }: { catalog: NodeTypeInfo[]; onAdd: (key: PaletteKey) => void; readOnly?: boolean }) {
  const [q, setQ] = useState('');
  const groups = useMemo(() => {
    const items: Item[] = [
      ...TRIGGER_KINDS.map((k) => ({ key: `${TRIGGER}:${k.key}`, label: k.label, description: k.description, category: 'trigger' })),
      ...catalog.filter((n) => n.type !== TRIGGER && !n.connector).map((n) => ({ key: n.type, label: n.label, description: n.description, category: n.category })),
    ];
    const needle = q.trim().toLowerCase();
    const hits = items.filter((i) => !needle || `${i.label} ${i.key} ${i.description}`.toLowerCase().includes(needle));
    const by = new Map<string, Item[]>();
    for (const item of hits) by.set(item.category, [...(by.get(item.category) ?? []), item]);
    return [...by.entries()].sort(([a], [b]) => (CATEGORY_ORDER.indexOf(a) + 99) % 99 - ((CATEGORY_ORDER.indexOf(b) + 99) % 99));
  }, [catalog, q]);
  const connectorGroups = useMemo(() => groupConnectors(catalog, q), [catalog, q]);

  const onDragStart = (e: DragEvent, key: string) => {
    e.dataTransfer.setData(DRAG_MIME, key);
    e.dataTransfer.setData('text/plain', key);
    e.dataTransfer.effectAllowed = 'move';
  };

  return (
    <aside className="palette" aria-label="Node palette">
      <input type="search" placeholder="Search nodes…" value={q} onChange={(e) => setQ(e.target.value)} aria-label="Search nodes" />
      {groups.length === 0 && connectorGroups.length === 0 ? <div className="muted">No node matches “{q}”.</div> : null}
      {groups.map(([category, items]) => (
        <PaletteGroup key={category} title={CATEGORY_LABEL[category] ?? category}>
          {items.map((item) => (
            <PaletteItem key={item.key} itemKey={item.key} label={item.label} description={item.description} category={category} icon={categoryIcon(category)} readOnly={readOnly} onAdd={onAdd} onDragStart={onDragStart} />
          ))}
        </PaletteGroup>
      ))}
      <ConnectorCatalog groups={connectorGroups} readOnly={readOnly} onAdd={onAdd} onDragStart={onDragStart} />
      <p className="field-help" style={{ marginTop: 'auto' }}>
        Shortcuts: Del delete · Ctrl+C/V copy/paste · Ctrl+Z/Y undo/redo · Ctrl+S save · F fit view · Shift+Alt+T tidy up
      </p>
    </aside>
  );
}

export const Palette = memo(PaletteImpl);
