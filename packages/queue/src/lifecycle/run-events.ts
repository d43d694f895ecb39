import type { Run, RunEvent, RunStatus } from '@outrun/schemas';
import type { EventBus } from '../ports';

/** Live-view channels on the EventBus. */
export const runChannel = (runId: string) => `run:${runId}`;
export const workspaceChannel = (workspaceId: string) => `ws:${workspaceId}`;
/** Where a credential's change is announced (`{workspaceId, credentialId}`): listeners drop cached secrets at once. */
export const CREDENTIALS_CHANNEL = 'credentials';

/**
 * Where a status event goes: both the run's and the workspace's channel, or only the workspace's (a run just
 * accepted by the listener: nobody can be subscribed to its channel before its id is known, so that publish
 * would be a wasted Redis round trip on the hot path).
 */
export type Audience = 'run-and-workspace' | 'workspace';

export const statusEvent = (run: Pick<Run, 'id' | 'workspaceId' | 'workflowId'>, status: RunStatus, at: string): RunEvent => ({
  type: 'status', workspaceId: run.workspaceId, workflowId: run.workflowId, runId: run.id, status, at,
});

/** Publishes one event; rejects when the bus does (callers decide whether to wait, and always swallow). */
export function publishEvent(events: EventBus, event: RunEvent, audience: Audience = 'run-and-workspace'): Promise<unknown> {
  const ws = events.publish(workspaceChannel(event.workspaceId), event);
  return audience === 'workspace' ? ws : Promise.all([events.publish(runChannel(event.runId), event), ws]);
}
