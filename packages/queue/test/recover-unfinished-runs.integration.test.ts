import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowInput } from '@outrun/schemas';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { recoverUnfinishedRuns, resumeJobId } from '../src/index';
import { createMemoryQueue } from '../src/memory/index';

let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('recoverUnfinishedRuns', () => {
  it('re-enqueues queued and running runs, parked ones with their resume job and delay, and skips finished ones', async () => {
    temp = await createTempSqliteStore();
    const { store } = temp;
    const ws = await store.workspaces.createWorkspace({ name: 'recover' });
    const wf = await store.workflows.createWorkflow(ws.id, WorkflowInput.parse({ name: 'wf' }));
    const create = async () =>
      (await store.runs.createRun(ws.id, { workflowId: wf.id, workflowVersion: 1, triggeredBy: { type: 'manual', source: 'test', payload: {} } })).run.id;
    const queued = await create();
    const running = await create();
    const parked = await create();
    const done = await create();
    const now = new Date().toISOString();
    await store.runs.markRunning(ws.id, running, { attempt: 1, at: now });
    await store.runs.markRunning(ws.id, parked, { attempt: 1, at: now });
    const resumeAt = Date.now() + 60_000;
    await store.runs.parkRun(ws.id, parked, new Date(resumeAt).toISOString());
    await store.runs.markRunning(ws.id, done, { attempt: 1, at: now });
    await store.runs.finishRun(ws.id, done, { status: 'completed', at: now });

    const queue = createMemoryQueue();
    expect(await recoverUnfinishedRuns(store, queue)).toBe(3);
    expect(await queue.counts()).toMatchObject({ waiting: 2, delayed: 1 });
    expect(await queue.exists?.(queued)).toBe(true);
    expect(await queue.exists?.(running)).toBe(true);
    expect(await queue.exists?.(resumeJobId(parked, resumeAt))).toBe(true);
    expect(await queue.exists?.(done)).toBe(false);
    // A second call changes nothing (job ids dedupe).
    await recoverUnfinishedRuns(store, queue);
    expect(await queue.counts()).toMatchObject({ waiting: 2, delayed: 1 });
    await queue.close();
  });
});
