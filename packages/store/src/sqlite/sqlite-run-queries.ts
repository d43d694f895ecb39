import type { RunListOptions, RunStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { isoInstant } from '../shared/time';
import type { SqliteContext } from './sqlite-database';
import { RUN_COLUMNS } from '../shared/run-codec';
import { rowToRunSummary, type StoredRunRow } from './sqlite-run-rows';

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
  if (options.parentRunId !== undefined) {
    where.push('parent_run_id = @parentRunId');
    params.parentRunId = options.parentRunId;
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

/** Characters of a run row's JSON columns (≈ bytes of its summary). */
const storedBytes = (r: StoredRunRow): number => (r.triggeredBy?.length ?? 0) + (r.output?.length ?? 0) + (r.response?.length ?? 0) + (r.error?.length ?? 0) + (r.usage?.length ?? 0);

/** Run list queries (newest first: `queuedAt` desc, then id desc). */
export function createSqliteRunQueries(ctx: SqliteContext): Pick<RunStore, 'listRuns'> {
  return {
    listRuns: (workspaceId, options = {}) =>
      ctx.run(() => {
        const limit = pageLimit(options.limit);
        const { where, params } = listFilter(workspaceId, options);
        const budget = options.maxBytes ?? Infinity;
        const items = [];
        let bytes = 0;
        let more = false;
        // Row by row, so a page of large payloads stops at the budget instead of loading 500 of them.
        for (const row of ctx.stmt(`SELECT ${RUN_COLUMNS} FROM runs WHERE ${where} ORDER BY queued_at DESC, id DESC LIMIT @limit`).iterate({ ...params, limit: limit + 1 }) as Iterable<StoredRunRow>) {
          const size = storedBytes(row);
          if (items.length === limit || (items.length > 0 && bytes + size > budget)) {
            more = true;
            break;
          }
          bytes += size;
          items.push(rowToRunSummary(row));
        }
        const last = items.at(-1);
        return { items, nextCursor: more && last ? encodeCursor([last.queuedAt, last.id]) : null };
      }),
  };
}
