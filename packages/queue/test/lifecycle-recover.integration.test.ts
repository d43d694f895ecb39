import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowInput } from '@outrun/schemas';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createRunLifecycle, jobIdOf, resumeJob } from '../src/index';
import { createMemoryQueue } from '../src/memory/index';

/** The queue id of a run's resume job at `at` (derived from the payload, as the lifecycle does). */
const resumeJobIdOf = (runId: string, at: number) => jobIdOf(resumeJob({ workspaceId: 'ws', runId }, at));

let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('lifecycle.recover (embedded start-up)', () => {
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
    expect(await createRunLifecycle({ store: store, queue: queue }).recover()).toBe(3);
    expect(await queue.counts()).toMatchObject({ waiting: 2, delayed: 1 });
    expect(await queue.exists?.(queued)).toBe(true);
    expect(await queue.exists?.(running)).toBe(true);
    expect(await queue.exists?.(resumeJobIdOf(parked, resumeAt))).toBe(true);
    expect(await queue.exists?.(done)).toBe(false);
    // A second call changes nothing (job ids dedupe).
    await createRunLifecycle({ store: store, queue: queue }).recover();
    expect(await queue.counts()).toMatchObject({ waiting: 2, delayed: 1 });
    await queue.close();
  });
});
