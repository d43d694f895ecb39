import { ErrorCode, OperationalError, type DataChangeEvent } from '@outrun/schemas';
import { computeBackoff, mathRandom, type BackoffPolicy, type Clock } from '@outrun/engine';
import type { RunLifecycle } from '@outrun/queue';
import type { Store } from '@outrun/store';
import type { Logger } from '@outrun/config';
import type { TriggerIndex } from '../triggers/trigger-index';
import type { TriggerStatsBuffer } from '../triggers/trigger-stats-buffer';
import { matchesFilter } from './match-filter';

export interface DataChangeFollowerDeps {
  store: Store;
  /** Accepts each matching change as a run. */
  lifecycle: RunLifecycle;
  index: TriggerIndex;
  clock: Clock;
  stats: TriggerStatsBuffer;
  logger: Logger;
  /** Feed consumer id, one per listener deployment. @default "listener:data" */
  consumerId?: string;
  /** How often a quiet feed's newer position (MongoDB: past other collections' writes) is saved. @default 10000 */
  idlePositionSaveMs?: number;
}

/** Longest wait between reopen attempts of a failing feed. */
/** Waits between attempts to reopen a failed change stream: 100 ms doubling up to 30 s, ±20 % so followers spread out. */
const REOPEN_BACKOFF: BackoffPolicy = { backoffStrategy: 'exponential', initialDelay: 100, maxDelay: 30_000, jitter: 0.2 };

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
    const iterator = this.deps.store.data.changes({ after, signal: this.abort.signal, onIdlePosition: (position) => this.idlePosition(position) })[Symbol.asyncIterator]();
    // The first pull pins the starting position now.
    const first = iterator.next();
    first.catch(() => undefined);
    return { iterator, first };
  }

  private saving: Promise<void> = Promise.resolve();
  private lastIdleSave = Number.NEGATIVE_INFINITY;

  /** Saves positions in order (event positions and idle ones share one chain). */
  private savePosition(position: string): Promise<void> {
    this.saving = this.saving.catch(() => undefined).then(() => this.deps.store.triggers.saveFeedPosition(this.consumerId, position));
    return this.saving;
  }

  /** A quiet feed's position moves with the change history, so a restart after a long quiet spell can resume. */
  private idlePosition(position: string): void {
    const now = this.deps.clock.now();
    if (now - this.lastIdleSave < (this.deps.idlePositionSaveMs ?? 10_000)) return;
    this.lastIdleSave = now;
    this.savePosition(position).catch((err: unknown) => this.deps.logger.warn({ err }, 'saving the idle data feed position failed'));
  }

  private async run(initial: OpenFeed | undefined): Promise<void> {
    let feed = initial;
    let failures = 0;
    let reported: string | undefined;
    while (!this.abort.signal.aborted) {
      try {
        feed ??= await this.open();
        for (let next = await feed.first; !next.done; next = await feed.iterator.next()) {
          if (this.abort.signal.aborted) break;
          await this.handle(next.value);
          await this.savePosition(next.value.position);
          failures = 0;
          reported = undefined;
        }
        feed = undefined;
        // A feed only ends when we abort it: an end otherwise is a failure, never a cue to reopen at once.
        if (!this.abort.signal.aborted) throw new OperationalError(ErrorCode.STORE_UNAVAILABLE, 'The data change feed ended unexpectedly.');
      } catch (err) {
        feed = undefined;
        if (this.abort.signal.aborted) break;
        failures++;
        reported = this.report(err, failures, reported);
        await this.deps.clock.sleep(computeBackoff(REOPEN_BACKOFF, failures + 1, mathRandom), this.abort.signal).catch(() => undefined);
      }
    }
    await this.saving.catch(() => undefined);
  }

  /**
   * Logs a feed failure once per distinct error (repeats at debug while it persists) and records it as the last
   * error of every data-change trigger, so the trigger statistics show why nothing fires.
   * @returns the code now reported
   */
  private report(err: unknown, failures: number, reported: string | undefined): string {
    const { logger, index, stats, clock } = this.deps;
    const code = (err as { code?: unknown }).code;
    const key = typeof code === 'string' ? code : 'unknown';
    const message = err instanceof Error ? err.message : String(err);
    if (key === reported) logger.debug({ err, failures }, 'data change feed still failing');
    else if (key === ErrorCode.CHANGE_STREAM_HISTORY_LOST) {
      // The saved position fell out of the change history: an alert, never a silent restart from now.
      logger.error({ err, alert: true, consumerId: this.consumerId }, 'data change feed position lost; changes may have been missed — operator action needed');
    } else if (key === ErrorCode.MONGO_REPLICA_SET_REQUIRED) {
      logger.error({ err, alert: true }, 'data change triggers need MongoDB as a replica set; retrying with backoff');
    } else {
      logger.warn({ err, failures }, 'data change feed interrupted; resuming from the saved position');
    }
    const at = new Date(clock.now()).toISOString();
    for (const entries of index.snapshot.data.values()) {
      for (const trigger of entries) stats.error(trigger.workspaceId, trigger.triggerId, { code: key, message, at });
    }
    return key;
  }

  private async handle(event: DataChangeEvent): Promise<void> {
    const { index, stats } = this.deps;
    for (const trigger of index.dataTriggers(event.workspaceId, event.collection)) {
      if (!trigger.config.operations.includes(event.operation)) continue;
      if (!matchesFilter(event.document ?? event.before, trigger.config.filter)) continue;
      const { created } = await this.deps.lifecycle.accept(event.workspaceId, {
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
      }, { announce: 'workspace' });
      if (created) {
        stats.count(event.workspaceId, trigger.triggerId, 'fires', new Date(this.deps.clock.now()).toISOString());
        stats.count(event.workspaceId, trigger.triggerId, 'runsStarted');
      }
    }
  }
}
