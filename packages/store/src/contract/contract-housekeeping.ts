import { createLimits, DEFAULT_LIMITS } from '@outrun/config';
import { expect, it } from 'vitest';
import { startHousekeeper } from '../housekeeping/housekeeper';
import { manual, seedWorkflow, workflowInput, type ContractContext } from './harness';

const DAY = 86_400_000;

/** Daily run buckets, version pruning, usage counts, retention cutoffs, the housekeeping lease and the housekeeper. */
export function housekeepingCases(c: ContractContext): void {
  it('whole-workspace stats from daily buckets match the runs exactly (p95 within 5 %), and survive retention', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const other = await c.store.workflows.createWorkflow(workspaceId, workflowInput({ name: 'second' }));
    const now = new Date();
    const start = Date.now();
    const durations = Array.from({ length: 40 }, (_, i) => 37 * (i + 1)); // exact p95 (nearest rank) = 37 * 38 = 1406
    for (const [i, d] of durations.entries()) {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId: i % 2 === 0 ? workflowId : other.id, workflowVersion: 1, triggeredBy: manual() });
      await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: new Date(start).toISOString() });
      const usage = { aiTokensUsed: 3, estimatedCost: 0.5, webhooksCalled: 0, unpricedCalls: 0 };
      await c.store.runs.finishRun(workspaceId, run.id, { status: i < 30 ? 'completed' : i < 38 ? 'failed' : 'cancelled', usage, at: new Date(start + d).toISOString() });
    }
    await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() }); // still queued
    const running = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    await c.store.runs.markRunning(workspaceId, running.id, { attempt: 1, at: new Date(start).toISOString() }); // counted while running
    const discarded = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    expect(await c.store.runs.discardRun(workspaceId, discarded.id)).toBe(true); // enqueue failed: never counted
    const queuedThenCancelled = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    await c.store.runs.cancelRun(workspaceId, queuedThenCancelled.id, new Date(start).toISOString()); // no duration

    const stats = await c.store.runs.getRunStats(workspaceId, { days: 7, now });
    expect(stats).toMatchObject({ totalRuns: 43, successfulRuns: 30, failedRuns: 8, cancelledRuns: 3, aiTokensUsed: 120 });
    expect(stats.estimatedCost).toBeCloseTo(20, 9);
    expect(stats.successRate).toBeCloseTo(30 / 38, 9);
    expect(stats.avgExecutionTime).toBeCloseTo(durations.reduce((a, b) => a + b) / 40, 6);
    expect(stats.p95ExecutionTime).toBeGreaterThanOrEqual(1406);
    expect(stats.p95ExecutionTime).toBeLessThanOrEqual(1406 * 1.05);
    expect(stats.perDay.at(-1)).toMatchObject({ date: now.toISOString().slice(0, 10), total: 43, completed: 30, failed: 8, cancelled: 3 });
    // one workflow stays exact, from its runs
    expect((await c.store.runs.getRunStats(workspaceId, { workflowId, days: 7, now })).totalRuns).toBe(23);

    // retention deletes runs, not history
    expect(await c.store.runs.deleteRunsFinishedBefore(workspaceId, new Date(start + DAY).toISOString())).toBe(41);
    expect(await c.store.runs.getRunStats(workspaceId, { days: 7, now })).toEqual(stats);
    expect((await c.store.runs.getRunStats(workspaceId, { days: 1, now: new Date(now.getTime() + 3 * DAY) })).totalRuns).toBe(0);
    // another workspace's buckets are its own
    const foreign = await c.store.workspaces.createWorkspace({ name: 'B' });
    expect((await c.store.runs.getRunStats(foreign.id, { days: 7, now })).totalRuns).toBe(0);
  });

  it('prunes versions beyond the kept history, never the current one nor one a live run is pinned to', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const wf = await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'v1' }));
    for (let v = 2; v <= 10; v++) await c.store.workflows.updateWorkflow(ws.id, wf.id, workflowInput({ name: `v${v}` }));
    const pinned = (await c.store.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 2, triggeredBy: manual() })).run; // queued on v2
    const parked = (await c.store.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 4, triggeredBy: manual() })).run;
    await c.store.runs.markRunning(ws.id, parked.id, { attempt: 1, at: new Date().toISOString() });
    await c.store.runs.parkRun(ws.id, parked.id, new Date(Date.now() + DAY).toISOString()); // a durable delay on v4
    const done = (await c.store.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 5, triggeredBy: manual() })).run;
    await c.store.runs.finishRun(ws.id, done.id, { status: 'completed', at: new Date().toISOString() }); // finished: does not pin v5

    expect(await c.store.housekeeping.workflowsWithVersionsBeyond(ws.id, 3)).toEqual([wf.id]);
    const before = (await c.store.housekeeping.usage(ws.id)).storedBytes;
    expect(await c.store.housekeeping.pruneWorkflowVersions(ws.id, wf.id, 3)).toBe(5); // 1, 3, 5, 6, 7
    const kept = (await c.store.workflows.listWorkflowVersions(ws.id, wf.id, { limit: 50 })).items.map((v) => v.version);
    expect(kept).toEqual([10, 9, 8, 4, 2]);
    expect(await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 1)).toBeNull();
    expect((await c.store.housekeeping.usage(ws.id)).storedBytes).toBeLessThan(before);
    expect(await c.store.housekeeping.pruneWorkflowVersions(ws.id, wf.id, 3)).toBe(0);
    // keep = 1 still keeps the current version
    await c.store.runs.cancelRun(ws.id, pinned.id, new Date().toISOString());
    expect(await c.store.housekeeping.pruneWorkflowVersions(ws.id, wf.id, 1)).toBe(3);
    expect((await c.store.workflows.listWorkflowVersions(ws.id, wf.id)).items.map((v) => v.version)).toEqual([10, 4]);
    expect((await c.store.workflows.getWorkflow(ws.id, wf.id))?.version).toBe(10);
    expect(await c.store.housekeeping.pruneWorkflowVersions(ws.id, 'missing', 1)).toBe(0);
  });

  it('counts usage per workspace: workflows by status, API keys, stored bytes', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const other = await c.store.workspaces.createWorkspace({ name: 'B' });
    const empty = await c.store.housekeeping.usage(ws.id);
    expect(empty).toEqual({ workflows: { draft: 0, active: 0, paused: 0, archived: 0 }, apiKeys: 0, storedBytes: 0 });
    const a = await c.store.workflows.createWorkflow(ws.id, workflowInput());
    await c.store.workflows.createWorkflow(ws.id, workflowInput());
    await c.store.workflows.setWorkflowStatus(ws.id, a.id, 'archived');
    await c.store.workspaces.createApiKey(ws.id);
    await c.store.workspaces.createApiKey(other.id);
    const one = await c.store.housekeeping.usage(ws.id);
    expect(one.workflows).toEqual({ draft: 1, active: 0, paused: 0, archived: 1 });
    expect(one.apiKeys).toBe(1);
    expect(one.storedBytes).toBeGreaterThan(200);
    await c.store.data.insert(ws.id, 'leads', { blob: 'x'.repeat(10_000) });
    expect((await c.store.housekeeping.usage(ws.id)).storedBytes).toBeGreaterThan(one.storedBytes + 10_000);
    expect((await c.store.housekeeping.usage(other.id)).storedBytes).toBe(0);
  });

  it('finds the n-th finished run oldest or newest first (retention cutoffs)', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    for (let i = 0; i < 5; i++) {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
      await c.store.runs.finishRun(workspaceId, run.id, { status: 'completed', at: new Date(Date.UTC(2026, 0, 1 + i)).toISOString() });
    }
    await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() }); // unfinished: not counted
    expect(await c.store.housekeeping.finishedAtOfNth(workspaceId, 1, 'oldest')).toBe('2026-01-01T00:00:00.000Z');
    expect(await c.store.housekeeping.finishedAtOfNth(workspaceId, 2, 'newest')).toBe('2026-01-04T00:00:00.000Z');
    expect(await c.store.housekeeping.finishedAtOfNth(workspaceId, 6, 'newest')).toBeNull();
  });

  it('grants the housekeeping lease to one holder until it expires', async () => {
    expect(await c.store.housekeeping.tryLease('hk', 'a', 60_000)).toBe(true);
    expect(await c.store.housekeeping.tryLease('hk', 'b', 60_000)).toBe(false);
    expect(await c.store.housekeeping.tryLease('hk', 'a', 0)).toBe(true); // renewed by its holder (expiring now)
    expect(await c.store.housekeeping.tryLease('hk', 'b', 60_000)).toBe(true); // expired: taken over
    expect(await c.store.housekeeping.tryLease('hk', 'a', 60_000)).toBe(false);
    expect(await c.store.housekeeping.tryLease('other', 'a', 60_000)).toBe(true);
  });

  it('the housekeeper applies retention by age and by count in chunks, prunes versions, and keeps unfinished runs', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const keepAll = await c.store.workspaces.createWorkspace({ name: 'keeps everything' });
    const now = Date.UTC(2026, 5, 1);
    const finishAt = async (ws: string, wf: string, ms: number) => {
      const { run } = await c.store.runs.createRun(ws, { workflowId: wf, workflowVersion: 1, triggeredBy: manual() });
      await c.store.runs.finishRun(ws, run.id, { status: 'completed', at: new Date(ms).toISOString() });
    };
    for (let i = 0; i < 10; i++) await finishAt(workspaceId, workflowId, now - 40 * DAY + i); // older than 30 days
    for (let i = 0; i < 25; i++) await finishAt(workspaceId, workflowId, now - 10 * DAY + i * 1000);
    const open = (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    const keptWf = await c.store.workflows.createWorkflow(keepAll.id, workflowInput());
    for (let i = 0; i < 5; i++) await finishAt(keepAll.id, keptWf.id, now - 400 * DAY);
    for (let v = 2; v <= 6; v++) await c.store.workflows.updateWorkflow(workspaceId, workflowId, workflowInput({ name: `v${v}` }));

    const limits = createLimits({ ...DEFAULT_LIMITS, retentionDays: 30, retentionMaxRuns: 20, versions: 2 }, { [keepAll.id]: { retentionDays: 0, retentionMaxRuns: 0 } });
    const hk = startHousekeeper({ store: c.store, limits, intervalMs: 0, chunk: 4, clock: { now: () => now } });
    try {
      const report = await hk.runOnce();
      expect(report).toMatchObject({ ran: true, workspaces: 2, deletedRuns: 15, prunedVersions: 3 }); // v1 is pinned by the unfinished run
      const left = await c.store.runs.listRuns(workspaceId, { limit: 100 });
      expect(left.items).toHaveLength(21); // the 20 newest finished + the unfinished one
      expect(left.items.some((r) => r.id === open.id)).toBe(true);
      expect((await c.store.runs.listRuns(keepAll.id, { limit: 100 })).items).toHaveLength(5);
      expect((await c.store.workflows.listWorkflowVersions(workspaceId, workflowId)).items.map((v) => v.version)).toEqual([6, 5, 1]);
      expect(await hk.runOnce()).toMatchObject({ ran: true, deletedRuns: 0, prunedVersions: 0 });
      // another process's housekeeper waits for the lease
      const second = startHousekeeper({ store: c.store, limits, intervalMs: 0, clock: { now: () => now } });
      expect(await second.runOnce()).toMatchObject({ ran: false });
      await second.stop();
    } finally {
      await hk.stop();
    }
  });

  it('lists workflow and version summaries without the graphs, in the same order and pages as the full lists', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const nodes = [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: 't1' } },
      { id: 'n', type: 'noop', position: { x: 1, y: 0 }, data: { pad: 'p'.repeat(5000) } },
    ];
    const edges = [{ id: 'e', source: 'trigger', target: 'n' }];
    const triggers = [{ id: 't1', type: 'manual' as const }];
    const a = await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'a', description: 'first', tags: ['x'], nodes, edges, triggers }));
    await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'b' }));
    await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'c' }));
    await c.store.workflows.updateWorkflow(ws.id, a.id, workflowInput({ name: 'a2', description: 'first', tags: ['x'], nodes, edges, triggers }));
    const full = await c.store.workflows.listWorkflows(ws.id, { limit: 2 });
    const summaries = await c.store.workflows.listWorkflowSummaries(ws.id, { limit: 2 });
    expect(summaries.items.map((w) => w.id)).toEqual(full.items.map((w) => w.id));
    expect(summaries.nextCursor).toBe(full.nextCursor);
    const rest = await c.store.workflows.listWorkflowSummaries(ws.id, { limit: 2, cursor: summaries.nextCursor! });
    expect(rest.items.map((w) => w.id)).toEqual((await c.store.workflows.listWorkflows(ws.id, { limit: 2, cursor: full.nextCursor! })).items.map((w) => w.id));
    // (timestamps may tie within a millisecond: find `a` wherever the order put it)
    const first = [...summaries.items, ...rest.items].find((w) => w.id === a.id)!;
    expect(first).toMatchObject({ id: a.id, name: 'a2', description: 'first', tags: ['x'], version: 2, status: 'draft', nodeCount: 2, edgeCount: 1, triggerCount: 1, triggerIds: ['t1'] });
    expect(first.sizeBytes).toBeGreaterThan(5000);
    expect(first).not.toHaveProperty('nodes');
    expect((await c.store.workflows.listWorkflowSummaries(ws.id, { status: 'active' })).items).toEqual([]);

    const versions = await c.store.workflows.listWorkflowVersionSummaries(ws.id, a.id, { limit: 1 });
    expect(versions.items).toEqual([expect.objectContaining({ workflowId: a.id, workspaceId: ws.id, version: 2, name: 'a2', nodeCount: 2, edgeCount: 1, triggerCount: 1 })]);
    expect(versions.items[0]).not.toHaveProperty('nodes');
    const older = await c.store.workflows.listWorkflowVersionSummaries(ws.id, a.id, { limit: 1, cursor: versions.nextCursor! });
    expect(older).toMatchObject({ items: [expect.objectContaining({ version: 1, name: 'a' })], nextCursor: null });
  });
}
