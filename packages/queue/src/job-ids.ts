/**
 * Job ids. The first job of a run uses the run id (dedupe); later jobs of the same run get distinct ids
 * with exactly three `:`-separated parts (BullMQ accepts `:` only in that shape):
 * `${runId}:resume:${resumeAtMs}` (durable delay) and `${runId}:retry:${attempt}` (run-level re-attempt).
 */

/** The job that resumes a parked run at `resumeAt` (epoch ms). */
export const resumeJobId = (runId: string, resumeAt: number): string => `${runId}:resume:${Math.round(resumeAt)}`;

/** The job of run-level attempt `attempt` (2, 3, …). */
export const retryJobId = (runId: string, attempt: number): string => `${runId}:retry:${attempt}`;

export interface ParsedJobId {
  runId: string;
  kind: 'start' | 'resume' | 'retry';
  /** The attempt of a `retry` job. */
  attempt?: number;
}

/** Reads back what a job id says (unknown shapes count as a plain start). */
export function parseJobId(jobId: string): ParsedJobId {
  const parts = jobId.split(':');
  if (parts.length === 3 && parts[0]) {
    const n = Number(parts[2]);
    if (parts[1] === 'retry' && Number.isInteger(n) && n > 0) return { runId: parts[0], kind: 'retry', attempt: n };
    if (parts[1] === 'resume') return { runId: parts[0], kind: 'resume' };
  }
  return { runId: jobId, kind: 'start' };
}
