import { RunEvent, type Run, type RunStatus } from '@outrun/schemas';
import type { z } from 'zod';
import type { EventBus } from '../ports';

/** Live-view channels on the EventBus. */
export const runChannel = (runId: string) => `run:${runId}`;
export const workspaceChannel = (workspaceId: string) => `ws:${workspaceId}`;
/** Where the lifecycle announces each cancel (a `cancelled` status event): runners listen here once, not per run. */
export const CANCELS_CHANNEL = 'cancels';
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
  const { published, listening } = trustFor(schema);
  return {
    publish: (channel, message) => {
      // Marked only where a typed subscriber of this schema listens in this process (most step events have none).
      if (listening.has(channel) && typeof message === 'object' && message !== null) published.add(message);
      return bus.publish(channel, message);
    },
    subscribe: async (channel, listener) => {
      listening.set(channel, (listening.get(channel) ?? 0) + 1);
      let unsubscribe: () => Promise<void>;
      try {
        unsubscribe = await bus.subscribe(channel, (message) => {
          // The in-process bus hands over the very object a typed publisher sent: it is a T already (a run's events
          // were parsed once per subscriber — ~2 % of the embedded runner's CPU). Anything else is parsed.
          if (typeof message === 'object' && message !== null && published.has(message)) return listener(message as T);
          const parsed = schema.safeParse(message);
          if (parsed.success) listener(parsed.data);
        });
      } catch (error) {
        stopListening(listening, channel);
        throw error;
      }
      let done = false;
      return async () => {
        if (!done) stopListening(listening, channel);
        done = true;
        await unsubscribe();
      };
    },
    close: () => bus.close(),
  };
}

/** Per schema: the objects published through a typed bus in this process (weak: they go with their last reader),
 * and how many typed subscribers listen on each channel. */
interface Trust {
  published: WeakSet<object>;
  listening: Map<string, number>;
}
const trustBySchema = new WeakMap<object, Trust>();
function trustFor(schema: object): Trust {
  let trust = trustBySchema.get(schema);
  if (!trust) trustBySchema.set(schema, (trust = { published: new WeakSet(), listening: new Map() }));
  return trust;
}
function stopListening(listening: Map<string, number>, channel: string): void {
  const left = (listening.get(channel) ?? 1) - 1;
  if (left > 0) listening.set(channel, left);
  else listening.delete(channel);
}

/** Typed run-event views, one per bus: callers on the hot path (every step event) ask for it each time. */
const runEventBuses = new WeakMap<EventBus, EventBus<RunEvent>>();

/** The run-event view of a bus (`run:{id}` and `ws:{workspaceId}` channels); the same view for the same bus. */
export function runEventBus(bus: EventBus): EventBus<RunEvent> {
  let typed = runEventBuses.get(bus);
  if (!typed) runEventBuses.set(bus, (typed = typedBus(bus, RunEvent)));
  return typed;
}

/** Publishes one event; rejects when the bus does (callers decide whether to wait, and always swallow). */
export function publishEvent(events: EventBus<RunEvent>, event: RunEvent, audience: Audience = 'run-and-workspace'): Promise<unknown> {
  const ws = events.publish(workspaceChannel(event.workspaceId), event);
  return audience === 'workspace' ? ws : Promise.all([events.publish(runChannel(event.runId), event), ws]);
}
