/**
 * Building run jobs and deriving their ids. The payload says what a job means (`RunJob` in `@outrun/schemas`);
 * the id only dedupes, and is never parsed back. Later jobs of the same run get distinct ids with exactly three
 * `:`-separated parts (BullMQ accepts `:` only in that shape).
 */
import type { RunJob, TraceContext } from '@outrun/schemas';

/** The run a job drives, and the trace it continues (when tracing is on). */
type RunRef = { workspaceId: string; runId: string; trace?: TraceContext | undefined };

const base = ({ workspaceId, runId, trace }: RunRef) => (trace === undefined ? { workspaceId, runId } : { workspaceId, runId, trace });

export const startJob = (ref: RunRef): RunJob => ({ kind: 'start', ...base(ref) });

/** The job that resumes a parked or waiting run at `resumeAt` (epoch ms, rounded). */
export const resumeJob = (ref: RunRef, resumeAt: number, signal?: string): RunJob =>
  signal === undefined ? { kind: 'resume', ...base(ref), resumeAt: Math.round(resumeAt) } : { kind: 'resume', ...base(ref), resumeAt: Math.round(resumeAt), signal };

/** The job of run-level attempt `attempt` (2, 3, …). */
export const retryJob = (ref: RunRef, attempt: number): RunJob => ({ kind: 'retry', ...base(ref), attempt });

/** The queue id of a job: the run id for a start, `${runId}:resume:${resumeAt}`, `${runId}:retry:${attempt}`. */
export function jobIdOf(job: RunJob): string {
  switch (job.kind) {
    case 'start':
      return job.runId;
    case 'resume':
      return `${job.runId}:resume:${job.resumeAt}`;
    case 'retry':
      return `${job.runId}:retry:${job.attempt}`;
  }
}

/**
 * Reads a stored job payload, accepting the payload of releases before `kind` existed (`{workspaceId, runId}`,
 * then always a start) so jobs queued across an upgrade still run.
 */
export function upgradeJobPayload(data: unknown): unknown {
  return typeof data === 'object' && data !== null && !('kind' in data) ? { ...data, kind: 'start' } : data;
}
