import type { ExecutionPlan, PlanEdge, PlanNode } from '../plan/build-plan';

/** Node states of a run. */
export const NodeState = {
  PENDING: 0,
  READY: 1,
  RUNNING: 2,
  DONE: 3,
  SKIPPED: 4,
  WAITING: 5,
} as const;

/** Edge states: unresolved until its source settles, then live (data flows) or dead (branch not taken). */
export const EdgeState = { UNRESOLVED: 0, LIVE: 1, DEAD: 2 } as const;

/** Mutable per-run graph state: typed arrays indexed like the plan's nodes and edges. */
export interface GraphState {
  node: Uint8Array;
  edge: Uint8Array;
  /** Incoming edges not resolved yet. */
  pendingIn: Int32Array;
  /** Incoming edges resolved live. */
  liveIn: Int32Array;
}

/** A fresh state: every node pending, every edge unresolved. */
export function createGraphState(plan: ExecutionPlan): GraphState {
  const pendingIn = new Int32Array(plan.nodes.length);
  for (const e of plan.edges) pendingIn[e.target] = (pendingIn[e.target] as number) + 1;
  return { node: new Uint8Array(plan.nodes.length), edge: new Uint8Array(plan.edges.length), pendingIn, liveIn: new Int32Array(plan.nodes.length) };
}

/** The handle a node with `settings.onError: 'error-output'` leaves through when it fails (after its retries). */
export const ERROR_HANDLE = 'error';

/**
 * Whether an edge carries data after its source took `handle` (`undefined` = every handle). An edge from the
 * `error` handle carries only a failure, and a failure only that edge.
 */
export function isEdgeLive(edge: PlanEdge, handle: string | undefined): boolean {
  if (edge.sourceHandle === ERROR_HANDLE || handle === ERROR_HANDLE) return edge.sourceHandle === handle;
  return handle === undefined || edge.sourceHandle === null || edge.sourceHandle === handle;
}

/**
 * Settles node `index` and resolves its outgoing edges: live along `handle` when it ran (`ran`),
 * dead everywhere when it was skipped. A target whose incoming edges are all resolved becomes READY
 * when at least one is live (pushed to `ready`), otherwise SKIPPED (pushed to `skipped`) and its own
 * edges die in turn. That one rule gives both plain joins and merges their semantics: wait for every
 * branch still live, never block on a dead one. Iterative, so long skipped chains cannot overflow.
 */
export function propagateOutcome(
  plan: ExecutionPlan,
  state: GraphState,
  index: number,
  ran: boolean,
  handle: string | undefined,
  ready: number[],
  skipped: number[],
): void {
  state.node[index] = ran ? NodeState.DONE : NodeState.SKIPPED;
  let stack: number[] | undefined;
  let current = index;
  let live = ran;
  for (;;) {
    const node = plan.nodes[current] as PlanNode;
    for (const ei of node.outEdges) {
      const edge = plan.edges[ei] as PlanEdge;
      const isLive = live && isEdgeLive(edge, handle);
      state.edge[ei] = isLive ? EdgeState.LIVE : EdgeState.DEAD;
      const t = edge.target;
      if (isLive) state.liveIn[t] = (state.liveIn[t] as number) + 1;
      state.pendingIn[t] = (state.pendingIn[t] as number) - 1;
      if (state.pendingIn[t] !== 0 || state.node[t] !== NodeState.PENDING) continue;
      if ((state.liveIn[t] as number) > 0) {
        state.node[t] = NodeState.READY;
        ready.push(t);
      } else {
        state.node[t] = NodeState.SKIPPED;
        skipped.push(t);
        (stack ??= []).push(t);
      }
    }
    if (stack === undefined || stack.length === 0) return;
    current = stack.pop() as number;
    live = false;
    handle = undefined;
  }
}

/** Ids of the predecessors whose edges into `index` are live (deduplicated, in edge order). */
export function livePredecessors(plan: ExecutionPlan, state: GraphState, index: number): number[] {
  const out: number[] = [];
  for (const ei of (plan.nodes[index] as PlanNode).inEdges) {
    if (state.edge[ei] !== EdgeState.LIVE) continue;
    const s = (plan.edges[ei] as PlanEdge).source;
    if (!out.includes(s)) out.push(s);
  }
  return out;
}
