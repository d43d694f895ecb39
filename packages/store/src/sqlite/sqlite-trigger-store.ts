import type { TriggerStatCounter, TriggerStats } from '@outrun/schemas';
import type { TriggerStateStore } from '../ports';
import { isoInstant } from '../shared/time';
import type { SqliteContext } from './sqlite-database';

/** Column of each counter (closed set: a counter name never reaches SQL text unchecked). */
const COUNTER_COLUMNS: Record<TriggerStatCounter, string> = {
  fires: 'fires',
  runsStarted: 'runs_started',
  authFailures: 'auth_failures',
  duplicatesDropped: 'duplicates_dropped',
  rateLimited: 'rate_limited',
  errors: 'errors',
};

interface StatsRow {
  fires: number;
  runs_started: number;
  auth_failures: number;
  duplicates_dropped: number;
  rate_limited: number;
  errors: number;
  last_fired_at: string | null;
  last_error: string | null;
}

/** Per-trigger statistics, schedule occurrences and change-feed positions on SQLite. */
export function createSqliteTriggerStore(ctx: SqliteContext): TriggerStateStore {
  return {
    getTriggerStats: (workspaceId, triggerId) =>
      ctx.run(() => {
        const r = ctx.stmt('SELECT * FROM trigger_stats WHERE workspace_id = ? AND trigger_id = ?').get(workspaceId, triggerId) as StatsRow | undefined;
        const stats: TriggerStats = {
          fires: r?.fires ?? 0,
          runsStarted: r?.runs_started ?? 0,
          authFailures: r?.auth_failures ?? 0,
          duplicatesDropped: r?.duplicates_dropped ?? 0,
          rateLimited: r?.rate_limited ?? 0,
          errors: r?.errors ?? 0,
          lastFiredAt: r?.last_fired_at ?? null,
          lastError: r?.last_error ? (JSON.parse(r.last_error) as TriggerStats['lastError']) : null,
        };
        return stats;
      }),
    incrementTriggerStat: (workspaceId, triggerId, counter, options) =>
      ctx.write(() => {
        const column = COUNTER_COLUMNS[counter];
        const firedAt = counter === 'fires' ? isoInstant(options?.at ?? ctx.now()) : null;
        ctx
          .stmt(
            `INSERT INTO trigger_stats (workspace_id, trigger_id, ${column}, last_fired_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (workspace_id, trigger_id) DO UPDATE SET ${column} = ${column} + excluded.${column},
               last_fired_at = CASE WHEN excluded.last_fired_at IS NULL OR excluded.last_fired_at < coalesce(last_fired_at, '') THEN last_fired_at ELSE excluded.last_fired_at END`,
          )
          .run(workspaceId, triggerId, options?.by ?? 1, firedAt);
      }),
    recordTriggerError: (workspaceId, triggerId, error) =>
      ctx.write(() => {
        const json = JSON.stringify({ code: error.code, message: error.message, at: error.at });
        ctx
          .stmt('INSERT INTO trigger_stats (workspace_id, trigger_id, last_error) VALUES (?, ?, ?) ON CONFLICT (workspace_id, trigger_id) DO UPDATE SET last_error = excluded.last_error')
          .run(workspaceId, triggerId, json);
      }),
    getLastFiredOccurrence: (workspaceId, triggerId) =>
      ctx.run(() => {
        const r = ctx.stmt('SELECT last_fired FROM trigger_occurrences WHERE workspace_id = ? AND trigger_id = ?').get(workspaceId, triggerId) as { last_fired: string } | undefined;
        return r?.last_fired ?? null;
      }),
    advanceLastFiredOccurrence: (workspaceId, triggerId, occurrence) =>
      ctx.write(() => {
        // One statement: the write lock makes the compare-and-set atomic across processes.
        const r = ctx
          .stmt(
            `INSERT INTO trigger_occurrences (workspace_id, trigger_id, last_fired) VALUES (?, ?, ?)
             ON CONFLICT (workspace_id, trigger_id) DO UPDATE SET last_fired = excluded.last_fired WHERE excluded.last_fired > trigger_occurrences.last_fired`,
          )
          .run(workspaceId, triggerId, isoInstant(occurrence, 'occurrence'));
        return r.changes === 1;
      }),
    getFeedPosition: (consumerId) =>
      ctx.run(() => (ctx.stmt('SELECT position FROM feed_positions WHERE consumer_id = ?').get(consumerId) as { position: string } | undefined)?.position ?? null),
    saveFeedPosition: (consumerId, position) =>
      ctx.write(() => {
        ctx
          .stmt('INSERT INTO feed_positions (consumer_id, position, updated_at) VALUES (?, ?, ?) ON CONFLICT (consumer_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at')
          .run(consumerId, position, ctx.now());
      }),
  };
}
