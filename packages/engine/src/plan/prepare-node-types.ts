/**
 * Runs each node type's `prepare` once per process, the first time a plan containing that type is executed —
 * so slow resources (the code node's worker thread) start with the first run that needs them, not with the process.
 */
import type { NodeDefinition } from '../types';
import type { ExecutionPlan } from './build-plan';

const preparedPlans = new WeakSet<ExecutionPlan>();
const preparedTypes = new WeakSet<NodeDefinition>();

export function prepareNodeTypes(plan: ExecutionPlan): void {
  if (preparedPlans.has(plan)) return; // one lookup per run once the plan is known
  preparedPlans.add(plan);
  for (const node of plan.nodes) {
    const def = node.def;
    if (def?.prepare === undefined || preparedTypes.has(def)) continue;
    preparedTypes.add(def);
    try {
      def.prepare();
    } catch {
      // The step that needs the resource reports the failure when it runs.
    }
  }
}
