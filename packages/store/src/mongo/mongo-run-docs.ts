import { emptyRunUsage, type Run, type RunSummary, type Step } from '@outrun/schemas';
import type { Document } from 'mongodb';
import { compact } from '../shared/errors';
import { decodeUserJson } from './mongo-user-json';

/** Non-terminal statuses, as a filter value. */
export const UNFINISHED = { $in: ['queued', 'running'] };

/** Largest stored size of a run document, under MongoDB's 16 MB limit with room for the envelope. */
export const RUN_DOC_BUDGET_BYTES = 15 * 1024 * 1024;

/** The seed's run document (without internal fields) from a stored one. */
export function toRunSummary(d: Document): RunSummary {
  return compact({
    id: String(d._id),
    workspaceId: String(d.workspaceId),
    workflowId: String(d.workflowId),
    workflowVersion: d.workflowVersion as number,
    status: d.status as Run['status'],
    triggeredBy: d.triggeredBy as Run['triggeredBy'],
    usage: (d.usage as Run['usage'] | undefined) ?? emptyRunUsage(),
    attempt: d.attempt as number,
    error: d.error as Run['error'],
    idempotencyKey: d.idempotencyKey as string | undefined,
    retryOf: d.retryOf as string | undefined,
    output: d.output as Run['output'],
    response: d.response as Run['response'],
    queuedAt: String(d.queuedAt),
    startedAt: d.startedAt as string | undefined,
    finishedAt: d.finishedAt as string | undefined,
    resumeAt: d.resumeAt as string | undefined,
    traceId: d.traceId as string | undefined,
    waitingFor: d.waitingFor as string | undefined,
    parentRunId: d.parentRunId as string | undefined,
    parentStepId: d.parentStepId as string | undefined,
  });
}

/** A full run, steps included. */
export function toRun(d: Document): Run {
  const steps = ((d.steps as Document[] | undefined) ?? []).map(({ inBytes: _in, outBytes: _out, ...s }) => compact({ ...s, input: decodeUserJson(s.input), output: decodeUserJson(s.output) }) as unknown as Step);
  return { ...toRunSummary(d), steps };
}

/** Projection of a run list (no steps, no internal fields). */
export const SUMMARY_PROJECTION = { steps: 0, storedBytes: 0, durationMs: 0, triggerType: 0, statsPending: 0, signalPayload: 0 } as const;
