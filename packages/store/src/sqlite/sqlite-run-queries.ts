import type { RunListOptions, RunStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { isoInstant } from '../shared/time';
import type { SqliteContext } from './sqlite-database';
import { rowToRunSummary, type RunRow } from './sqlite-run-rows';

const SUMMARY_COLUMNS =
  'pk, workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, attempt, error, idempotency_key, retry_of, output, response, usage, queued_at, started_at, finished_at, resume_at, duration_ms';

/** Builds the WHERE clause of a run list; every filter maps to a prefix of one of the `runs_by_*` indexes. */
function listFilter(workspaceId: string, options: RunListOptions): { where: string; params: Record<string, unknown> } {
  const where = ['workspace_id = @ws'];
  const params: Record<string, unknown> = { ws: workspaceId };
  if (options.workflowId !== undefined) {
    where.push('workflow_id = @workflowId');
    params.workflowId = options.workflowId;
  }
  if (options.status !== undefined) {
    where.push('status = @status');
    params.status = options.status;
  }
  if (options.triggerType !== undefined) {
    where.push('trigger_type = @triggerType');
    params.triggerType = options.triggerType;
  }
  if (options.from !== undefined) {
    where.push('queued_at >= @from');
    params.from = isoInstant(options.from, 'from');
  }
  if (options.to !== undefined) {
    where.push('queued_at <= @to');
    params.to = isoInstant(options.to, 'to');
  }
  if (options.cursor !== undefined) {
    const [queuedAt, id] = decodeCursor(options.cursor, ['string', 'string']);
    where.push('(queued_at, id) < (@cursorAt, @cursorId)');
    Object.assign(params, { cursorAt: queuedAt, cursorId: id });
  }
  return { where: where.join(' AND '), params };
}

/** Run list queries (newest first: `queuedAt` desc, then id desc). */
export function createSqliteRunQueries(ctx: SqliteContext): Pick<RunStore, 'listRuns'> {
  return {
    listRuns: (workspaceId, options = {}) =>
      ctx.run(() => {
        const limit = pageLimit(options.limit);
        const { where, params } = listFilter(workspaceId, options);
        const rows = ctx.stmt(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE ${where} ORDER BY queued_at DESC, id DESC LIMIT @limit`).all({ ...params, limit: limit + 1 }) as RunRow[];
        const items = rows.slice(0, limit).map(rowToRunSummary);
        const last = items.at(-1);
        return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.queuedAt, last.id]) : null };
      }),
  };
}
