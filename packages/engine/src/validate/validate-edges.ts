import { ErrorCode, Id } from '@outrun/schemas';
import type { ValidationProblem } from '../types';
import type { NodeFacts } from './validate-nodes';

/** A structurally valid edge between existing nodes, by node index. */
export interface GraphEdge {
  index: number;
  source: number;
  target: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const optionalHandle = (v: unknown): v is string | null | undefined => v === undefined || v === null || typeof v === 'string';

function push(problems: ValidationProblem[], code: string, path: string, message: string, nodeId?: string): void {
  const p: ValidationProblem = { code, path, message };
  if (nodeId !== undefined) p.nodeId = nodeId;
  problems.push(p);
}

function checkHandle(handle: string | null | undefined, outputs: string[] | null, sourceId: string, path: string, problems: ValidationProblem[]): void {
  if (outputs === null) return;
  if (handle === undefined || handle === null || handle === '') {
    if (outputs.length > 1) push(problems, ErrorCode.UNKNOWN_HANDLE, path, `Node "${sourceId}" has several outputs (${outputs.join(', ')}): the edge must name one`, sourceId);
    return;
  }
  if (!outputs.includes(handle)) {
    push(problems, ErrorCode.UNKNOWN_HANDLE, path, `Node "${sourceId}" has no output "${handle}" (it has: ${outputs.join(', ') || 'none'})`, sourceId);
  }
}

/**
 * Checks every edge: shape, unique id, both ends exist, no duplicate connection, not into a trigger
 * node, a source handle the node has, no self-loop. Returns the edges fit for graph analysis (self-loops excluded).
 */
export function validateEdges(edges: unknown[], facts: NodeFacts, problems: ValidationProblem[]): GraphEdge[] {
  const graph: GraphEdge[] = [];
  const ids = new Map<string, number>();
  const connections = new Map<string, number>();
  for (let i = 0; i < edges.length; i++) {
    const edge = edges[i];
    const base = `edges.${i}`;
    if (!isObject(edge)) {
      push(problems, ErrorCode.VALIDATION, base, 'Edge must be an object');
      continue;
    }
    let shapeOk = true;
    for (const field of ['id', 'source', 'target'] as const) {
      if (!Id.safeParse(edge[field]).success) {
        push(problems, ErrorCode.VALIDATION, `${base}.${field}`, `Edge ${field} must be a non-empty id string`);
        shapeOk = false;
      }
    }
    for (const field of ['sourceHandle', 'targetHandle'] as const) {
      if (!optionalHandle(edge[field])) {
        push(problems, ErrorCode.VALIDATION, `${base}.${field}`, `Edge ${field} must be a string or null`);
        shapeOk = false;
      }
    }
    if (!shapeOk) continue;
    const id = edge.id as string;
    const sourceId = edge.source as string;
    const targetId = edge.target as string;
    const sourceHandle = edge.sourceHandle as string | null | undefined;
    if (ids.has(id)) push(problems, ErrorCode.DUPLICATE_EDGE, `${base}.id`, `Duplicate edge id "${id}" (first used by edges.${ids.get(id)})`);
    else ids.set(id, i);
    const source = facts.byId.get(sourceId);
    const target = facts.byId.get(targetId);
    if (source === undefined) push(problems, ErrorCode.DANGLING_EDGE, `${base}.source`, `Edge source "${sourceId}" is not a node of this workflow`);
    if (target === undefined) push(problems, ErrorCode.DANGLING_EDGE, `${base}.target`, `Edge target "${targetId}" is not a node of this workflow`);
    if (source === undefined || target === undefined) continue;
    const key = [sourceId, sourceHandle ?? '', targetId, (edge.targetHandle as string | null | undefined) ?? ''].join('\u0000');
    const first = connections.get(key);
    if (first !== undefined) {
      push(problems, ErrorCode.DUPLICATE_EDGE, base, `Edge duplicates edges.${first} (same source, handles and target)`, sourceId);
      continue;
    }
    connections.set(key, i);
    if (facts.isTrigger[target] === true) {
      push(problems, ErrorCode.EDGE_INTO_TRIGGER, `${base}.target`, `Edge ends at trigger node "${targetId}": a trigger starts the run and takes no input`, targetId);
    }
    checkHandle(sourceHandle, facts.outputs[source] ?? null, sourceId, `${base}.sourceHandle`, problems);
    if (source === target) {
      const p: ValidationProblem = { code: ErrorCode.CYCLE, path: base, message: `Node "${sourceId}" is connected to itself`, nodeId: sourceId, nodeIds: [sourceId] };
      problems.push(p);
      continue;
    }
    graph.push({ index: i, source, target });
  }
  return graph;
}
