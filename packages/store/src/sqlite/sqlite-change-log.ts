import { ErrorCode, OperationalError } from '@outrun/schemas';
import type { SqliteContext } from './sqlite-database';

/** Change-log rows older than this are pruned. @default 7 days */
export const DEFAULT_CHANGE_LOG_RETENTION_MS = 7 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
const PRUNED_COUNTER = 'data_changes_pruned_through';

/**
 * Deletes change-log rows older than the retention and records the highest pruned position, so a consumer resuming
 * from before it gets CHANGE_STREAM_HISTORY_LOST instead of silently skipping changes.
 */
export function pruneChangeLog(ctx: SqliteContext, retentionMs: number): Promise<number> {
  const cutoff = new Date(Date.parse(ctx.now()) - retentionMs).toISOString();
  // Read first: taking the write lock when nothing is old enough would stall other processes for nothing.
  // Synchronous up to queuing the write, so the store can commit the prune before `createSqliteStore` returns.
  return ctx.run(() => {
    const oldest = ctx.stmt('SELECT at FROM data_changes ORDER BY seq LIMIT 1').get() as { at: string } | undefined;
    if (!oldest || oldest.at >= cutoff) return 0;
    return ctx.write(() => {
      const last = ctx.stmt('SELECT max(seq) AS s FROM data_changes WHERE at < ?').get(cutoff) as { s: number | null };
      if (last.s === null) return 0;
      ctx
        .stmt('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value)')
        .run(PRUNED_COUNTER, last.s);
      return ctx.stmt('DELETE FROM data_changes WHERE seq <= ?').run(last.s).changes;
    });
  });
}

/** Prunes at start-up and every hour; returns the stop function (the timer never keeps the process alive). */
export function schedulePruning(ctx: SqliteContext, retentionMs: number, onError: (error: unknown) => void): () => void {
  const prune = () => void pruneChangeLog(ctx, retentionMs).catch(onError);
  prune();
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** @throws OperationalError(CHANGE_STREAM_HISTORY_LOST) when changes after `position` were pruned. */
export function assertHistoryKept(ctx: SqliteContext, position: number): void {
  const row = ctx.stmt('SELECT value FROM counters WHERE name = ?').get(PRUNED_COUNTER) as { value: number } | undefined;
  if (row && position < row.value) {
    throw new OperationalError(
      ErrorCode.CHANGE_STREAM_HISTORY_LOST,
      `Changes after position ${position} were pruned from the change log (kept through ${row.value}): they are lost. Reset the consumer position deliberately.`,
    );
  }
}
