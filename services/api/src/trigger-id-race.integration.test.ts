/**
 * Trigger ids are unique per workspace through a unique index (SQLite migration 5), not only through the API's
 * read-then-save check: two saves racing for one id get one 201 and one 409, with the same error either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, WorkflowInput } from '@outrun/schemas';
import { simpleWorkflow, startApi, type ApiHarness } from '../test/api-harness';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h.close();
});

describe('trigger id uniqueness', () => {
  it('two saves racing for one trigger id: one is created, the other gets 409 OUT_ERR_CONFLICT', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `race-${round}`;
      const results = await Promise.allSettled([h.api.createWorkflow(h.ws, simpleWorkflow(`a-${round}`, id)), h.api.createWorkflow(h.ws, simpleWorkflow(`b-${round}`, id))]);
      expect(results.filter((r) => r.status === 'fulfilled'), `round ${round}`).toHaveLength(1);
      const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!.reason as { status: number; code: string };
      expect(refused).toMatchObject({ status: 409, code: ErrorCode.CONFLICT });
    }
  });

  it('the store itself refuses a taken id with the same 409, frees it on archive and refuses un-archiving onto it', async () => {
    const { workflows } = h.temp.store;
    const input = (name: string) => WorkflowInput.parse(simpleWorkflow(name, 'store-held'));
    const first = await workflows.createWorkflow(h.ws, input('first'));
    await expect(workflows.createWorkflow(h.ws, input('second'))).rejects.toMatchObject({ status: 409, code: ErrorCode.CONFLICT, message: 'Trigger ids must be unique in the workspace.' });
    await workflows.setWorkflowStatus(h.ws, first.id, 'archived');
    const second = await workflows.createWorkflow(h.ws, input('second'));
    await expect(workflows.setWorkflowStatus(h.ws, first.id, 'active')).rejects.toMatchObject({ status: 409, code: ErrorCode.CONFLICT });
    expect((await workflows.getWorkflow(h.ws, first.id))?.status).toBe('archived');
    // Another workspace may use the same id.
    const other = await h.temp.store.workspaces.createWorkspace({ name: 'other' });
    await expect(workflows.createWorkflow(other.id, input('elsewhere'))).resolves.toMatchObject({ name: 'elsewhere' });
    expect(second.id).not.toBe(first.id);
  });
});
