import { expect, it } from 'vitest';
import { manual, seedWorkflow, type ContractContext } from './harness';

const DAY = 86_400_000;

/** Workflow stats under concurrency, run stats, retention. */
export function runStatsCases(c: ContractContext): void {
  it('50 runs finishing concurrently give exact workflow stats', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const base = Date.UTC(2026, 0, 1);
    const runs = await Promise.all(Array.from({ length: 50 }, () => c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })));
    await Promise.all(runs.map(({ run }) => c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: new Date(base).toISOString() })));
    // run i lasts (i + 1) * 10 ms; every third fails
    const results = await Promise.all(
      runs.map(({ run }, i) =>
        c.store.runs.finishRun(workspaceId, run.id, { status: i % 3 === 0 ? 'failed' : 'completed', at: new Date(base + (i + 1) * 10).toISOString() }),
      ),
    );
    // and a second wave of writers racing for the same runs changes nothing
    const again = await Promise.all(runs.map(({ run }) => c.store.runs.finishRun(workspaceId, run.id, { status: 'cancelled', at: new Date(base).toISOString() })));
    expect(results.every(Boolean)).toBe(true);
    expect(again.some(Boolean)).toBe(false);
    const failed = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 3 === 0).length;
    const stats = await c.store.runs.getWorkflowStats(workspaceId, workflowId);
    expect(stats).toMatchObject({ totalRuns: 50, successfulRuns: 50 - failed, failedRuns: failed });
    expect(stats.avgExecutionTime).toBeCloseTo(255, 6); // mean of 10..500
    expect((await c.store.workflows.getWorkflow(workspaceId, workflowId))?.stats).toEqual(stats);
    expect(await c.store.runs.getWorkflowStats(workspaceId, 'missing')).toEqual({ totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 });
  });

  it('computes run stats: totals, success rate, p95, tokens, cost and a per-day series', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const now = new Date();
    const durations = Array.from({ length: 20 }, (_, i) => (i + 1) * 100); // p95 (nearest rank) = 1900
    for (const [i, d] of durations.entries()) {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
      const start = Date.now();
      await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: new Date(start).toISOString() });
      const usage = { aiTokensUsed: 10, estimatedCost: 0.25, webhooksCalled: 0, unpricedCalls: 0 };
      await c.store.runs.finishRun(workspaceId, run.id, { status: i < 15 ? 'completed' : i < 19 ? 'failed' : 'cancelled', usage, at: new Date(start + d).toISOString() });
    }
    await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() }); // still queued
    const stats = await c.store.runs.getRunStats(workspaceId, { workflowId, days: 7, now });
    expect(stats).toMatchObject({ totalRuns: 21, successfulRuns: 15, failedRuns: 4, cancelledRuns: 1, aiTokensUsed: 200, p95ExecutionTime: 1900 });
    expect(stats.successRate).toBeCloseTo(15 / 19, 9);
    expect(stats.estimatedCost).toBeCloseTo(5, 9);
    expect(stats.avgExecutionTime).toBeCloseTo(1050, 6);
    expect(stats.perDay).toHaveLength(7);
    const today = stats.perDay.at(-1)!;
    expect(today).toMatchObject({ date: now.toISOString().slice(0, 10), total: 21, completed: 15, failed: 4, cancelled: 1, aiTokensUsed: 200 });
    expect(stats.perDay.slice(0, -1).every((d) => d.total === 0)).toBe(true);
    const empty = await c.store.runs.getRunStats(workspaceId, { workflowId: 'missing', days: 3, now });
    expect(empty).toMatchObject({ totalRuns: 0, successRate: null, p95ExecutionTime: null, avgExecutionTime: 0 });
    const later = await c.store.runs.getRunStats(workspaceId, { days: 1, now: new Date(now.getTime() + 3 * DAY) });
    expect(later.totalRuns).toBe(0);
  });

  it('retention deletes only terminal runs finished before the cutoff', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const mk = async () => (await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() })).run;
    const old = await mk();
    const recent = await mk();
    const open = await mk();
    await c.store.runs.markRunning(workspaceId, old.id, { attempt: 1, at: '2026-01-01T00:00:00.000Z' });
    await c.store.runs.recordStepStart(workspaceId, old.id, { nodeId: 'a', nodeType: 'x', attempt: 1, startedAt: '2026-01-01T00:00:00.000Z' });
    await c.store.runs.finishRun(workspaceId, old.id, { status: 'completed', at: '2026-01-01T00:00:01.000Z' });
    await c.store.runs.finishRun(workspaceId, recent.id, { status: 'failed', at: '2026-03-01T00:00:00.000Z' });
    expect(await c.store.runs.deleteRunsFinishedBefore(workspaceId, '2026-02-01T00:00:00.000Z')).toBe(1);
    expect(await c.store.runs.getRun(workspaceId, old.id)).toBeNull();
    expect(await c.store.runs.getRun(workspaceId, recent.id)).not.toBeNull();
    expect(await c.store.runs.getRun(workspaceId, open.id)).not.toBeNull();
    expect(await c.store.runs.deleteRunsFinishedBefore(workspaceId, '2026-02-01T00:00:00.000Z')).toBe(0);
  });
}
