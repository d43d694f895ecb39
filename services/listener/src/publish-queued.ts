import type { Run } from '@outrun/schemas';
import { workspaceChannel, type EventBus } from '@outrun/queue';

/**
 * Announces a new run's `queued` status on its workspace's live channel, without waiting. Listener runs are
 * started with `startRun` minus `events`: nobody can be subscribed to a run channel before the run id is known,
 * so the run-channel publish would be wasted work (one Redis round trip per event on the hot path).
 */
export function publishQueued(events: EventBus, run: Run): void {
  const event = { type: 'status', workspaceId: run.workspaceId, workflowId: run.workflowId, runId: run.id, status: 'queued', at: run.queuedAt };
  events.publish(workspaceChannel(run.workspaceId), event).catch(() => undefined); // best effort; the run is durable
}
