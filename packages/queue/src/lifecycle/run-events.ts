import { RunEvent, type Run, type RunStatus } from '@outrun/schemas';
import type { z } from 'zod';
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

/**
 * A typed view of a bus: publishes `T`, and subscribers receive only messages that parse as `T` (anything else on
 * the channel — a foreign publisher, an older release — is dropped, never handed on raw).
 */
export function typedBus<T>(bus: EventBus, schema: z.ZodType<T>): EventBus<T> {
  return {
    publish: (channel, message) => bus.publish(channel, message),
    subscribe: (channel, listener) =>
      bus.subscribe(channel, (message) => {
        const parsed = schema.safeParse(message);
        if (parsed.success) listener(parsed.data);
      }),
    close: () => bus.close(),
  };
}

/** The run-event view of a bus (`run:{id}` and `ws:{workspaceId}` channels). */
export const runEventBus = (bus: EventBus): EventBus<RunEvent> => typedBus(bus, RunEvent);

/** Publishes one event; rejects when the bus does (callers decide whether to wait, and always swallow). */
export function publishEvent(events: EventBus<RunEvent>, event: RunEvent, audience: Audience = 'run-and-workspace'): Promise<unknown> {
  const ws = events.publish(workspaceChannel(event.workspaceId), event);
  return audience === 'workspace' ? ws : Promise.all([events.publish(runChannel(event.runId), event), ws]);
}
