import { expect, it } from 'vitest';
import { workflowInput, type ContractContext } from './harness';

/** Trigger ids are unique among a workspace's non-archived workflows: an index in each adapter, not a read-then-save check. */
export function triggerIdCases(c: ContractContext): void {
  const holding = (ids: [string, ...string[]], name = 'holder') =>
    workflowInput({
      name,
      nodes: [{ id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, data: { triggerId: ids[0] } }],
      triggers: ids.map((id) => ({ id, type: 'manual' as const })),
    });
  const taken = { status: 409, code: 'OUT_ERR_CONFLICT', message: 'Trigger ids must be unique in the workspace.' };

  it('refuses a taken trigger id on create, update and un-archive; archive frees it; other workspaces are apart', async () => {
    const { workflows, workspaces } = c.store;
    const ws = await workspaces.createWorkspace({ name: 'A' });
    const first = await workflows.createWorkflow(ws.id, holding(['orders', 'refunds']));
    await expect(workflows.createWorkflow(ws.id, holding(['refunds']))).rejects.toMatchObject(taken);
    const second = await workflows.createWorkflow(ws.id, holding(['other']));
    await expect(workflows.updateWorkflow(ws.id, second.id, holding(['other', 'orders']))).rejects.toMatchObject(taken);
    expect((await workflows.getWorkflow(ws.id, second.id))?.version).toBe(1);
    // A workflow may keep its own ids across versions, and two triggers of one workflow never collide with each other.
    expect((await workflows.updateWorkflow(ws.id, first.id, holding(['orders', 'refunds', 'returns'])))?.version).toBe(2);

    expect(Object.fromEntries(await workflows.triggerIdOwners(ws.id, ['orders', 'returns', 'other', 'nobody']))).toEqual({ orders: first.id, returns: first.id, other: second.id });
    expect(Object.fromEntries(await workflows.triggerIdOwners(ws.id, ['orders', 'other'], first.id))).toEqual({ other: second.id });
    expect((await workflows.triggerIdOwners(ws.id, [])).size).toBe(0);

    await workflows.setWorkflowStatus(ws.id, first.id, 'archived');
    expect((await workflows.triggerIdOwners(ws.id, ['orders'])).size).toBe(0);
    const third = await workflows.createWorkflow(ws.id, holding(['orders']));
    await expect(workflows.setWorkflowStatus(ws.id, first.id, 'active')).rejects.toMatchObject(taken);
    expect((await workflows.getWorkflow(ws.id, first.id))?.status).toBe('archived');
    // Editing an archived workflow does not take ids back either.
    expect((await workflows.updateWorkflow(ws.id, first.id, holding(['orders', 'refunds'])))?.version).toBe(3);
    expect(Object.fromEntries(await workflows.triggerIdOwners(ws.id, ['orders', 'refunds']))).toEqual({ orders: third.id });

    const other = await workspaces.createWorkspace({ name: 'B' });
    await expect(workflows.createWorkflow(other.id, holding(['orders']))).resolves.toMatchObject({ workspaceId: other.id });
  });

  it('two saves racing for one trigger id: exactly one wins, the other gets the same 409', async () => {
    const ws = await c.store.workspaces.createWorkspace({ name: 'A' });
    for (let round = 0; round < 5; round++) {
      const results = await Promise.allSettled([c.store.workflows.createWorkflow(ws.id, holding([`race-${round}`], 'a')), c.store.workflows.createWorkflow(ws.id, holding([`race-${round}`], 'b'))]);
      expect(results.filter((r) => r.status === 'fulfilled'), `round ${round}`).toHaveLength(1);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject(taken);
    }
  });
}
