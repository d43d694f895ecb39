import { ErrorCode, WorkflowSettings } from '@outrun/schemas';
import type { NodeCatalog, ValidationProblem } from '../types';
import { findCycles } from './find-cycles';
import { validateEdges, type GraphEdge } from './validate-edges';
import { validateNodes, type NodeFacts } from './validate-nodes';
import { validateTriggers } from './validate-triggers';

/** Largest graph accepted. */
export const MAX_NODES = 10_000;
/** Most edges accepted. */
export const MAX_EDGES = 50_000;

/** The parts of a workflow validation looks at. Typed loosely on purpose: any input is checked, never trusted. */
export interface WorkflowToValidate {
  nodes: unknown;
  edges: unknown;
  triggers?: unknown;
  settings?: unknown;
}

export interface ValidateWorkflowOptions {
  /** Report OUT_ERR_NO_TRIGGER when the workflow has no trigger (drafts may skip it). @default true */
  requireTrigger?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function arrayField(workflow: Record<string, unknown>, field: string, optional: boolean, problems: ValidationProblem[]): unknown[] {
  const value = workflow[field];
  if (Array.isArray(value)) return value;
  if (value === undefined && optional) return [];
  problems.push({ code: ErrorCode.VALIDATION, path: field, message: `${field} must be an array` });
  return [];
}

/** Nodes not reachable from a trigger node (or, when there is none, from the root nodes). */
function checkReachability(facts: NodeFacts, edges: GraphEdge[], problems: ValidationProblem[]): void {
  const n = facts.ids.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const e of edges) {
    (out[e.source] as number[]).push(e.target);
    indegree[e.target] = (indegree[e.target] as number) + 1;
  }
  const hasTriggerNode = facts.isTrigger.some(Boolean);
  const seen = new Uint8Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    if (facts.ids[i] === undefined || facts.byId.get(facts.ids[i] as string) !== i) continue; // invalid or duplicate
    if (hasTriggerNode ? facts.isTrigger[i] : indegree[i] === 0) {
      seen[i] = 1;
      queue.push(i);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    for (const t of out[queue[head] as number] as number[]) {
      if (seen[t] === 0) {
        seen[t] = 1;
        queue.push(t);
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const id = facts.ids[i];
    if (seen[i] === 1 || id === undefined || facts.isTrigger[i] || facts.byId.get(id) !== i) continue;
    const from = hasTriggerNode ? 'any trigger' : 'a start node';
    problems.push({ code: ErrorCode.UNREACHABLE_NODE, path: `nodes.${i}`, message: `Node "${id}" is not reachable from ${from}`, nodeId: id });
  }
}

function validateGraph(workflow: Record<string, unknown>, catalog: NodeCatalog, options: ValidateWorkflowOptions, problems: ValidationProblem[]): void {
  const nodes = arrayField(workflow, 'nodes', false, problems);
  const edges = arrayField(workflow, 'edges', false, problems);
  const triggers = arrayField(workflow, 'triggers', true, problems);
  if (nodes.length > MAX_NODES) problems.push({ code: ErrorCode.TOO_LARGE, path: 'nodes', message: `A workflow has at most ${MAX_NODES} nodes (got ${nodes.length})` });
  if (edges.length > MAX_EDGES) problems.push({ code: ErrorCode.TOO_LARGE, path: 'edges', message: `A workflow has at most ${MAX_EDGES} edges (got ${edges.length})` });
  if (workflow.settings !== undefined) {
    const s = WorkflowSettings.safeParse(workflow.settings);
    if (!s.success) for (const issue of s.error.issues) problems.push({ code: ErrorCode.VALIDATION, path: ['settings', ...issue.path.map(String)].join('.'), message: issue.message });
  }
  const triggerIds = validateTriggers(triggers, problems);
  if ((options.requireTrigger ?? true) && triggers.length === 0) {
    problems.push({ code: ErrorCode.NO_TRIGGER, path: 'triggers', message: 'The workflow has no trigger: add a webhook, schedule, data change or manual trigger' });
  }
  const facts = validateNodes(nodes, catalog, triggerIds, problems);
  const graph = validateEdges(edges, facts, problems);
  for (const cycle of findCycles(facts.ids.length, graph)) {
    const ids = cycle.nodes.map((i) => facts.ids[i] as string);
    problems.push({ code: ErrorCode.CYCLE, path: `edges.${cycle.closingEdge}`, message: `Cycle: ${[...ids, ids[0]].join(' → ')}`, nodeId: ids[0] as string, nodeIds: ids });
  }
  checkReachability(facts, graph, problems);
}

/**
 * Validates a workflow against a node catalog and returns EVERY problem found (empty = valid), each
 * with a stable code and a dotted path such as `nodes.3.data.url`. Never throws, whatever the input:
 * it is meant for untrusted documents. Linear in the size of the graph (iterative walks only).
 */
export function validateWorkflow(workflow: unknown, catalog: NodeCatalog, options: ValidateWorkflowOptions = {}): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  if (!isObject(workflow)) return [{ code: ErrorCode.VALIDATION, path: '', message: 'A workflow must be an object with nodes, edges and triggers' }];
  try {
    validateGraph(workflow, catalog, options, problems);
  } catch (err) {
    // Defensive: hostile input (getters, proxies) must still come back as a problem, not a crash.
    problems.push({ code: ErrorCode.VALIDATION, path: '', message: `Workflow could not be validated: ${err instanceof Error ? err.message : String(err)}` });
  }
  return problems;
}
