/** Pure edits of the draft graph: add from the palette, connect, copy and paste, tidy up. */
import type { Connection } from '@xyflow/react';
import type { TriggerInput } from '@outrun/schemas';
import { defaultTrigger, newNodeId, newTriggerId, TRIGGER, type CanvasEdge, type CanvasNode, type TriggerKind } from './graph-model';
import { tidyLayout } from './tidy-layout';
import type { Draft } from './use-workflow-draft';

/** Adds the node a palette key names (`set`, or `trigger:webhook` = node + trigger entry). */
export function addFromPalette(d: Draft, key: string, position: { x: number; y: number }): { draft: Draft; id: string } {
  const nodes = d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
  if (key.startsWith(`${TRIGGER}:`)) {
    const triggerId = newTriggerId();
    const id = newNodeId(TRIGGER);
    const node: CanvasNode = { id, type: 'outrun', position, selected: true, data: { kind: TRIGGER, params: { triggerId } } };
    return { id, draft: { ...d, nodes: [...nodes, node], triggers: [...d.triggers, defaultTrigger(key.slice(TRIGGER.length + 1) as TriggerKind, triggerId)] } };
  }
  const id = newNodeId(key);
  const node: CanvasNode = { id, type: 'outrun', position, selected: true, data: { kind: key, params: {} } };
  return { id, draft: { ...d, nodes: [...nodes, node] } };
}

/** Adds an edge for a handle connection (one edge per source handle → target pair). */
export function connect(d: Draft, c: Connection): Draft {
  if (!c.source || !c.target || c.source === c.target) return d;
  const id = `e-${c.source}-${c.sourceHandle ?? 'out'}-${c.target}`;
  if (d.edges.some((e) => e.id === id)) return d;
  const edge: CanvasEdge = { id, source: c.source, target: c.target };
  if (c.sourceHandle) edge.sourceHandle = c.sourceHandle;
  if (c.targetHandle) edge.targetHandle = c.targetHandle;
  if (c.sourceHandle && c.sourceHandle !== 'out') edge.label = c.sourceHandle;
  return { ...d, edges: [...d.edges, edge] };
}

export interface Clip {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  triggers: TriggerInput[];
}

/** The selected nodes, the edges between them and their triggers. */
export function copySelection(d: Draft): Clip | null {
  const nodes = d.nodes.filter((n) => n.selected);
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((n) => n.id));
  const tids = new Set(nodes.flatMap((n) => (typeof n.data.params.triggerId === 'string' ? [n.data.params.triggerId] : [])));
  return {
    nodes: structuredClone(nodes),
    edges: structuredClone(d.edges.filter((e) => ids.has(e.source) && ids.has(e.target))),
    triggers: structuredClone(d.triggers.filter((t) => tids.has(t.id))),
  };
}

/** Pastes a clip with fresh node and trigger ids, offset so it does not cover the original. */
export function paste(d: Draft, clip: Clip, offset = 40): Draft {
  const idMap = new Map(clip.nodes.map((n) => [n.id, newNodeId(n.data.kind)]));
  const triggerMap = new Map(clip.triggers.map((t) => [t.id, newTriggerId()]));
  const triggers = clip.triggers.map((t) => {
    const copy = structuredClone(t) as TriggerInput & { config?: Record<string, unknown> };
    copy.id = triggerMap.get(t.id) ?? t.id;
    if (copy.config && 'webhookUrl' in copy.config) delete copy.config.webhookUrl;
    // A copied webhook must get its own secret.
    const auth = copy.config?.auth as Record<string, unknown> | undefined;
    if (auth && 'credentialId' in auth) delete auth.credentialId;
    return copy;
  });
  const nodes: CanvasNode[] = clip.nodes.map((n) => {
    const params = { ...n.data.params };
    if (typeof params.triggerId === 'string') params.triggerId = triggerMap.get(params.triggerId) ?? params.triggerId;
    return { ...n, id: idMap.get(n.id) ?? n.id, selected: true, position: { x: n.position.x + offset, y: n.position.y + offset }, data: { ...n.data, params } };
  });
  const edges = clip.edges.map((e) => {
    const source = idMap.get(e.source) ?? e.source;
    const target = idMap.get(e.target) ?? e.target;
    return { ...e, id: `e-${source}-${e.sourceHandle ?? 'out'}-${target}`, source, target, selected: false };
  });
  return { ...d, nodes: [...d.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...nodes], edges: [...d.edges, ...edges], triggers: [...d.triggers, ...triggers] };
}

/** "Tidy up": every node moved to its layered position; the same draft back when nothing would move. */
export function tidy(d: Draft): Draft {
  const at = tidyLayout(d.nodes, d.edges);
  const moved = d.nodes.some((n) => {
    const p = at.get(n.id);
    return p !== undefined && (p.x !== n.position.x || p.y !== n.position.y);
  });
  return moved ? { ...d, nodes: d.nodes.map((n) => ({ ...n, position: at.get(n.id) ?? n.position })) } : d;
}
