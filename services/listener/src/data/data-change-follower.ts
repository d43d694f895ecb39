import { ErrorCode, type DataChangeEvent } from '@outrun/schemas';
import type { Clock } from '@outrun/engine';
import { startRun, type EventBus, type RunQueue } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { Logger } from '@outrun/config';
import type { TriggerIndex } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { matchesFilter } from './match-filter';
import { publishQueued } from '../publish-queued';

export interface DataChangeFollowerDeps {
  store: Store;
  queue: RunQueue;
  events: EventBus;
  index: TriggerIndex;
  clock: Clock;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /** Feed consumer id, one per listener deployment. @default "listener:data" */
  consumerId?: string;
}

/** The run idempotency key of one change for one trigger: replaying the change after a restart creates nothing. */
interface OpenFeed {
  iterator: AsyncIterator<DataChangeEvent>;
  first: Promise<IteratorResult<DataChangeEvent>>;
}

export const dataIdempotencyKey = (position: string, triggerId: string): string => `data:${position}:${triggerId}`;

/**
 * Follows the store's change feed from the saved position and starts a run for every matching `data_change`
 * trigger. The position is saved only after the change's runs are recorded, and runs are keyed by position,
 * so a crash anywhere repeats at most an idempotent no-op: every change is handled exactly once.
 */
export class DataChangeFollower {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: DataChangeFollowerDeps) {}

  get consumerId(): string {
    return this.deps.consumerId ?? 'listener:data';
  }

  /**
   * Opens the feed at the saved position (or at the current end when none is saved) before resolving, so
   * changes written after `start()` resolves are never missed; then follows it in the background.
   */
  async start(): Promise<void> {
    if (this.loop) return;
    const opened = await this.open();
    this.loop = this.run(opened);
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async open(): Promise<OpenFeed> {
    const after = await this.deps.store.triggers.getFeedPosition(this.consumerId);
    const iterator = this.deps.store.data.changes({ after, signal: this.abort.signal })[Symbol.asyncIterator]();
    // The first pull pins the starting position now.
    const first = iterator.next();
    first.catch(() => undefined);
    return { iterator, first };
  }

  private async run(initial: OpenFeed | undefined): Promise<void> {
    const { store, logger, clock } = this.deps;
    let feed = initial;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        feed ??= await this.open();
        for (let next = await feed.first; !next.done; next = await feed.iterator.next()) {
          if (this.abort.signal.aborted) break;
          await this.handle(next.value);
          await store.triggers.saveFeedPosition(this.consumerId, next.value.position);
          failures = 0;
        }
        feed = undefined;
      } catch (err) {
        feed = undefined;
        if (this.abort.signal.aborted) break;
        failures++;
        if ((err as { code?: string }).code === ErrorCode.CHANGE_STREAM_HISTORY_LOST) {
          // The saved position fell out of the change history: an alert, never a silent restart from now.
          logger.error({ err, alert: true, consumerId: this.consumerId }, 'data change feed position lost; changes may have been missed — operator action needed');
        } else {
          logger.warn({ err, failures }, 'data change feed interrupted; resuming from the saved position');
        }
        await clock.sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)), this.abort.signal).catch(() => undefined);
      }
    }
  }

  private async handle(event: DataChangeEvent): Promise<void> {
    const { store, index, stats } = this.deps;
    for (const trigger of index.dataTriggers(event.workspaceId, event.collection)) {
      if (!trigger.config.operations.includes(event.operation)) continue;
      if (!matchesFilter(event.document ?? event.before, trigger.config.filter)) continue;
      const { run, created } = await startRun({ runs: store.runs, queue: this.deps.queue }, event.workspaceId, {
        workflowId: trigger.workflowId,
        workflowVersion: trigger.workflowVersion,
        triggeredBy: {
          type: 'data_change',
          source: `data:${event.collection}`,
          triggerId: trigger.triggerId,
          payload: {
            operation: event.operation,
            collection: event.collection,
            documentId: event.documentId,
            document: event.document ?? null,
            before: event.before ?? null,
            at: event.at,
            position: event.position,
          },
        },
        idempotencyKey: dataIdempotencyKey(event.position, trigger.triggerId),
      });
      if (created) {
        publishQueued(this.deps.events, run);
        stats.count(event.workspaceId, trigger.triggerId, 'fires', new Date(this.deps.clock.now()).toISOString());
        stats.count(event.workspaceId, trigger.triggerId, 'runsStarted');
      }
    }
  }
}
