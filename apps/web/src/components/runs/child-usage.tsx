'use client';
/**
 * Sub-workflow usage in a parent's run view: the engine adds each child run's tokens and cost to the `workflow`
 * step that waited for it (and so to the run's total). These say how much of the total came from child runs.
 */
import type { Run, Step } from '@outrun/schemas';
import { formatCost, formatExactCost, formatNumber } from '../../lib/format';

const fromChildren = (step: Step) => step.nodeType === 'workflow' && step.usage !== undefined && (step.usage.totalTokens > 0 || (step.usage.cost ?? 0) > 0);

/** Tokens and cost of the run's child runs (all `workflow` steps, retries included), or null without any. */
export function childRunsUsage(run: Run): { tokens: number; cost: number } | null {
  const steps = run.steps.filter(fromChildren);
  if (steps.length === 0) return null;
  return steps.reduce((sum, s) => ({ tokens: sum.tokens + (s.usage?.totalTokens ?? 0), cost: sum.cost + (s.usage?.cost ?? 0) }), { tokens: 0, cost: 0 });
}

/** Under the run's "AI tokens · cost": "incl. child runs: 120 tokens · $0.0001". */
export function ChildRunsUsageLine({ run }: { run: Run }) {
  const usage = childRunsUsage(run);
  if (!usage) return null;
  return (
    <div className="field-help" data-testid="run-child-usage">
      incl. child runs: {formatNumber(usage.tokens)} tokens · {formatCost(usage.cost)}
    </div>
  );
}

/** A `workflow` step's usage is its child runs' totals (no model of its own). */
export function ChildStepUsage({ step }: { step: Step }) {
  if (!fromChildren(step) || !step.usage) return null;
  return (
    <dl className="props" aria-label="Child runs usage" data-testid="child-step-usage">
      <dt>Child runs</dt><dd>{formatNumber(step.usage.totalTokens)} tokens · {formatExactCost(step.usage.cost ?? 0)}</dd>
    </dl>
  );
}

export const isChildUsageStep = fromChildren;
