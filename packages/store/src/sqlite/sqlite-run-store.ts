import { ErrorCode, emptyWorkflowStats, type Run, type WorkflowStats } from '@outrun/schemas';
import type { FinishRunInput, RunStore } from '../ports';
import { alreadyExists } from '../shared/errors';
import { DEFAULT_IDEMPOTENCY_TTL_MS, newQueuedRun } from '../shared/new-run';
import { timeOrderedId } from '../shared/time-ordered-id';
import { durationMs, isoInstant } from '../shared/time';
import { toStoredJson } from '../shared/truncate';
import type { SqliteContext } from './sqlite-database';
import { createSqliteRunQueries } from './sqlite-run-queries';
import { RUN_COLUMNS } from '../shared/run-codec';
import { STEP_COLUMNS, type StoredStep } from '../shared/step-codec';
import { rowToRunSummary, rowToStep, UNFINISHED, type RunRow, type StoredRunRow } from './sqlite-run-rows';
import { createSqliteRunStats } from './sqlite-run-stats';
import { countFinishedRun } from './sqlite-run-buckets';

/** Idempotency keys live this long unless the caller says otherwise. */

/** Runs deleted per retention write: the write lock is held for one chunk at a time. */
export const RETENTION_CHUNK = 1000;

const INSERT_RUN = `INSERT INTO runs (workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, attempt, idempotency_key, retry_of, queued_at, resume_at, parent_run_id, parent_step_id)
  VALUES (?, ?, ?, ?, 'queued', ?, ?, 1, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`;

export const STEP_START = `INSERT INTO run_steps (run_pk, node_id, ord, node_type, status, attempt, started_at, input)
  SELECT pk, ?, (SELECT coalesce(max(ord), 0) + 1 FROM run_steps WHERE run_pk = runs.pk), ?, 'running', ?, ?, ?
  FROM runs WHERE workspace_id = ? AND id = ? AND status IN ${UNFINISHED} AND true
  ON CONFLICT (run_pk, node_id) DO UPDATE SET node_type = excluded.node_type, status = 'running', attempt = excluded.attempt,
    started_at = excluded.started_at, input = excluded.input, finished_at = NULL, duration = NULL, output = NULL, handle = NULL, error = NULL, usage = NULL`;

export const STEP_FINISH = `INSERT INTO run_steps (run_pk, node_id, ord, node_type, status, attempt, started_at, finished_at, duration, output, handle, error, usage, input)
  SELECT pk, ?, (SELECT coalesce(max(ord), 0) + 1 FROM run_steps WHERE run_pk = runs.pk), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
  FROM runs WHERE workspace_id = ? AND id = ? AND status IN ${UNFINISHED} AND true
  ON CONFLICT (run_pk, node_id) DO UPDATE SET status = excluded.status, attempt = excluded.attempt, finished_at = excluded.finished_at,
    duration = excluded.duration, output = excluded.output, handle = excluded.handle, error = excluded.error, usage = excluded.usage,
    input = coalesce(excluded.input, run_steps.input),
    node_type = CASE WHEN excluded.node_type = '' THEN run_steps.node_type ELSE excluded.node_type END`;

const MARK_RUNNING = `UPDATE runs SET status = 'running', attempt = ?, started_at = coalesce(started_at, ?), resume_at = NULL, waiting_for = NULL, trace_id = coalesce(trace_id, ?)
  WHERE workspace_id = ? AND id = ? AND status IN ${UNFINISHED} RETURNING pk, ${RUN_COLUMNS}`;

// The test-run check scans for the key before parsing the trigger payload. (A run's usage is written only by its
// finish, so an unfinished run has none stored to count.)
const FINISHING = `SELECT pk, workflow_id, started_at, queued_at,
  instr(triggered_by, '"test"') > 0 AND json_extract(triggered_by, '$.test') IS NOT NULL AS test
  FROM runs WHERE workspace_id = ? AND id = ? AND status IN ${UNFINISHED}`;

