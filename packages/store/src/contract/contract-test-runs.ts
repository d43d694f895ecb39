import { expect, it } from 'vitest';
import { manual, seedWorkflow, type ContractContext } from './harness';

/** Editor test runs (`triggeredBy.test`): stored and listed like any run, never counted in the workflow's stats. */
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
}
