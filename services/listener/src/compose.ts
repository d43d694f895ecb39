/**
 * The listener's composition root: from a parsed environment and the opened adapters, the listener and the
 * housekeeper it runs. Used by `main.ts` (its own store and queue) and by `npm start` (shared adapters).
 */
import { limitsFromEnv, type Logger } from '@outrun/config';
import type { OpenedQueue } from '@outrun/queue/open';
import { createNetworkGuard, type Connector } from '@outrun/connector-kit';
import type { Store } from '@outrun/store';
import { startHousekeeper } from '@outrun/store/housekeeping';
import type { ListenerEnv } from './env';
import { createListener, type Listener } from './server';

export interface ComposedListener {
  listener: Listener;
  /** Starts the listener, then retention, version pruning and vacuum (the store's lease lets one process work). */
  start(): Promise<void>;
  /** Stops schedules and the change feed, flushes statistics, stops the housekeeper. */
  stop(): Promise<void>;
}

export async function composeListener(env: ListenerEnv, deps: { store: Store; opened: Pick<OpenedQueue, 'queue' | 'events'>; logger: Logger; connectors?: readonly Connector[] }): Promise<ComposedListener> {
  const { store, logger } = deps;
  const limits = limitsFromEnv(env);
  const listener = await createListener({
    store,
    queue: deps.opened.queue,
    events: deps.opened.events,
    logger,
    ...(deps.connectors ? { connectors: deps.connectors } : {}),
    networkGuard: createNetworkGuard({ allowList: env.OUTRUN_HTTP_ALLOW_LIST }),
    options: {
      scheduleLeadMs: env.LISTENER_SCHEDULE_LEAD_MS,
      backlogHighWater: env.OUTRUN_BACKLOG_HIGH_WATER,
      limits,
      ...(env.OUTRUN_METRICS_TOKEN ? { metricsToken: env.OUTRUN_METRICS_TOKEN } : {}),
      ...(env.LISTENER_PUBLIC_URL ? { publicBaseUrl: env.LISTENER_PUBLIC_URL } : {}),
    },
  });
  let housekeeper: ReturnType<typeof startHousekeeper> | undefined;
  return {
    listener,
    async start() {
      await listener.start();
      housekeeper = startHousekeeper({ store, limits, logger: logger.child({ service: 'housekeeping' }), intervalMs: env.OUTRUN_HOUSEKEEPING_INTERVAL_MS });
    },
    async stop() {
      await listener.close();
      await housekeeper?.stop();
    },
  };
}
