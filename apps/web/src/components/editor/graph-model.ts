/**
 * Conversion between the stored workflow graph (`WorkflowNode`/`WorkflowEdge`/`Trigger`) and React Flow's
 * node and edge objects, plus the palette's trigger kinds and handle lookup.
 */
import type { Edge, Node } from '@xyflow/react';
import type { JsonObject, JsonValue, NodeHandle, Trigger, TriggerInput, WorkflowEdge, WorkflowNode } from '@outrun/schemas';
import type { NodeTypeInfo } from '../../lib/api';

/** What the canvas keeps in each React Flow node's `data`. */
export type CanvasNodeData = {
  /** The Outrun node type (`set`, `condition`, `trigger`, …). */
  kind: string;
  /** The node's parameters (the stored `data`). */
  params: JsonObject;
  label?: string;
  settings?: WorkflowNode['settings'];
  /** First API validation problem on this node, shown on the canvas. */
  problem?: string;
  /** Pinned output: test runs use it instead of executing the node (stored with the draft). */
  pinned?: JsonValue;
  /** How this node did in the run selected in the editor (drawn on the canvas; never stored). */
  run?: { status: string; items?: number };
};
export type CanvasNode = Node<CanvasNodeData, 'outrun'>;
export type CanvasEdge = Edge;

export const TRIGGER = 'trigger';

/** Palette items that create a trigger node and its trigger entry together. */
export const TRIGGER_KINDS = [
  { key: 'webhook', label: 'Webhook trigger', description: 'Starts on an HTTP request to a unique URL.', icon: '⚡' },
  { key: 'schedule', label: 'Schedule', description: 'Starts on a cron schedule in a time zone.', icon: '⏱' },
  { key: 'data_change', label: 'Data change', description: 'Starts when a data collection changes.', icon: '◆' },
  { key: 'manual', label: 'Manual', description: 'Starts from "Run now" or the API.', icon: '▶' },
  { key: 'event_source', label: 'Event source', description: 'Starts on each new row, stream entry or queue message of a connector (docs/connectors.md).', icon: '⇄' },
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number]['key'];

const rand = () => Math.random().toString(36).slice(2, 8);

/** A node id unique within the workflow; a plain identifier, so `steps.<id>` is valid JSONata as written. */
export const newNodeId = (kind: string): string => `${kind.replace(/[^a-z0-9]+/gi, '_')}_${rand()}`;

export { stepPath, stepReference } from './step-reference';
/** A trigger id; unique across the workspace (the gateway rejects a taken one). */
export const newTriggerId = (): string => `trg_${Date.now().toString(36)}${rand()}`;

/**
 * A new trigger entry with sensible defaults. A new webhook starts without auth: HMAC without a secret rejected
 * every call, the first test included; the Triggers panel offers signing (and generates the secret).
 */
export function defaultTrigger(kind: TriggerKind, id: string): TriggerInput {
  switch (kind) {
    case 'webhook':
      return { id, type: 'webhook', active: true, config: { methods: ['POST'], auth: { type: 'none' }, responseMode: 'async' } };
    case 'schedule': {
      const timezone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
      return { id, type: 'schedule', active: true, config: { cron: '0 9 * * *', timezone, catchUp: 'latest' } };
    }
    case 'data_change':
      return { id, type: 'data_change', active: true, config: { collection: 'items', operations: ['insert', 'update', 'delete'] } };
    case 'manual':
      return { id, type: 'manual', active: true, config: {} };
    case 'event_source':
      return { id, type: 'event_source', active: true, config: { source: 'postgres.newRows@1', params: { table: 'items' }, capacity: 16 } };
  }
}

export function toCanvasNode(node: WorkflowNode, index = 0): CanvasNode {
  const data: CanvasNodeData = { kind: node.type, params: node.data };
  if (node.label !== undefined) data.label = node.label;
  if (node.settings !== undefined) data.settings = node.settings;
  if (node.pinned !== undefined) data.pinned = node.pinned;
  return { id: node.id, type: 'outrun', position: node.position ?? { x: 0, y: index * 90 }, data };
}

export function toCanvasEdge(edge: WorkflowEdge): CanvasEdge {
  const out: CanvasEdge = { id: edge.id, source: edge.source, target: edge.target };
  if (edge.sourceHandle) {
    out.sourceHandle = edge.sourceHandle;
    if (edge.sourceHandle !== 'out') out.label = edge.sourceHandle;
  }
  if (edge.targetHandle) out.targetHandle = edge.targetHandle;
  return out;
}

export function fromCanvasNode(node: CanvasNode): WorkflowNode {
  const out: WorkflowNode = {
    id: node.id,
    type: node.data.kind,
    position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    data: node.data.params,
  };
  if (node.data.label) out.label = node.data.label;
  if (node.data.settings) out.settings = node.data.settings;
  if (node.data.pinned !== undefined) out.pinned = node.data.pinned;
  return out;
}

export function fromCanvasEdge(edge: CanvasEdge): WorkflowEdge {
  const out: WorkflowEdge = { id: edge.id, source: edge.source, target: edge.target };
  if (edge.sourceHandle) out.sourceHandle = edge.sourceHandle;
  if (edge.targetHandle) out.targetHandle = edge.targetHandle;
  return out;
}

/**
 * Output handles of a node: the catalog's, or for param-dependent ones (switch) derived from the params; plus the
 * `error` handle when its settings say `onError: 'error-output'` (docs/composition.md).
 */
export function outputHandles(info: NodeTypeInfo | undefined, params: JsonObject, settings?: WorkflowNode['settings']): NodeHandle[] {
  const base = catalogOutputs(info, params);
  return settings?.onError === 'error-output' ? [...base, { id: 'error', label: 'Error' }] : base;
}

function catalogOutputs(info: NodeTypeInfo | undefined, params: JsonObject): NodeHandle[] {
  const cases = params.cases;
  if (Array.isArray(cases) && (!info || !Array.isArray(info.outputs) || info.dynamicOutputs === true)) {
    const ids = cases
      .map((c) => (c && typeof c === 'object' && !Array.isArray(c) ? c : null))
      .filter((c): c is JsonObject => c !== null && typeof c.id === 'string' && c.id !== '')
      .map((c) => ({ id: String(c.id), label: typeof c.label === 'string' && c.label ? c.label : String(c.id) }));
    return [...ids, { id: 'default', label: 'Default' }];
  }
  if (info && Array.isArray(info.outputs)) return info.outputs;
  return [{ id: 'out' }];
}

export function inputHandles(info: NodeTypeInfo | undefined, kind: string): NodeHandle[] {
  if (kind === TRIGGER) return [];
  return info?.inputs ?? [{ id: 'in' }];
}

/** The trigger a trigger node points at. */
export function triggerOf(node: CanvasNode, triggers: readonly Trigger[] | readonly TriggerInput[]): TriggerInput | undefined {
  const id = node.data.params.triggerId;
  return typeof id === 'string' ? triggers.find((t) => t.id === id) : undefined;
}

/** Short label for a trigger node ("Webhook trigger · hmac"). */
export function triggerLabel(trigger: TriggerInput | undefined): string {
  if (!trigger) return 'Trigger (missing)';
  const kind = TRIGGER_KINDS.find((k) => k.key === trigger.type);
  return kind?.label ?? trigger.type;
}
