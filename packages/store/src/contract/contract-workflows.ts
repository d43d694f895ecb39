import { expect, it } from 'vitest';
import { collectPages, workflowInput, type ContractContext } from './harness';

/** Workflows, versions, optimistic concurrency, ordering and pagination. */
export function workflowCases(c: ContractContext): void {
  it('creates version 1 as a draft and stores every input field', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const input = workflowInput({ description: 'routes leads', tags: ['sales'] });
    const wf = await c.store.workflows.createWorkflow(ws.id, input, { id: 'wf-1' });
    expect(wf).toMatchObject({ id: 'wf-1', workspaceId: ws.id, status: 'draft', version: 1, name: input.name, description: 'routes leads', tags: ['sales'] });
    expect(wf.stats).toEqual({ totalRuns: 0, successfulRuns: 0, failedRuns: 0, avgExecutionTime: 0 });
    expect(wf.nodes).toEqual(input.nodes);
    expect(wf.settings).toEqual(input.settings);
    expect(await c.store.workflows.getWorkflow(ws.id, 'wf-1')).toEqual(wf);
    expect(await c.store.workflows.getWorkflow(ws.id, 'missing')).toBeNull();
    await expect(c.store.workflows.createWorkflow(ws.id, input, { id: 'wf-1' })).rejects.toMatchObject({ code: 'OUT_ERR_CONFLICT', status: 409 });
  });

  it('keeps immutable versions and enforces expectedVersion (409 VERSION_CONFLICT)', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const wf = await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'v1' }));
    const v2 = await c.store.workflows.updateWorkflow(ws.id, wf.id, workflowInput({ name: 'v2' }), { expectedVersion: 1 });
    expect(v2).toMatchObject({ version: 2, name: 'v2', createdAt: wf.createdAt });
    await expect(c.store.workflows.updateWorkflow(ws.id, wf.id, workflowInput({ name: 'stale' }), { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'OUT_ERR_VERSION_CONFLICT',
      status: 409,
    });
    const v3 = await c.store.workflows.updateWorkflow(ws.id, wf.id, workflowInput({ name: 'v3' }));
    expect(v3?.version).toBe(3);
    expect(await c.store.workflows.updateWorkflow(ws.id, 'missing', workflowInput())).toBeNull();
    expect((await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 1))?.name).toBe('v1');
    expect((await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 2))?.name).toBe('v2');
    expect(await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 9)).toBeNull();
    const pages = await collectPages((cursor) => c.store.workflows.listWorkflowVersions(ws.id, wf.id, cursor === undefined ? { limit: 2 } : { limit: 2, cursor }));
    expect(pages.map((p) => p.map((v) => v.version))).toEqual([[3, 2], [1]]);
  });

  it('keeps one draft per workflow apart from the versions and stores the publish message on the version', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const wf = await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: 'live' }));
    const counter = await c.store.workflows.workflowsChangeCounter();
    expect(await c.store.workflows.getWorkflowDraft(ws.id, wf.id)).toBeNull();
    await c.store.workflows.saveWorkflowDraft(ws.id, wf.id, workflowInput({ name: 'draft 1' }), 1);
    const draftInput = workflowInput({ name: 'draft 2' });
    draftInput.nodes = draftInput.nodes.map((n) => ({ ...n, data: { ...n.data, $weird: { 'a.b': 1 } } }));
    const saved = await c.store.workflows.saveWorkflowDraft(ws.id, wf.id, draftInput, 1);
    expect(saved).toMatchObject({ workflowId: wf.id, workspaceId: ws.id, baseVersion: 1, name: 'draft 2' });
    const loaded = await c.store.workflows.getWorkflowDraft(ws.id, wf.id);
    expect(loaded).toEqual(saved);
    expect(loaded?.nodes).toEqual(draftInput.nodes);
    // Drafts are not versions and do not wake the listener.
    expect((await c.store.workflows.getWorkflow(ws.id, wf.id))).toMatchObject({ name: 'live', version: 1 });
    expect((await c.store.workflows.listWorkflowVersionSummaries(ws.id, wf.id)).items.map((v) => v.version)).toEqual([1]);
    expect(await c.store.workflows.workflowsChangeCounter()).toBe(counter);
    expect(await c.store.workflows.saveWorkflowDraft(ws.id, 'missing', workflowInput(), 1)).toBeNull();
    expect(await c.store.workflows.getWorkflowDraft((await c.store.workspaces.createWorkspace({ name: 'B' })).id, wf.id)).toBeNull();

    const published = await c.store.workflows.updateWorkflow(ws.id, wf.id, draftInput, { expectedVersion: 1, message: 'first publish' });
    expect(published?.version).toBe(2);
    expect(await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 2)).toMatchObject({ version: 2, message: 'first publish' });
    expect((await c.store.workflows.getWorkflowVersion(ws.id, wf.id, 1))?.message).toBeUndefined();
    expect((await c.store.workflows.listWorkflowVersionSummaries(ws.id, wf.id)).items.map((v) => [v.version, v.message])).toEqual([
      [2, 'first publish'],
      [1, undefined],
    ]);
    expect(await c.store.workflows.deleteWorkflowDraft(ws.id, wf.id)).toBe(true);
    expect(await c.store.workflows.deleteWorkflowDraft(ws.id, wf.id)).toBe(false);
    expect(await c.store.workflows.getWorkflowDraft(ws.id, wf.id)).toBeNull();
  });

  it('changes status without a new version, lists active workflows and bumps the change counter', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const c0 = await c.store.workflows.workflowsChangeCounter();
    const wf = await c.store.workflows.createWorkflow(ws.id, workflowInput());
    const c1 = await c.store.workflows.workflowsChangeCounter();
    const active = await c.store.workflows.setWorkflowStatus(ws.id, wf.id, 'active');
    const c2 = await c.store.workflows.workflowsChangeCounter();
    expect(active).toMatchObject({ status: 'active', version: 1 });
    expect(c1).toBeGreaterThan(c0);
    expect(c2).toBeGreaterThan(c1);
    expect((await c.store.workflows.listActiveWorkflows()).map((w) => w.id)).toEqual([wf.id]);
    await c.store.workflows.setWorkflowStatus(ws.id, wf.id, 'paused');
    expect(await c.store.workflows.listActiveWorkflows()).toEqual([]);
    expect(await c.store.workflows.setWorkflowStatus(ws.id, 'missing', 'active')).toBeNull();
    await c.store.workflows.updateWorkflow(ws.id, wf.id, workflowInput());
    expect(await c.store.workflows.workflowsChangeCounter()).toBeGreaterThan(c2);
  });

  it('lists workflows by updatedAt desc then id, filtered by status, across pages without gaps or repeats', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await c.store.workflows.createWorkflow(ws.id, workflowInput({ name: `w${i}` }), { id: `wf-${i}` })).id);
    await c.store.workflows.setWorkflowStatus(ws.id, 'wf-2', 'active');
    await c.store.workflows.setWorkflowStatus(ws.id, 'wf-5', 'active');
    const pages = await collectPages((cursor) => c.store.workflows.listWorkflows(ws.id, cursor === undefined ? { limit: 3 } : { limit: 3, cursor }));
    const all = pages.flat();
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(new Set(all.map((w) => w.id))).toEqual(new Set(ids));
    const keys = all.map((w) => [w.updatedAt, w.id] as const);
    const sorted = [...keys].sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? 1 : -1) : a[0] < b[0] ? 1 : -1));
    expect(keys).toEqual(sorted);
    const active = await c.store.workflows.listWorkflows(ws.id, { status: 'active' });
    expect(active.items.map((w) => w.id).sort()).toEqual(['wf-2', 'wf-5']);
    await expect(c.store.workflows.listWorkflows(ws.id, { cursor: 'garbage!' })).rejects.toMatchObject({ code: 'OUT_ERR_VALIDATION' });
  });
}
