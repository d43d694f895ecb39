import type { RunEvent } from '@outrun/schemas';
import { runChannel, runEventBus, workspaceChannel, type EventBus } from '@outrun/queue';
import type { Logger } from '@outrun/config';

/**
 * Publishes a live-view event on the run's and the workspace's channels. Fire and forget: live views are
 * best effort and a slow or down bus must never hold a run back (the store has the truth).
 */
export function publishRunEvent(bus: EventBus, logger: Logger, event: RunEvent): void {
  const events = runEventBus(bus); // typed: in-process subscribers take the event without parsing it again
  Promise.all([events.publish(runChannel(event.runId), event), events.publish(workspaceChannel(event.workspaceId), event)]).catch((err: unknown) =>
    logger.debug({ err, runId: event.runId }, 'live event not published'),
  );
}
