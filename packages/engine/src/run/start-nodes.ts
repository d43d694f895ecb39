import type { PlanNode } from '../plan/build-plan';
import { NodeState, propagateOutcome } from './propagate-outcome';
import type { RunContext } from './run-context';

/**
 * Picks where the run starts. When a trigger node carries the firing trigger's id, it is the only
 * start: other trigger nodes and plain root nodes are skipped (with whatever hangs only off them).
 * Without such a node every root node starts (trigger nodes among them hand on the payload).
 * Returns the READY start nodes and the nodes skipped at once.
 */
export function startNodes(run: RunContext): { ready: number[]; skipped: number[] } {
  const { plan, state, options } = run;
  const firing = options.trigger.triggerId;
  const hasMatch = firing !== undefined && plan.roots.some((i) => (plan.nodes[i] as PlanNode).triggerId === firing);
  const ready: number[] = [];
  const skipped: number[] = [];
  for (const i of plan.roots) {
    const node = plan.nodes[i] as PlanNode;
    const starts = !hasMatch || (node.isTrigger && node.triggerId === firing);
    if (starts) {
      state.node[i] = NodeState.READY;
      ready.push(i);
    } else {
      skipped.push(i);
      propagateOutcome(plan, state, i, false, undefined, ready, skipped);
    }
  }
  return { ready, skipped };
}
