'use client';
/** The canvas node: icon, title, handles (named handles for routing nodes) and the first validation problem. */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { categoryIcon, useEditorContext } from './editor-context';
import { NodeRunBadge } from './node-run-badge';
import { inputHandles, outputHandles, TRIGGER, triggerLabel, triggerOf, type CanvasNode } from './graph-model';

const handleTop = (i: number, n: number): string => `${((i + 1) / (n + 1)) * 100}%`;

function NodeViewImpl({ data, selected, id }: NodeProps<CanvasNode>) {
  const { catalog, triggers, addAfter } = useEditorContext();
  const info = catalog.get(data.kind);
  const isTrigger = data.kind === TRIGGER;
  const trigger = isTrigger ? triggerOf({ id, data } as CanvasNode, triggers) : undefined;
  const title = data.label || (isTrigger ? triggerLabel(trigger) : (info?.label ?? data.kind));
  const category = isTrigger ? 'trigger' : info?.category;
  const inputs = inputHandles(info, data.kind);
  const outputs = outputHandles(info, data.params, data.settings);
  const named = outputs.length > 1;
  const sub = isTrigger ? (trigger?.type === 'webhook' ? `webhook · ${trigger.config?.auth?.type ?? 'none'}` : (trigger?.type ?? 'no trigger')) : data.kind;
  return (
    <div
      className={`wf-node${selected ? ' selected' : ''}${data.problem ? ' has-problem' : ''}${data.run ? ` ran-${data.run.status}` : ''}`}
      data-testid={`node-${data.kind}`}
      style={named ? { minHeight: 28 + outputs.length * 22 } : undefined}
    >
      {inputs.map((h, i) => (
        <Handle key={h.id} id={h.id} type="target" position={Position.Left} style={{ top: handleTop(i, inputs.length) }} aria-label={`input ${h.label ?? h.id}`} />
      ))}
      <div className="wf-node-head">
        <span className={`icon icon-${category ?? 'core'}`} aria-hidden="true">
          {categoryIcon(category)}
        </span>
        <div style={{ minWidth: 0, paddingRight: named ? 40 : 0 }}>
          <div className="wf-node-title" title={title}>
            {title}
          </div>
          <div className="wf-node-sub">{sub}</div>
        </div>
      </div>
      {outputs.map((h, i) => (
        <Handle key={h.id} id={h.id} type="source" position={Position.Right} style={{ top: handleTop(i, outputs.length) }} aria-label={`output ${h.label ?? h.id}`}>
          {named ? (
            <span style={{ position: 'absolute', right: 12, top: -7, fontSize: 10.5, color: '#4b5563', whiteSpace: 'nowrap', pointerEvents: 'none' }}>
              {h.label ?? h.id}
            </span>
          ) : null}
        </Handle>
      ))}
      {selected && addAfter && outputs.length > 0 ? (
        <button type="button" className="wf-node-add nodrag nopan" aria-label="Add a step after this one" title="Add a step after this one" onClick={(e) => { e.stopPropagation(); addAfter(id); }}>
          +
        </button>
      ) : null}
      {data.run || data.pinned !== undefined ? <NodeRunBadge run={data.run} pinned={data.pinned !== undefined} /> : null}
      {data.problem ? (
        <div className="wf-node-problem" role="note">
          {data.problem}
        </div>
      ) : null}
    </div>
  );
}

/** Memoized: React Flow re-renders only the nodes whose props changed (200-node canvases stay smooth). */
export const NodeView = memo(NodeViewImpl);
export const nodeTypes = { outrun: NodeView } as const;
