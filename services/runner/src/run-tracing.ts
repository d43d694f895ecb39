/**
 * The runner's part of a run's trace: one consumer span per attempt (child of the span that queued the job,
 * whose context the job carries) and one span per step attempt, active while the node runs so its outbound
 * HTTP and model calls nest under it. Tracing off: the job handler and hooks are used as they are.
 */
import type { EngineStep, ExecutionHooks } from '@outrun/engine';
import type { JobContext } from '@outrun/queue';
import type { Run } from '@outrun/schemas';
import {
  activeSpan,
  contextFromCarrier,
  isTracingEnabled,
  OutrunAttr,
  recordError,
  runInSpan,
  SpanKind,
  startSpan,
  withSpan,
  type Span,
} from '@outrun/telemetry';

/** Runs one attempt of `run` inside its `run.attempt` span. */
export function traceRunAttempt<T>(job: JobContext, run: Run, attempt: () => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return attempt();
  const attributes = {
    [OutrunAttr.workspaceId]: run.workspaceId,
    [OutrunAttr.workflowId]: run.workflowId,
    [OutrunAttr.workflowVersion]: run.workflowVersion,
    [OutrunAttr.runId]: run.id,
    [OutrunAttr.attempt]: run.attempt,
    [OutrunAttr.deliveries]: job.deliveries,
    [OutrunAttr.triggerType]: run.triggeredBy.type,
  };
  return withSpan('run.attempt', { kind: SpanKind.CONSUMER, attributes, parent: contextFromCarrier(job.job.trace) }, () => attempt());
}

/** Records the engine's verdict on the attempt span. */
export function markRunStatus(status: string): void {
  activeSpan()?.setAttribute(OutrunAttr.runStatus, status);
}

function stepAttributes(step: Pick<EngineStep, 'nodeId' | 'nodeType' | 'attempt'>) {
  return { [OutrunAttr.nodeId]: step.nodeId, [OutrunAttr.nodeType]: step.nodeType, [OutrunAttr.stepAttempt]: step.attempt };
}

/** Ends a step span; one opened around the attempt ends now (its own clock), one made after the fact at `finishedAt`. */
function finishSpan(span: Span, step: EngineStep, afterTheFact: boolean): void {
  span.setAttribute(OutrunAttr.stepStatus, step.status);
  if (step.duration !== undefined) span.setAttribute(OutrunAttr.stepDurationMs, step.duration);
  const usage = step.usage;
  if (usage?.cost !== undefined && usage.cost !== null) span.setAttribute(OutrunAttr.cost, usage.cost);
  if (usage?.priceSource !== undefined) span.setAttribute(OutrunAttr.priceSource, usage.priceSource);
  if (usage?.priceVersion !== undefined) span.setAttribute(OutrunAttr.priceVersion, usage.priceVersion);
  if (step.status === 'failed' && step.error) recordError(span, step.error);
  span.end(afterTheFact ? step.finishedAt : undefined);
}

/** The run's engine hooks plus one `step <type>` span per attempt (skipped steps get a zero-length one). */
export function withStepTracing(hooks: ExecutionHooks): ExecutionHooks {
  if (!isTracingEnabled()) return hooks;
  const open = new Map<string, Span>();
  const key = (s: { nodeId: string; attempt: number }) => `${s.nodeId}#${s.attempt}`;
  return {
    ...hooks,
    aroundAttempt(step, attempt) {
      const span = startSpan(`step ${step.nodeType}`, { attributes: stepAttributes(step) });
      if (span) open.set(key(step), span);
      return runInSpan(span, attempt);
    },
    async onStepFinish(step) {
      try {
        if (hooks.onStepFinish) await hooks.onStepFinish(step);
      } finally {
        const opened = open.get(key(step));
        open.delete(key(step));
        const span = opened ?? startSpan(`step ${step.nodeType}`, { attributes: stepAttributes(step), startTime: step.startedAt });
        if (span) finishSpan(span, step, opened === undefined);
      }
    },
  };
}
