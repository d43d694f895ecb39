/** Small builders so each template reads as a graph, not as boilerplate. */
import type { JsonObject, WorkflowEdge, WorkflowNode } from '@outrun/schemas';

/** A node at grid column `col`, row `row` (the editor lays templates out left to right). */
export function node(id: string, type: string, data: JsonObject, col: number, row = 0, label?: string): WorkflowNode {
  const n: WorkflowNode = { id, type, position: { x: col * 280, y: row * 160 }, data };
  if (label !== undefined) n.label = label;
  return n;
}

/** An edge; `handle` is the source handle a condition/switch routes along. */
export function edge(source: string, target: string, handle?: string): WorkflowEdge {
  const e: WorkflowEdge = { id: `${source}->${target}${handle === undefined ? '' : `:${handle}`}`, source, target };
  if (handle !== undefined) e.sourceHandle = handle;
  return e;
}

/** A trigger node bound to `triggerId`. */
export const triggerNode = (id: string, triggerId: string, label: string): WorkflowNode => node(id, 'trigger', { triggerId }, 0, 0, label);
