import { emptyWorkflowStats, type WorkflowStats } from '@outrun/schemas';
import type { Document } from 'mongodb';
import type { FinishRunInput } from '../ports';
import { names, type MongoContext } from './mongo-context';
import { runsCollection } from './mongo-run-docs';

/** Run ids a workflow remembers as counted: the guard that makes a repeated count a no-op. */
const COUNTED_WINDOW = 200;

/** A stored stats object with every field present (older documents may lack some or all). */
export const storedStats = (stats: unknown): WorkflowStats => ({ ...emptyWorkflowStats(), ...((stats ?? {}) as Partial<WorkflowStats>) });

const field = (name: string) => ({ $ifNull: [`$stats.${name}`, 0] });

/** Pipeline update adding one finished run to the workflow's stats (all expressions read the old values). */
function statsUpdate(runId: string, status: FinishRunInput['status'], duration: number | null): Document[] {
  const timed = duration === null ? 0 : 1;
  return [
    {
      $set: {
        'stats.totalRuns': { $add: [field('totalRuns'), 1] },
        'stats.successfulRuns': { $add: [field('successfulRuns'), status === 'completed' ? 1 : 0] },
        'stats.failedRuns': { $add: [field('failedRuns'), status === 'failed' ? 1 : 0] },
        'stats.avgExecutionTime':
          duration === null ? field('avgExecutionTime') : { $add: [field('avgExecutionTime'), { $divide: [{ $subtract: [duration, field('avgExecutionTime')] }, { $add: [{ $ifNull: ['$timedRuns', 0] }, 1] }] }] },
        timedRuns: { $add: [{ $ifNull: ['$timedRuns', 0] }, timed] },
        countedRuns: { $slice: [{ $concatArrays: [{ $ifNull: ['$countedRuns', []] }, [runId]] }, -COUNTED_WINDOW] },
      },
    },
  ];
}

/**
 * Adds a terminal run to its workflow's stats exactly once, then clears the run's `statsPending` mark.
 * The finish writes the terminal status and the mark in one document write; this second write is guarded by
 * the workflow's `countedRuns`, so repeating it after a crash (repair on read) never counts a run twice.
 */
export async function countRunInStats(ctx: MongoContext, workspaceId: string, run: { runId: string; workflowId: string; status: FinishRunInput['status']; durationMs: number | null }): Promise<void> {
  const workflows = await ctx.collection(names.workflows(workspaceId));
  await workflows.updateOne({ _id: run.workflowId as never, countedRuns: { $ne: run.runId } }, statsUpdate(run.runId, run.status, run.durationMs));
  await (await runsCollection(ctx, workspaceId)).updateOne({ _id: run.runId as never }, { $unset: { statsPending: '' } });
}

/** Repair on read: counts runs whose finish was interrupted between its two writes. */
export async function repairPendingStats(ctx: MongoContext, workspaceId: string, workflowId: string): Promise<void> {
  const runs = await runsCollection(ctx, workspaceId);
  const pending = await runs.find({ workflowId, statsPending: true, 'triggeredBy.test': { $exists: false } }, { projection: { status: 1, durationMs: 1 } }).limit(100).toArray();
  for (const d of pending) {
    await countRunInStats(ctx, workspaceId, { runId: String(d._id), workflowId, status: d.status as FinishRunInput['status'], durationMs: (d.durationMs as number | null | undefined) ?? null });
  }
}
