import { randomUUID } from 'node:crypto';
import type { Workflow, WorkflowDraft, WorkflowInput, WorkflowSummary, WorkflowVersion, WorkflowVersionSummary } from '@outrun/schemas';
import type { PageOptions, WorkflowListOptions, WorkflowStore } from '../ports';
import { decodeCursor, encodeCursor, pageLimit } from '../shared/cursor';
import { alreadyExists, compact, triggerIdTaken, versionConflict } from '../shared/errors';
import { toWorkflow, toWorkflowVersion, workflowBody } from '../shared/workflow-doc';
import type { SqliteContext } from './sqlite-database';

interface WorkflowRow {
  workspace_id: string;
  id: string;
  status: Workflow['status'];
  version: number;
  body: string;
  total_runs: number;
  successful_runs: number;
  failed_runs: number;
  avg_execution_time: number;
  created_at: string;
  updated_at: string;
}

function rowToWorkflow(r: WorkflowRow): Workflow {
  return toWorkflow(JSON.parse(r.body) as WorkflowInput, {
    id: r.id,
    workspaceId: r.workspace_id,
    status: r.status,
    version: r.version,
    stats: { totalRuns: r.total_runs, successfulRuns: r.successful_runs, failedRuns: r.failed_runs, avgExecutionTime: r.avg_execution_time },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

const rowToVersion = (r: { workspace_id: string; workflow_id: string; version: number; body: string; message: string | null; created_at: string }): WorkflowVersion =>
  toWorkflowVersion(JSON.parse(r.body) as WorkflowInput, { workflowId: r.workflow_id, workspaceId: r.workspace_id, version: r.version, message: r.message, createdAt: r.created_at });

type VersionSummaryRow = { workspace_id: string; workflow_id: string; version: number; message: string | null; created_at: string } & SummaryColumns;

interface DraftRow {
  workspace_id: string;
  workflow_id: string;
  base_version: number;
  body: string;
  updated_at: string;
}

const rowToDraft = (r: DraftRow): WorkflowDraft => ({
  ...workflowBody(JSON.parse(r.body) as WorkflowInput),
  workflowId: r.workflow_id,
  workspaceId: r.workspace_id,
  baseVersion: r.base_version,
  updatedAt: r.updated_at,
});

const SELECT_ONE = 'SELECT * FROM workflows WHERE workspace_id = ? AND id = ?';

/** The summary columns of a stored body, computed by SQLite (the graph never reaches JavaScript). */
const SUMMARY_COLUMNS = `json_extract(body, '$.name') AS name, json_extract(body, '$.description') AS description, json_extract(body, '$.tags') AS tags,
  json_array_length(body, '$.nodes') AS node_count, json_array_length(body, '$.edges') AS edge_count,
  json_array_length(body, '$.triggers') AS trigger_count, octet_length(body) AS size_bytes`;
const TRIGGER_IDS = `(SELECT json_group_array(json_extract(value, '$.id')) FROM json_each(body, '$.triggers')) AS trigger_ids`;

interface SummaryColumns {
  name: string;
  description: string | null;
  tags: string | null;
  node_count: number | null;
  edge_count: number | null;
  trigger_count: number | null;
  size_bytes: number;
}

const summaryFields = (r: SummaryColumns) => ({
  nodeCount: r.node_count ?? 0,
  edgeCount: r.edge_count ?? 0,
  triggerCount: r.trigger_count ?? 0,
  sizeBytes: r.size_bytes,
});

function rowToSummary(r: Omit<WorkflowRow, 'body'> & SummaryColumns & { trigger_ids: string }): WorkflowSummary {
  return compact({
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    description: r.description ?? undefined,
    tags: r.tags === null ? undefined : (JSON.parse(r.tags) as string[]),
    status: r.status,
    version: r.version,
    stats: { totalRuns: r.total_runs, successfulRuns: r.successful_runs, failedRuns: r.failed_runs, avgExecutionTime: r.avg_execution_time },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...summaryFields(r),
    triggerIds: JSON.parse(r.trigger_ids) as string[],
  });
}

/** Current workflows and their immutable versions on SQLite. */
export function createSqliteWorkflowStore(ctx: SqliteContext): WorkflowStore {
  const bump = () => ctx.stmt("UPDATE counters SET value = value + 1 WHERE name = 'workflows'").run();
  const insertVersion = (workspaceId: string, workflowId: string, version: number, body: string, at: string, message?: string) =>
    ctx
      .stmt('INSERT INTO workflow_versions (workspace_id, workflow_id, version, body, message, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(workspaceId, workflowId, version, body, message ?? null, at);
  const getDraftRow = (workspaceId: string, workflowId: string) =>
    ctx.stmt('SELECT * FROM workflow_drafts WHERE workspace_id = ? AND workflow_id = ?').get(workspaceId, workflowId) as DraftRow | undefined;
  const getRow = (workspaceId: string, workflowId: string) => ctx.stmt(SELECT_ONE).get(workspaceId, workflowId) as WorkflowRow | undefined;

  /** A page of workflows, newest update first, with the given columns mapped by `map`. */
  function listPage<R, T extends { updatedAt: string; id: string }>(workspaceId: string, options: WorkflowListOptions, columns: string, map: (row: R) => T) {
    const limit = pageLimit(options.limit);
    const where = ['workspace_id = @ws'];
    const params: Record<string, unknown> = { ws: workspaceId, limit: limit + 1 };
    if (options.status) {
      where.push('status = @status');
      params.status = options.status;
    }
    if (options.cursor) {
      const [updatedAt, id] = decodeCursor(options.cursor, ['string', 'string']);
      where.push('(updated_at, id) < (@updatedAt, @id)');
      Object.assign(params, { updatedAt, id });
    }
    const rows = ctx.stmt(`SELECT ${columns} FROM workflows WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, id DESC LIMIT @limit`).all(params) as R[];
    const items = rows.slice(0, limit).map(map);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.updatedAt, last.id]) : null };
  }

  /** A page of versions, newest first. */
  function versionPage<R, T extends { version: number }>(workspaceId: string, workflowId: string, options: PageOptions, columns: string, map: (row: R) => T) {
    const limit = pageLimit(options.limit);
    const before = options.cursor ? decodeCursor(options.cursor, ['number'])[0] : Number.MAX_SAFE_INTEGER;
    const rows = ctx
      .stmt(`SELECT ${columns} FROM workflow_versions WHERE workspace_id = ? AND workflow_id = ? AND version < ? ORDER BY version DESC LIMIT ?`)
      .all(workspaceId, workflowId, before, limit + 1) as R[];
    const items = rows.slice(0, limit).map(map);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.version]) : null };
  }

  /** Runs a write that may take trigger ids; the unique index (migration 5) refusing one becomes a 409. */
  function takingTriggerIds<T>(write: () => T): T {
    try {
      return write();
    } catch (err) {
      const e = err as { code?: unknown; message?: unknown };
      if (typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && String(e.message).includes('workflow_trigger_ids')) throw triggerIdTaken();
      throw err;
    }
  }

  return {
    createWorkflow: (workspaceId, input, options) =>
      ctx.run(() =>
        ctx.write(() => takingTriggerIds(() => {
          const id = options?.id ?? randomUUID();
          const now = ctx.now();
          const body = JSON.stringify(workflowBody(input));
          const r = ctx
            .stmt("INSERT INTO workflows (workspace_id, id, status, version, body, created_at, updated_at) VALUES (?, ?, 'draft', 1, ?, ?, ?) ON CONFLICT DO NOTHING")
            .run(workspaceId, id, body, now, now);
          if (r.changes === 0) throw alreadyExists('Workflow', id);
          insertVersion(workspaceId, id, 1, body, now);
          bump();
          return rowToWorkflow(getRow(workspaceId, id)!);
        })),
      ),
    getWorkflow: (workspaceId, workflowId) =>
      ctx.run(() => {
        const row = getRow(workspaceId, workflowId);
        return row ? rowToWorkflow(row) : null;
      }),
    listWorkflows: (workspaceId, options = {}) => ctx.run(() => listPage(workspaceId, options, '*', rowToWorkflow)),
    listWorkflowSummaries: (workspaceId, options = {}) =>
      ctx.run(() => listPage(workspaceId, options, `workspace_id, id, status, version, total_runs, successful_runs, failed_runs, avg_execution_time, created_at, updated_at, ${SUMMARY_COLUMNS}, ${TRIGGER_IDS}`, rowToSummary)),
    updateWorkflow: (workspaceId, workflowId, input, options) =>
      ctx.run(() =>
        ctx.write(() => takingTriggerIds(() => {
          const row = getRow(workspaceId, workflowId);
          if (!row) return null;
          if (options?.expectedVersion !== undefined && options.expectedVersion !== row.version) throw versionConflict(workflowId, options.expectedVersion, row.version);
          const now = ctx.now();
          const body = JSON.stringify(workflowBody(input));
          const version = row.version + 1;
          ctx.stmt('UPDATE workflows SET body = ?, version = ?, updated_at = ? WHERE workspace_id = ? AND id = ?').run(body, version, now, workspaceId, workflowId);
          insertVersion(workspaceId, workflowId, version, body, now, options?.message);
          bump();
          return rowToWorkflow(getRow(workspaceId, workflowId)!);
        })),
      ),
    getWorkflowDraft: (workspaceId, workflowId) =>
      ctx.run(() => {
        const row = getDraftRow(workspaceId, workflowId);
        return row ? rowToDraft(row) : null;
      }),
    saveWorkflowDraft: (workspaceId, workflowId, input, baseVersion) =>
      ctx.run(() =>
        ctx.write(() => {
          if (!getRow(workspaceId, workflowId)) return null;
          ctx
            .stmt(
              `INSERT INTO workflow_drafts (workspace_id, workflow_id, base_version, body, updated_at) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (workspace_id, workflow_id) DO UPDATE SET base_version = excluded.base_version, body = excluded.body, updated_at = excluded.updated_at`,
            )
            .run(workspaceId, workflowId, baseVersion, JSON.stringify(workflowBody(input)), ctx.now());
          return rowToDraft(getDraftRow(workspaceId, workflowId)!);
        }),
      ),
    deleteWorkflowDraft: (workspaceId, workflowId) =>
      ctx.run(() => ctx.write(() => ctx.stmt('DELETE FROM workflow_drafts WHERE workspace_id = ? AND workflow_id = ?').run(workspaceId, workflowId).changes > 0)),
    setWorkflowStatus: (workspaceId, workflowId, status) =>
      ctx.run(() =>
        ctx.write(() => takingTriggerIds(() => {
          const r = ctx.stmt('UPDATE workflows SET status = ?, updated_at = ? WHERE workspace_id = ? AND id = ?').run(status, ctx.now(), workspaceId, workflowId);
          if (r.changes === 0) return null;
          bump();
          return rowToWorkflow(getRow(workspaceId, workflowId)!);
        })),
      ),
    getWorkflowVersion: (workspaceId, workflowId, version) =>
      ctx.run(() => {
        const row = ctx.stmt('SELECT * FROM workflow_versions WHERE workspace_id = ? AND workflow_id = ? AND version = ?').get(workspaceId, workflowId, version) as
          | Parameters<typeof rowToVersion>[0]
          | undefined;
        return row ? rowToVersion(row) : null;
      }),
    listWorkflowVersions: (workspaceId, workflowId, options = {}) => ctx.run(() => versionPage(workspaceId, workflowId, options, '*', rowToVersion)),
    listWorkflowVersionSummaries: (workspaceId, workflowId, options = {}) =>
      ctx.run(() =>
        versionPage(workspaceId, workflowId, options, `workspace_id, workflow_id, version, message, created_at, ${SUMMARY_COLUMNS}`, (r: VersionSummaryRow): WorkflowVersionSummary => ({
          workflowId: r.workflow_id,
          workspaceId: r.workspace_id,
          version: r.version,
          name: r.name,
          ...(r.message === null ? {} : { message: r.message }),
          createdAt: r.created_at,
          ...summaryFields(r),
        })),
      ),
    listActiveWorkflows: () => ctx.run(() => (ctx.stmt("SELECT * FROM workflows WHERE status = 'active' ORDER BY workspace_id, id").all() as WorkflowRow[]).map(rowToWorkflow)),
    workflowsChangeCounter: () => ctx.run(() => (ctx.stmt("SELECT value FROM counters WHERE name = 'workflows'").get() as { value: number }).value),
    triggerIdOwners: (workspaceId, triggerIds, exceptWorkflowId) =>
      ctx.run(() => {
        const owners = new Map<string, string>();
        if (triggerIds.length === 0) return owners;
        const rows = ctx
          .stmt('SELECT trigger_id, workflow_id FROM workflow_trigger_ids WHERE workspace_id = ? AND trigger_id IN (SELECT value FROM json_each(?))')
          .all(workspaceId, JSON.stringify(triggerIds)) as Array<{ trigger_id: string; workflow_id: string }>;
        for (const r of rows) if (r.workflow_id !== exceptWorkflowId) owners.set(r.trigger_id, r.workflow_id);
        return owners;
      }),
  };
}
