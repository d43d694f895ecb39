'use client';
/**
 * The selected node's outgoing connections as a form: the keyboard way to connect nodes (dragging between
 * handles needs a pointer). One row per output handle: its edges (removable) and "connect to…".
 */
import { memo } from 'react';
import type { NodeHandle } from '@outrun/schemas';
import type { CanvasEdge } from './graph-model';

interface Props {
  nodeId: string;
  outputs: NodeHandle[];
  /** Other nodes that accept an input: id and display name. */
  targets: Array<{ id: string; name: string }>;
  edges: CanvasEdge[];
  onConnect: (sourceHandle: string, target: string) => void;
  onRemove: (edgeId: string) => void;
}

function ConnectionsEditorImpl({ nodeId, outputs, targets, edges, onConnect, onRemove }: Props) {
  if (outputs.length === 0) return null;
  const nameOf = (id: string) => targets.find((t) => t.id === id)?.name ?? id;
  return (
    <details open={edges.length === 0}>
      <summary>Connections</summary>
      <div className="stack" style={{ marginTop: 8 }}>
        {outputs.map((h) => {
          const mine = edges.filter((e) => e.source === nodeId && (e.sourceHandle ?? 'out') === h.id);
          return (
            <div key={h.id} className="stack" style={{ gap: 4 }}>
              <span className="field-help">Output <code>{h.label ?? h.id}</code></span>
              {mine.map((e) => (
                <div key={e.id} className="row">
                  <span>→ {nameOf(e.target)}</span>
                  <button type="button" className="btn btn-sm" aria-label={`Remove connection to ${nameOf(e.target)}`} onClick={() => onRemove(e.id)}>Remove</button>
                </div>
              ))}
              <select
                aria-label={`Connect output ${h.label ?? h.id} to`}
                value=""
                onChange={(e) => {
                  if (e.target.value) onConnect(h.id, e.target.value);
                }}
              >
                <option value="">Connect to…</option>
                {targets.filter((t) => t.id !== nodeId && !mine.some((e) => e.target === t.id)).map((t) => (
                  <option key={t.id} value={t.id}>{t.name}</option>
                ))}
              </select>
            </div>
          );
        })}
      </div>
    </details>
  );
}

export const ConnectionsEditor = memo(ConnectionsEditorImpl);
