/**
 * Webhooks and tenancy: a trigger answers only under its own workspace's path. The same trigger id in two
 * workspaces starts a run in the workspace of the path, never the other; a trigger id of workspace A under
 * workspace B's path is 404, exactly like an id that exists nowhere (nothing tells B that A has it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryEventBus, createMemoryQueue } from '@outrun/queue/memory';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createWorkflow, startListener, type RunningListener } from './fixtures';

let temp: TempSqliteStore;
let running: RunningListener;
let a: string;
let b: string;
beforeAll(async () => {
  temp = await createTempSqliteStore();
  a = (await temp.store.workspaces.createWorkspace({ name: 'a' })).id;
  b = (await temp.store.workspaces.createWorkspace({ name: 'b' })).id;
  await createWorkflow(temp.store, a, [{ id: 'shared', type: 'webhook', config: {} }, { id: 'only-a', type: 'webhook', config: {} }] as never);
  await createWorkflow(temp.store, b, [{ id: 'shared', type: 'webhook', config: {} }] as never);
  running = await startListener({ store: temp.store, queue: createMemoryQueue(), events: createMemoryEventBus() });
});
afterAll(async () => {
  await running?.close();
  await temp?.cleanup();
});

const post = (ws: string, trigger: string) => fetch(`${running.url}/webhook/${ws}/${trigger}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' });

describe('webhooks across workspaces', () => {
  it('the same trigger id starts a run in the path’s workspace only; another workspace’s trigger is a plain 404', async () => {
    const inA = await post(a, 'shared');
    const inB = await post(b, 'shared');
    expect([inA.status, inB.status]).toEqual([202, 202]);
    const runA = ((await inA.json()) as { runId: string }).runId;
    const runB = ((await inB.json()) as { runId: string }).runId;
    expect((await temp.store.runs.getRun(a, runA))?.workspaceId).toBe(a);
    expect(await temp.store.runs.getRun(b, runA)).toBeNull();
    expect((await temp.store.runs.getRun(b, runB))?.workspaceId).toBe(b);
    expect(await temp.store.runs.getRun(a, runB)).toBeNull();

    const foreign = await post(b, 'only-a');
    const nowhere = await post(b, 'no-such-trigger');
    expect([foreign.status, nowhere.status]).toEqual([404, 404]);
    expect(await foreign.json()).toEqual(await nowhere.json());
    expect((await temp.store.runs.listRuns(b)).items.map((r) => r.id)).toEqual([runB]);
  });
});