const FINISH_RUN = `UPDATE runs SET status = ?, error = ?, output = ?, response = ?, usage = coalesce(?, usage), finished_at = ?, duration_ms = ?, resume_at = NULL, waiting_for = NULL
  WHERE pk = ?`;

const UPDATE_STATS = `UPDATE workflows SET total_runs = total_runs + 1, successful_runs = successful_runs + @ok, failed_runs = failed_runs + @failed,
  avg_execution_time = CASE WHEN @duration IS NULL THEN avg_execution_time ELSE avg_execution_time + (@duration - avg_execution_time) / (timed_runs + 1) END,
  timed_runs = timed_runs + (@duration IS NOT NULL)
  WHERE workspace_id = @ws AND id = @workflowId`;

/** Runs, their steps, idempotency keys and workflow statistics on SQLite. */
export function createSqliteRunStore(ctx: SqliteContext): RunStore {
  const withSteps = (row: StoredRunRow & { pk: number }): Run => {
    const steps = (ctx.stmt(`SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_pk = ? ORDER BY ord`).all(row.pk) as Array<StoredStep<string | null>>).map(rowToStep);
    return { ...rowToRunSummary(row), steps };
  };
  const loadRun = (workspaceId: string, runId: string): Run | null => {
    const row = ctx.stmt(`SELECT pk, ${RUN_COLUMNS} FROM runs WHERE workspace_id = ? AND id = ?`).get(workspaceId, runId) as (StoredRunRow & { pk: number }) | undefined;
    return row ? withSteps(row) : null;
  };

  /** Writes the terminal status and the workflow stats; false when already terminal or missing. Call inside a write. */
  const finish = (workspaceId: string, runId: string, input: FinishRunInput & { at: string }): boolean => {
    const row = ctx.stmt(FINISHING).get(workspaceId, runId) as
      | (Pick<RunRow, 'pk' | 'workflow_id' | 'started_at'> & { queued_at: string; test: number })
      | undefined;
    if (!row) return false;
    const at = isoInstant(input.at);
    const duration = row.started_at === null ? null : durationMs(row.started_at, at);
    ctx
      .stmt(FINISH_RUN)
      .run(
        input.status,
        toStoredJson(input.error, Infinity),
        toStoredJson(input.output, ctx.maxStepBytes),
        toStoredJson(input.response, Infinity),
        toStoredJson(input.usage, Infinity),
        at,
        duration,
        row.pk,
      );
    const ok = input.status === 'completed' ? 1 : 0;
    const failed = input.status === 'failed' ? 1 : 0;
    // A test run (editor test loop) is not production: the workflow's stats and the workspace's buckets leave it out.
    if (row.test !== 1) {
      ctx.stmt(UPDATE_STATS).run({ ok, failed, duration, ws: workspaceId, workflowId: row.workflow_id });
      countFinishedRun(ctx, { workspaceId, queuedAt: row.queued_at, status: input.status, durationMs: duration, usage: input.usage });
    }
    return true;
  };

  return {
    createRun: (workspaceId, input) =>
      ctx.run(() =>
        ctx.write(() => {
          const now = ctx.now();
          const key = input.idempotencyKey;
          if (key !== undefined) {
            const existing = ctx.stmt('SELECT run_id, expires_at FROM idempotency_keys WHERE workspace_id = ? AND key = ?').get(workspaceId, key) as
              | { run_id: string; expires_at: string }
              | undefined;
            const run = existing && existing.expires_at > now ? loadRun(workspaceId, existing.run_id) : null;
            if (run) return { run, created: false };
          }
          const id = input.id ?? timeOrderedId();
          const run = newQueuedRun(workspaceId, id, input, now);
          const triggeredBy = JSON.stringify(input.triggeredBy);
          const r = ctx
            .stmt(INSERT_RUN)
            .run(workspaceId, id, input.workflowId, input.workflowVersion, input.triggeredBy.type, triggeredBy, key ?? null, input.retryOf ?? null, now, run.resumeAt ?? null, input.parentRunId ?? null, input.parentStepId ?? null);
          if (r.changes === 0) throw alreadyExists('Run', id);
          if (key !== undefined) {
            const expiresAt = new Date(Date.parse(now) + (input.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS)).toISOString();
            ctx.stmt('INSERT OR REPLACE INTO idempotency_keys (workspace_id, key, run_id, expires_at) VALUES (?, ?, ?, ?)').run(workspaceId, key, id, expiresAt);
          }
          return { run, created: true };
        }),
      ),
    getRun: (workspaceId, runId) => ctx.run(() => loadRun(workspaceId, runId)),
    listRuns: createSqliteRunQueries(ctx).listRuns,
    markRunning: (workspaceId, runId, options) =>
      ctx.run(() => {
        const at = isoInstant(options.at);
        // RETURNING: the updated run comes back from the UPDATE itself (no second read of the row). It is decoded,
        // and its steps read, after the commit: nothing that can throw runs after the write's one statement.
        return ctx
          .writeOne(() => ctx.stmt(MARK_RUNNING).get(options.attempt, at, options.traceId ?? null, workspaceId, runId) as (StoredRunRow & { pk: number }) | undefined)
          .then((row) => ctx.run(() => (row ? withSteps(row) : null)));
      }),
    parkRun: (workspaceId, runId, resumeAt, waitingFor) =>
      ctx.writeOne(() => {
        ctx
          .stmt(`UPDATE runs SET resume_at = ?, waiting_for = ?, signal_payload = NULL WHERE workspace_id = ? AND id = ? AND status IN ${UNFINISHED}`)
          .run(isoInstant(resumeAt, 'resumeAt'), waitingFor ?? null, workspaceId, runId);
      }),
    deliverSignal: (workspaceId, runId, delivery) =>
      ctx.run(() =>
        ctx.writeOne(() => {
          const payload = JSON.stringify({ signal: delivery.signal, payload: delivery.payload ?? null });
          const r = ctx
            .stmt(`UPDATE runs SET waiting_for = NULL, signal_payload = ?, resume_at = ? WHERE workspace_id = ? AND id = ? AND waiting_for = ? AND status IN ${UNFINISHED}`)
            .run(payload, isoInstant(delivery.at, 'at'), workspaceId, runId, delivery.signal);
          return r.changes > 0;
        }),
      ),
    getSignalPayload: (workspaceId, runId) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT signal_payload FROM runs WHERE workspace_id = ? AND id = ?').get(workspaceId, runId) as { signal_payload: string | null } | undefined;
        return row?.signal_payload ? (JSON.parse(row.signal_payload) as { signal: string; payload: unknown }) : undefined;
      }),
    listRunsWaitingFor: (workspaceId, signal, limit = 1000) =>
      ctx.run(() =>
        (ctx.stmt(`SELECT id FROM runs WHERE workspace_id = ? AND waiting_for = ? AND status IN ${UNFINISHED} ORDER BY queued_at LIMIT ?`).all(workspaceId, signal, limit) as Array<{ id: string }>).map((r) => r.id),
      ),
    recordStepStart: (workspaceId, runId, step) =>
      ctx.writeOne(() => {
        ctx
          .stmt(STEP_START)
          .run(step.nodeId, step.nodeType, step.attempt, isoInstant(step.startedAt, 'startedAt'), toStoredJson(step.input, ctx.maxStepBytes), workspaceId, runId);
      }),
    recordStepFinish: (workspaceId, runId, step) =>
      ctx.writeOne(() => {
        const finishedAt = isoInstant(step.finishedAt, 'finishedAt');
        ctx
          .stmt(STEP_FINISH)
          .run(
            step.nodeId,
            step.nodeType ?? '',
            step.status,
            step.attempt,
            step.startedAt ?? finishedAt,
            finishedAt,
            step.duration,
            toStoredJson(step.output, ctx.maxStepBytes),
            step.handle ?? null,
            toStoredJson(step.error, Infinity),
            toStoredJson(step.usage, Infinity),
            toStoredJson(step.input, ctx.maxStepBytes),
            workspaceId,
            runId,
          );
      }),
    finishRun: (workspaceId, runId, input) => ctx.run(() => ctx.write(() => finish(workspaceId, runId, input))),
    discardRun: (workspaceId, runId) =>
      ctx.run(() =>
        ctx.write(() => {
          const row = ctx.stmt("SELECT pk FROM runs WHERE workspace_id = ? AND id = ? AND status = 'queued'").get(workspaceId, runId) as { pk: number } | undefined;
          if (!row) return false;
          ctx.stmt('DELETE FROM run_steps WHERE run_pk = ?').run(row.pk);
          ctx.stmt('DELETE FROM idempotency_keys WHERE workspace_id = ? AND run_id = ?').run(workspaceId, runId);
          ctx.stmt('DELETE FROM runs WHERE pk = ?').run(row.pk);
          return true;
        }),
      ),
    cancelRun: (workspaceId, runId, at) =>
      ctx.run(() =>
        ctx.write(() => {
          finish(workspaceId, runId, { status: 'cancelled', error: { code: ErrorCode.RUN_CANCELLED, message: 'The run was cancelled.' }, at });
          return loadRun(workspaceId, runId);
        }),
      ),
    listUnfinishedRuns: (limit = 10_000) =>
      ctx.run(() =>
        (
          ctx.stmt(`SELECT workspace_id, id, status, resume_at FROM runs WHERE status IN ${UNFINISHED} ORDER BY queued_at LIMIT ?`).all(limit) as Array<
            Pick<RunRow, 'workspace_id' | 'id' | 'status' | 'resume_at'>
          >
        ).map((r) => (r.resume_at === null ? { workspaceId: r.workspace_id, runId: r.id, status: r.status } : { workspaceId: r.workspace_id, runId: r.id, status: r.status, resumeAt: r.resume_at })),
      ),
    getWorkflowStats: (workspaceId, workflowId) =>
      ctx.run(() => {
        const r = ctx.stmt('SELECT total_runs, successful_runs, failed_runs, avg_execution_time FROM workflows WHERE workspace_id = ? AND id = ?').get(workspaceId, workflowId) as
          | { total_runs: number; successful_runs: number; failed_runs: number; avg_execution_time: number }
          | undefined;
        const stats: WorkflowStats = r
          ? { totalRuns: r.total_runs, successfulRuns: r.successful_runs, failedRuns: r.failed_runs, avgExecutionTime: r.avg_execution_time }
          : emptyWorkflowStats();
        return stats;
      }),
    getRunStats: createSqliteRunStats(ctx),
    deleteRunsFinishedBefore: async (workspaceId, before) => {
      const cutoff = isoInstant(before, 'before');
      // Bounded chunks, each its own group-commit write: other writers get the lock between chunks.
      const chunk = () =>
        ctx.run(() =>
          ctx.write(() => {
            const rows = ctx.stmt(`SELECT pk, id FROM runs WHERE workspace_id = ? AND finished_at IS NOT NULL AND finished_at < ? LIMIT ${RETENTION_CHUNK}`).all(workspaceId, cutoff) as Array<{ pk: number; id: string }>;
            if (rows.length === 0) return 0;
            const pks = JSON.stringify(rows.map((r) => r.pk));
            ctx.stmt('DELETE FROM run_steps WHERE run_pk IN (SELECT value FROM json_each(?))').run(pks);
            ctx.stmt('DELETE FROM idempotency_keys WHERE workspace_id = ? AND run_id IN (SELECT value FROM json_each(?))').run(workspaceId, JSON.stringify(rows.map((r) => r.id)));
            return ctx.stmt('DELETE FROM runs WHERE pk IN (SELECT value FROM json_each(?))').run(pks).changes;
          }),
        );
      let deleted = 0;
      for (let n = await chunk(); n > 0; n = n < RETENTION_CHUNK ? 0 : await chunk()) deleted += n;
      await ctx.run(() => ctx.write(() => ctx.stmt('DELETE FROM idempotency_keys WHERE workspace_id = ? AND expires_at <= ?').run(workspaceId, ctx.now())));
      return deleted;
    },
  };
}
