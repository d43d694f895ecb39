import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, WorkflowInput } from '@outrun/schemas';
import type { CreateRunInput } from '@outrun/store';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { createRunLifecycle, jobIdOf, resumeJob, type RunQueue } from '../src/index';
import { createMemoryEventBus, createMemoryQueue } from '../src/memory/index';

/** The queue id of a run's resume job at `at` (derived from the payload, as the lifecycle does). */
const resumeJobIdOf = (runId: string, at: number) => jobIdOf(resumeJob({ workspaceId: 'ws', runId }, at));

let temp: TempSqliteStore | undefined;
const queues: RunQueue[] = [];
afterEach(async () => {
  await Promise.all(queues.splice(0).map((q) => q.close()));
  await temp?.cleanup();
  temp = undefined;
});

async function setup() {
  temp = await createTempSqliteStore();
  const { store } = temp;
  const ws = (await store.workspaces.createWorkspace({ name: 'batch' })).id;
  const wf = await store.workflows.createWorkflow(ws, WorkflowInput.parse({ name: 'wf' }));
  const input = (key: string): CreateRunInput => ({ workflowId: wf.id, workflowVersion: 1, triggeredBy: { type: 'schedule', source: 'test', payload: {} }, idempotencyKey: key });
  const queue = createMemoryQueue();
  queues.push(queue);
  return { store, ws, input, queue };
}

/** The same queue as an adapter without the optional batch method. */
function withoutEnqueueMany(q: RunQueue): RunQueue {
  const copy = { ...q };
  delete copy.enqueueMany;
  return copy;
}

describe('lifecycle.acceptMany', () => {
  it('records and enqueues a batch once; a duplicate key starts nothing', async () => {
    const { store, ws, input, queue } = await setup();
    const events = createMemoryEventBus();
    const seen: unknown[] = [];
    await events.subscribe(`ws:${ws}`, (m) => seen.push(m));
    const first = await createRunLifecycle({ store: { runs: store.runs }, queue, events }).acceptMany([{ workspaceId: ws, input: input('a') }, { workspaceId: ws, input: input('b') }]);
    expect(first.map((r) => r.created)).toEqual([true, true]);
    const again = await createRunLifecycle({ store: { runs: store.runs }, queue, events }).acceptMany([{ workspaceId: ws, input: input('a') }, { workspaceId: ws, input: input('c') }]);
    expect(again.map((r) => r.created)).toEqual([false, true]);
    expect(again[0]!.run.id).toBe(first[0]!.run.id);
    expect(await queue.counts()).toMatchObject({ waiting: 3 });
    for (const { run } of [...first, again[1]!]) expect(await queue.exists?.(run.id)).toBe(true);
    expect(seen).toHaveLength(3);
    await events.close();
  });

  it.each([
    ['enqueueMany', (q: RunQueue): RunQueue => q],
    ['one enqueue per item', withoutEnqueueMany],
  ])('stages a run with a future notBefore: recorded now with resumeAt, its resume job delivered no earlier (%s)', async (_name, adapt) => {
    const { store, ws, input, queue: plain } = await setup();
    const queue = adapt(plain);
    const notBefore = Date.now() + 300;
    const [staged, late] = await createRunLifecycle({ store: { runs: store.runs }, queue }).acceptMany([
      { workspaceId: ws, input: input('staged'), notBefore },
      { workspaceId: ws, input: input('late'), notBefore: Date.now() - 1000 },
    ]);
    expect(staged!.run).toMatchObject({ status: 'queued', resumeAt: new Date(notBefore).toISOString() });
    expect(late!.run.resumeAt).toBeUndefined(); // already due: a plain job, runnable now
    expect(await queue.counts()).toMatchObject({ waiting: 1, delayed: 1 });
    expect(await queue.exists?.(resumeJobIdOf(staged!.run.id, notBefore))).toBe(true);
    const delivered = new Map<string, number>();
    const consumer = await queue.consume(async ({ jobId }) => {
      delivered.set(jobId, Date.now());
      return { type: 'done' };
    });
    await new Promise((r) => setTimeout(r, 500));
    await consumer.close();
    expect([...delivered.keys()].sort()).toEqual([late!.run.id, resumeJobIdOf(staged!.run.id, notBefore)].sort());
    expect(delivered.get(resumeJobIdOf(staged!.run.id, notBefore))).toBeGreaterThanOrEqual(notBefore);
  });

  it.each([
    ['enqueueMany', (q: RunQueue): RunQueue => q],
    ['one enqueue per item (adapter without enqueueMany)', withoutEnqueueMany],
  ])('discards every run of the batch and throws QUEUE_UNAVAILABLE when the queue refuses (%s)', async (_name, adapt) => {
    const { store, ws, input, queue } = await setup();
    const existing = await createRunLifecycle({ store: { runs: store.runs }, queue }).acceptMany([{ workspaceId: ws, input: input('old') }]);
    await queue.close();
    const batch = [{ workspaceId: ws, input: input('x') }, { workspaceId: ws, input: input('y') }, { workspaceId: ws, input: input('old') }];
    await expect(createRunLifecycle({ store: { runs: store.runs }, queue: adapt(queue) }).acceptMany(batch)).rejects.toMatchObject({ code: ErrorCode.QUEUE_UNAVAILABLE });
    const page = await store.runs.listRuns(ws, { limit: 10 });
    expect(page.items.map((r) => r.id)).toEqual([existing[0]!.run.id]); // the duplicate is kept, the fresh ones are gone
    // Keys were released: a retry on a working queue creates the runs.
    const working = createMemoryQueue();
    queues.push(working);
    const retried = await createRunLifecycle({ store: { runs: store.runs }, queue: working }).acceptMany(batch);
    expect(retried.map((r) => r.created)).toEqual([true, true, false]);
    expect(await working.counts()).toMatchObject({ waiting: 2 });
  });
});
