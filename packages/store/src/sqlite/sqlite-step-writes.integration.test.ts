/**
 * Step writes cost the same at step 10,000 as at step 1: each write numbers its step max(ord) + 1 in its run, and
 * that look-up must go through the (run_pk, ord) index — a scan of the run's step rows made a long run O(steps²)
 * (10,000 `set` steps took 160 s). Checked on the query plan SQLite chooses and by a long run read back in order.
 */
import Database from './driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempSqliteStore, type TempSqliteStore } from '@outrun/testing/sqlite';
import { STEP_FINISH, STEP_START } from './sqlite-run-store';

let temp: TempSqliteStore;
let db: Database.Database;
beforeAll(async () => {
  temp = await createTempSqliteStore();
  db = new Database(temp.file, { readonly: true });
});
afterAll(async () => {
  db?.close();
  await temp?.cleanup();
});

const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array<null>(sql.split('?').length - 1).fill(null)) as Array<{ detail: string }>).map((r) => r.detail);

describe('SQLite step writes', () => {
  it.each([
    ['start', STEP_START],
    ['finish', STEP_FINISH],
  ])('the step %s finds the next step number through the index, never scanning the run’s steps', (_name, sql) => {
    const details = plan(sql);
    expect(details.some((d) => d.includes('run_steps_by_ord'))).toBe(true);
    expect(details.filter((d) => /SCAN run_steps\b/.test(d))).toEqual([]);
  });

  it('records 2,000 steps of one run in order, every one kept', async () => {
    const { store } = temp;
    const ws = (await store.workspaces.createWorkspace({ name: 'steps' })).id;
    const { run } = await store.runs.createRun(ws, { workflowId: 'wf', workflowVersion: 1, triggeredBy: { type: 'manual', source: 'test', payload: {} } });
    await store.runs.markRunning(ws, run.id, { attempt: 1, at: new Date().toISOString() });
    const at = new Date().toISOString();
    for (let i = 0; i < 2000; i++) await store.runs.recordStepFinish(ws, run.id, { nodeId: `s${i}`, nodeType: 'set', status: 'completed', attempt: 1, finishedAt: at, duration: 0 });
    const read = await store.runs.getRun(ws, run.id);
    expect(read!.steps.map((s) => s.nodeId)).toEqual(Array.from({ length: 2000 }, (_, i) => `s${i}`));
  });
});
