import { ErrorCode, OperationalError, type Run } from '@outrun/schemas';
import type { CreateRunInput, RunStore } from '@outrun/store';
import type { EventBus, RunQueue } from './ports';

/** Live-view channels on the EventBus. */
export const runChannel = (runId: string) => `run:${runId}`;
export const workspaceChannel = (workspaceId: string) => `ws:${workspaceId}`;

export interface StartRunDeps {
  runs: RunStore;
  queue: RunQueue;
  events?: EventBus;
}

/**
 * Accepts one event as a run: records it (`queued`, idempotent on `idempotencyKey`), then enqueues
 * `{workspaceId, runId}` with the run id as job id. Shared by the listener (webhooks, schedules, data changes)
 * and the API ("run now", retry).
 *
 * Accepted means durably recorded AND queued: if the queue refuses, the fresh run is discarded (its idempotency
 * key released) and OperationalError(QUEUE_UNAVAILABLE) is thrown, so the caller answers 503 having accepted nothing.
 * A duplicate (`created: false`) is returned as is and starts nothing.
 */
export async function startRun(deps: StartRunDeps, workspaceId: string, input: CreateRunInput): Promise<{ run: Run; created: boolean }> {
  const { run, created } = await deps.runs.createRun(workspaceId, input);
  if (!created) return { run, created };
  try {
    await deps.queue.enqueue({ workspaceId, runId: run.id });
  } catch (cause) {
    await deps.runs.discardRun(workspaceId, run.id).catch(() => undefined);
    throw new OperationalError(ErrorCode.QUEUE_UNAVAILABLE, 'The run queue is unavailable; nothing was accepted.', { cause });
  }
  if (deps.events) {
    const event = { type: 'status', workspaceId, workflowId: run.workflowId, runId: run.id, status: 'queued', at: run.queuedAt };
    // Live views are best effort; the run is already durable.
    await Promise.all([deps.events.publish(runChannel(run.id), event), deps.events.publish(workspaceChannel(workspaceId), event)]).catch(() => undefined);
  }
  return { run, created };
}
