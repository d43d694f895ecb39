import { TRIGGER_NODE_TYPE } from '@outrun/schemas';
import { containsTemplates, templatedPart } from '../expressions/evaluate-template';
import type { ExecuteWorkflowOptions, NodeCatalog, NodeDefinition } from '../types';

type WorkflowLike = ExecuteWorkflowOptions['workflow'];

/** Per-node execution settings the engine reads from `node.settings`. */
export interface PlanNodeSettings {
  retry?: Partial<{ maxRetries: number; backoffStrategy: 'exponential' | 'fixed' | 'linear'; initialDelay: number; maxDelay: number; jitter: number }>;
  timeout?: number;
  continueOnFail?: boolean;
  /** `error-output`: a failure leaves through the `error` handle instead of failing the run. */
  onError?: 'fail' | 'error-output';
}

/** One node of the plan, with everything the run loop needs precomputed. */
export interface PlanNode {
  index: number;
  id: string;
  type: string;
  data: Record<string, unknown>;
  settings: PlanNodeSettings;
  /** Undefined for trigger nodes and unknown types. */
  def: NodeDefinition | undefined;
  isTrigger: boolean;
  /** The definition's `waitsForAllInputs` (merge): its input is always the `{ [predecessorId]: output }` map. */
  waitsForAll: boolean;
  triggerId: string | undefined;
  /** Edge indices into `plan.edges`. */
  inEdges: number[];
  outEdges: number[];
  /** Position in a topological order (the run's final output is the last completed node's). */
  topo: number;
  /** `data` holds `{{ }}` templates: params are resolved per step; otherwise parsed once and cached. */
  hasTemplates: boolean;
  /** Cached parse of template-free params. */
  staticParams?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

export interface PlanEdge {
  source: number;
  target: number;
  /** `null` edges are live whatever handle the source took. */
  sourceHandle: string | null;
}

/** The precomputed shape of a workflow graph: adjacency, in-degrees, topological order. */
export interface ExecutionPlan {
  nodes: PlanNode[];
  edges: PlanEdge[];
  byId: Map<string, number>;
  /** Node indices without incoming edges. */
  roots: number[];
  /** Node ids on a cycle (execution refuses such a graph), or null. */
  cycle: string[] | null;
  catalog: NodeCatalog;
}

const plans = new WeakMap<object, ExecutionPlan>();

function readSettings(raw: unknown): PlanNodeSettings {
  return raw !== null && typeof raw === 'object' ? (raw as PlanNodeSettings) : {};
}

/** Kahn's algorithm; fills `topo` and returns the ids left over on a cycle. */
function orderTopologically(nodes: PlanNode[], edges: PlanEdge[]): string[] | null {
  const indegree = new Int32Array(nodes.length);
  for (const e of edges) indegree[e.target] = (indegree[e.target] as number) + 1;
  const queue: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (indegree[i] === 0) queue.push(i);
  let order = 0;
  for (let head = 0; head < queue.length; head++) {
    const n = nodes[queue[head] as number] as PlanNode;
    n.topo = order++;
    for (const ei of n.outEdges) {
      const t = (edges[ei] as PlanEdge).target;
      indegree[t] = (indegree[t] as number) - 1;
      if (indegree[t] === 0) queue.push(t);
    }
  }
  if (order === nodes.length) return null;
  return nodes.filter((_, i) => (indegree[i] as number) > 0).map((n) => n.id);
}

/**
 * Builds the execution plan of a workflow once; the result is memoised by the identity of the
 * workflow object (and catalog), so repeated runs of one loaded version pay nothing.
 * Edges whose ends do not exist are ignored (validation reports them).
 */
export function buildPlan(workflow: WorkflowLike, catalog: NodeCatalog): ExecutionPlan {
  const cached = plans.get(workflow);
  if (cached !== undefined && cached.catalog === catalog) return cached;
  const byId = new Map<string, number>();
  const nodes: PlanNode[] = [];
  for (const raw of workflow.nodes) {
    if (byId.has(raw.id)) continue;
    const data = (raw.data ?? {}) as Record<string, unknown>;
    const isTrigger = raw.type === TRIGGER_NODE_TYPE;
    const def = isTrigger ? undefined : catalog.get(raw.type);
    byId.set(raw.id, nodes.length);
    nodes.push({
      index: nodes.length,
      id: raw.id,
      type: raw.type,
      data,
      settings: readSettings(raw.settings),
      def,
      isTrigger,
      waitsForAll: def?.waitsForAllInputs === true,
      triggerId: isTrigger && typeof data.triggerId === 'string' ? data.triggerId : undefined,
      inEdges: [],
      outEdges: [],
      topo: 0,
      hasTemplates: containsTemplates(templatedPart(data, def?.literalParams)),
    });
  }
  const edges: PlanEdge[] = [];
  for (const raw of workflow.edges) {
    const source = byId.get(raw.source);
    const target = byId.get(raw.target);
    if (source === undefined || target === undefined) continue;
    const ei = edges.length;
    edges.push({ source, target, sourceHandle: raw.sourceHandle ?? null });
    (nodes[source] as PlanNode).outEdges.push(ei);
    (nodes[target] as PlanNode).inEdges.push(ei);
  }
  const roots = nodes.filter((n) => n.inEdges.length === 0).map((n) => n.index);
  const plan: ExecutionPlan = { nodes, edges, byId, roots, cycle: orderTopologically(nodes, edges), catalog };
  plans.set(workflow, plan);
  return plan;
}
