import { expect, it } from 'vitest';
import { manual, seedWorkflow, type ContractContext } from './harness';

/** Editor test runs (`triggeredBy.test`): stored and listed like any run, never counted in statistics (workflow or workspace). */
export function testRunCases(c: ContractContext): void {
  it('a test run keeps its mark and stays out of the workflow stats (production only)', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const at = new Date().toISOString();
    const { run: test } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: { ...manual(), test: { step: 'b' } } });
    const { run: prod } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() });
    for (const r of [test, prod]) {
      await c.store.runs.markRunning(workspaceId, r.id, { attempt: 1, at });
      expect(await c.store.runs.finishRun(workspaceId, r.id, { status: r === test ? 'failed' : 'completed', at })).toBe(true);
    }
    expect((await c.store.runs.getRun(workspaceId, test.id))?.triggeredBy.test).toEqual({ step: 'b' });
    expect((await c.store.runs.listRuns(workspaceId, { workflowId })).items.map((r) => r.id).sort()).toEqual([test.id, prod.id].sort());
    expect(await c.store.runs.getWorkflowStats(workspaceId, workflowId)).toMatchObject({ totalRuns: 1, successfulRuns: 1, failedRuns: 0 });
    expect(await c.store.runs.getRunStats(workspaceId, { workflowId, days: 1 })).toMatchObject({ totalRuns: 1, successfulRuns: 1, failedRuns: 0 });
  });

  it('test runs stay out of the whole-workspace statistics too (daily buckets, unfinished runs, durations, AI usage)', async () => {
    const { workspaceId, workflowId } = await seedWorkflow(c.store);
    const now = new Date();
    const start = now.getTime() - 60_000;
    const usage = { aiTokensUsed: 40, estimatedCost: 2, webhooksCalled: 0, unpricedCalls: 1, unpricedTokens: 7 };
    const finished = async (test: boolean, status: 'completed' | 'failed', ms: number) => {
      const { run } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: test ? { ...manual(), test: {} } : manual() });
      await c.store.runs.markRunning(workspaceId, run.id, { attempt: 1, at: new Date(start).toISOString() });
      await c.store.runs.finishRun(workspaceId, run.id, { status, usage: test ? usage : { ...usage, aiTokensUsed: 10, estimatedCost: 0.5, unpricedCalls: 0, unpricedTokens: 0 }, at: new Date(start + ms).toISOString() });
      return run;
    };
    await finished(false, 'completed', 100);
    await finished(true, 'failed', 50_000);
    await finished(true, 'completed', 40_000);
    // one test run still queued, one discarded: neither counts either
    await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: { ...manual(), test: { step: 'x' } } });
    const { run: discarded } = await c.store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: { ...manual(), test: {} } });
    expect(await c.store.runs.discardRun(workspaceId, discarded.id)).toBe(true);
    const stats = await c.store.runs.getRunStats(workspaceId, { days: 1, now });
    expect(stats).toMatchObject({ totalRuns: 1, successfulRuns: 1, failedRuns: 0, aiTokensUsed: 10, unpricedCalls: 0 });
    // p95 from duration bins: within 5 % above the one production run's 100 ms (a test run's 40–50 s would show)
    expect(stats.p95ExecutionTime).toBeGreaterThanOrEqual(100);
    expect(stats.p95ExecutionTime).toBeLessThanOrEqual(105);
    expect(stats.estimatedCost).toBeCloseTo(0.5, 9);
    expect(stats.avgExecutionTime).toBeCloseTo(100, 6);
    expect(stats.perDay.at(-1)).toMatchObject({ total: 1, completed: 1, failed: 0 });
    // the same as the workflow's own (exact) statistics
    expect(await c.store.runs.getRunStats(workspaceId, { workflowId, days: 1, now })).toMatchObject({ totalRuns: 1, successfulRuns: 1, failedRuns: 0, aiTokensUsed: 10 });
  });
}
