import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import Database from './driver';
import { afterEach, describe, expect, it } from 'vitest';
import { at, manual, seedWorkflow } from '../contract/harness';

let temp: TempSqliteStore | undefined;
afterEach(async () => {
  await temp?.cleanup();
  temp = undefined;
});

describe('sqlite retention', () => {
  it('deletes in bounded chunks: a write issued meanwhile commits before the deletion ends', async () => {
    temp = await createTempSqliteStore();
    const { store } = temp;
    const { workspaceId, workflowId } = await seedWorkflow(store);
    const raw = new Database(temp.file);
    const insert = raw.prepare(
      "INSERT INTO runs (workspace_id, id, workflow_id, workflow_version, status, trigger_type, triggered_by, queued_at, finished_at) VALUES (?, ?, ?, 1, 'completed', 'manual', '{}', ?, ?)",
    );
    raw.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(workspaceId, `old-${i}`, workflowId, at(i), at(i + 1));
    })();
    raw.close();
    const order: string[] = [];
    const deleting = store.runs.deleteRunsFinishedBefore(workspaceId, at(100_000)).then((n) => {
      order.push('retention');
      return n;
    });
    const creating = store.runs.createRun(workspaceId, { workflowId, workflowVersion: 1, triggeredBy: manual() }).then(() => order.push('create'));
    expect(await deleting).toBe(5000);
    await creating;
    expect(order).toEqual(['create', 'retention']);
    expect((await store.runs.listRuns(workspaceId)).items).toHaveLength(1);
  });
});
