import { expect, it } from 'vitest';
import { manual, workflowInput, type ContractContext } from './harness';

/** Nothing of workspace A is returned for workspace B, whatever ids are given: a foreign id behaves like a missing one. */
export function tenancyCases(c: ContractContext): void {
  it('isolates every port by workspace', async () => {
    const s = c.store;
    const a = await s.workspaces.createWorkspace({ name: 'A', id: 'ws-a' });
    const b = await s.workspaces.createWorkspace({ name: 'B', id: 'ws-b' });
    const wf = await s.workflows.createWorkflow(a.id, workflowInput(), { id: 'wf-shared-id' });
    await s.workflows.setWorkflowStatus(a.id, wf.id, 'active');
    const { run } = await s.runs.createRun(a.id, { workflowId: wf.id, workflowVersion: 1, triggeredBy: manual(), idempotencyKey: 'same-key', id: 'run-a' });
    const key = await s.workspaces.createApiKey(a.id);
    const cred = await s.credentials.create(a.id, { name: 'c', type: 'generic', data: { k: 'v' } });
    const doc = await s.data.insert(a.id, 'leads', { n: 1 }, { id: 'doc-a' });
    await s.triggers.incrementTriggerStat(a.id, 't1', 'fires');
    await s.triggers.advanceLastFiredOccurrence(a.id, 't1', '2026-01-01T00:00:00.000Z');

    // workflows
    expect(await s.workflows.getWorkflow(b.id, wf.id)).toBeNull();
    expect((await s.workflows.listWorkflows(b.id)).items).toEqual([]);
    expect(await s.workflows.updateWorkflow(b.id, wf.id, workflowInput())).toBeNull();
    expect(await s.workflows.setWorkflowStatus(b.id, wf.id, 'paused')).toBeNull();
    expect(await s.workflows.getWorkflowVersion(b.id, wf.id, 1)).toBeNull();
    expect((await s.workflows.listWorkflowVersions(b.id, wf.id)).items).toEqual([]);
    // B may reuse the same workflow id without touching A's
    const bWf = await s.workflows.createWorkflow(b.id, workflowInput({ name: 'B copy' }), { id: wf.id });
    expect((await s.workflows.getWorkflow(a.id, wf.id))?.name).toBe(wf.name);
    expect(bWf.workspaceId).toBe(b.id);

    // runs
    expect(await s.runs.getRun(b.id, run.id)).toBeNull();
    expect((await s.runs.listRuns(b.id)).items).toEqual([]);
    expect((await s.runs.listRuns(b.id, { workflowId: wf.id })).items).toEqual([]);
    expect(await s.runs.markRunning(b.id, run.id, { attempt: 1, at: '2026-01-01T00:00:00.000Z' })).toBeNull();
    await s.runs.parkRun(b.id, run.id, '2026-01-02T00:00:00.000Z');
    await s.runs.recordStepStart(b.id, run.id, { nodeId: 'x', nodeType: 'y', attempt: 1, startedAt: '2026-01-01T00:00:00.000Z' });
    await s.runs.recordStepFinish(b.id, run.id, { nodeId: 'x', status: 'completed', attempt: 1, finishedAt: '2026-01-01T00:00:00.000Z', duration: 0 });
    expect(await s.runs.finishRun(b.id, run.id, { status: 'completed', at: '2026-01-01T00:00:00.000Z' })).toBe(false);
    expect(await s.runs.cancelRun(b.id, run.id, '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(await s.runs.discardRun(b.id, run.id)).toBe(false);
    expect(await s.runs.deleteRunsFinishedBefore(b.id, '2100-01-01T00:00:00.000Z')).toBe(0);
    expect((await s.runs.getRunStats(b.id)).totalRuns).toBe(0);
    const bRun = await s.runs.createRun(b.id, { workflowId: wf.id, workflowVersion: 1, triggeredBy: manual(), idempotencyKey: 'same-key' });
    expect(bRun.created).toBe(true);
    expect(bRun.run.id).not.toBe(run.id);
    expect(await s.runs.getRun(a.id, run.id)).toEqual(run);

    // keys, credentials, data, triggers
    expect(await s.workspaces.listApiKeys(b.id)).toEqual([]);
    expect(await s.workspaces.revokeApiKey(b.id, key.info.id)).toBe(false);
    expect((await s.workspaces.verifyApiKey(key.apiKey))?.workspaceId).toBe(a.id);
    expect(await s.credentials.list(b.id)).toEqual([]);
    expect(await s.credentials.getInfo(b.id, cred.id)).toBeNull();
    expect(await s.credentials.getSecret(b.id, cred.id)).toBeNull();
    expect(await s.credentials.updateSecret(b.id, cred.id, { k: 'stolen' })).toBe(false);
    expect(await s.credentials.delete(b.id, cred.id)).toBe(false);
    expect(await s.credentials.getSecret(a.id, cred.id)).toEqual({ k: 'v' });
    expect(await s.data.get(b.id, 'leads', doc.id)).toBeNull();
    expect(await s.data.update(b.id, 'leads', doc.id, { n: 2 })).toBeNull();
    expect(await s.data.delete(b.id, 'leads', doc.id)).toBe(false);
    expect((await s.data.find(b.id, 'leads')).items).toEqual([]);
    expect(await s.data.listCollections(b.id)).toEqual([]);
    expect(await s.data.get(a.id, 'leads', doc.id)).toEqual(doc);
    expect((await s.triggers.getTriggerStats(b.id, 't1')).fires).toBe(0);
    expect(await s.triggers.getLastFiredOccurrence(b.id, 't1')).toBeNull();
    expect(await s.runs.getWorkflowStats(b.id, wf.id)).toEqual({ totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 });

    // A's run is untouched by everything B did
    expect(await s.runs.getRun(a.id, run.id)).toMatchObject({ status: 'queued', steps: [] });
    expect((await s.runs.getRun(a.id, run.id))?.resumeAt).toBeUndefined();
  });
}
