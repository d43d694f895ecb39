import type { WorkflowStatus } from '@outrun/schemas';
import type { HousekeepingStore } from '../ports';
import type { SqliteContext } from './sqlite-database';

/** Versions deleted per statement: one pruning write never holds the lock for long. */
const PRUNE_CHUNK = 500;

const PRUNE = `DELETE FROM workflow_versions WHERE workspace_id = @ws AND workflow_id = @wf AND version IN (
  SELECT version FROM workflow_versions WHERE workspace_id = @ws AND workflow_id = @wf
    AND version <= (SELECT version FROM workflows WHERE workspace_id = @ws AND id = @wf) - @keep
    AND version NOT IN (SELECT workflow_version FROM runs WHERE workspace_id = @ws AND workflow_id = @wf AND status IN ('queued', 'running'))
  ORDER BY version LIMIT ${PRUNE_CHUNK})`;

const LEASE = `INSERT INTO leases (name, holder, expires_at) VALUES (@name, @holder, @expires)
  ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
  WHERE leases.holder = excluded.holder OR leases.expires_at <= @now`;

/** Quotas' usage counts, version pruning, retention cutoffs, the housekeeping lease and incremental vacuum on SQLite. */
export function createSqliteHousekeeping(ctx: SqliteContext): HousekeepingStore {
  return {
    usage: (workspaceId) =>
      ctx.run(() => {
        const workflows: Record<WorkflowStatus, number> = { draft: 0, active: 0, paused: 0, archived: 0 };
        for (const r of ctx.stmt('SELECT status, count(*) AS n FROM workflows WHERE workspace_id = ? GROUP BY status').all(workspaceId) as Array<{ status: WorkflowStatus; n: number }>) {
          workflows[r.status] = r.n;
        }
        const apiKeys = (ctx.stmt('SELECT count(*) AS n FROM api_keys WHERE workspace_id = ?').get(workspaceId) as { n: number }).n;
        // octet_length reads the size from the record header: no overflow page of a large body is loaded.
        const versionBytes = (ctx.stmt('SELECT total(octet_length(body)) AS b FROM workflow_versions WHERE workspace_id = ?').get(workspaceId) as { b: number }).b;
        const dataBytes = (ctx.stmt('SELECT total(octet_length(data)) AS b FROM data_documents WHERE workspace_id = ?').get(workspaceId) as { b: number }).b;
        return { workflows, apiKeys, storedBytes: versionBytes + dataBytes };
      }),
    pruneWorkflowVersions: async (workspaceId, workflowId, keep) => {
      let deleted = 0;
      for (;;) {
        const n = await ctx.write(() => ctx.stmt(PRUNE).run({ ws: workspaceId, wf: workflowId, keep: Math.max(1, keep) }).changes);
        deleted += n;
        if (n < PRUNE_CHUNK) return deleted;
      }
    },
    workflowsWithVersionsBeyond: (workspaceId, keep) =>
      ctx.run(() =>
        (
          ctx.stmt('SELECT workflow_id FROM workflow_versions WHERE workspace_id = ? GROUP BY workflow_id HAVING count(*) > ?').all(workspaceId, keep) as Array<{ workflow_id: string }>
        ).map((r) => r.workflow_id),
      ),
    finishedAtOfNth: (workspaceId, n, order) =>
      ctx.run(() => {
        const dir = order === 'oldest' ? 'ASC' : 'DESC';
        const row = ctx
          .stmt(`SELECT finished_at FROM runs WHERE workspace_id = ? AND finished_at IS NOT NULL ORDER BY finished_at ${dir} LIMIT 1 OFFSET ?`)
          .get(workspaceId, Math.max(0, n - 1)) as { finished_at: string } | undefined;
        return row?.finished_at ?? null;
      }),
    tryLease: (name, holder, ttlMs) =>
      ctx.run(() =>
        ctx.write(() => {
          const now = Date.parse(ctx.now());
          return ctx.stmt(LEASE).run({ name, holder, expires: now + ttlMs, now }).changes === 1;
        }),
      ),
    reclaimSpace: (maxPages) =>
      ctx.run(() =>
        ctx.write(() => {
          const before = ctx.db.pragma('freelist_count', { simple: true }) as number;
          // A no-op unless the file has auto_vacuum=INCREMENTAL (new files do; `npm run db:compact` converts old ones).
          ctx.db.pragma(`incremental_vacuum(${Math.max(1, Math.floor(maxPages))})`);
          const after = ctx.db.pragma('freelist_count', { simple: true }) as number;
          return { freedPages: Math.max(0, before - after) };
        }),
      ),
  };
}
