import { WorkflowInput } from '@outrun/schemas';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

describe('sqlite store (smoke)', () => {
  let temp: TempSqliteStore;
  beforeEach(async () => {
    temp = await createTempSqliteStore();
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('records a run end to end and survives a reopen', async () => {
    const s = temp.store;
    const ws = await s.workspaces.createWorkspace({ name: 'A' });
    const wf = await s.workflows.createWorkflow(ws.id, WorkflowInput.parse({ name: 'wf' }));
    const { run } = await s.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 1, triggeredBy: { type: 'manual', source: 'api', payload: {} } });
    await s.runs.markRunning(ws.id, run.id, { attempt: 1, at: '2026-01-01T00:00:00.000Z' });
    await s.runs.recordStepStart(ws.id, run.id, { nodeId: 'a', nodeType: 'http', attempt: 1, startedAt: '2026-01-01T00:00:00.000Z' });
    await s.runs.recordStepFinish(ws.id, run.id, { nodeId: 'a', status: 'completed', attempt: 1, finishedAt: '2026-01-01T00:00:01.000Z', duration: 1000, output: { ok: 1 } });
    expect(await s.runs.finishRun(ws.id, run.id, { status: 'completed', at: '2026-01-01T00:00:02.000Z' })).toBe(true);
    const reopened = await temp.reopen();
    const got = await reopened.runs.getRun(ws.id, run.id);
    expect(got?.status).toBe('completed');
    expect(got?.steps.map((st) => [st.nodeId, st.status, st.output])).toEqual([['a', 'completed', { ok: 1 }]]);
    expect(await reopened.runs.getWorkflowStats(ws.id, wf.id)).toEqual({ totalRuns: 1, successfulRuns: 1, failedRuns: 0, avgExecutionTime: 2000 });
  });
});
